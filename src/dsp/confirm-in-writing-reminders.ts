import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../common/language';
import { NotificationEvent } from '../notifications/notifications.service';
import { REMINDER_LOOKBACK_MS, ReminderSource } from '../notifications/reminder-source';
import { OrganisationsService } from '../organisations/organisations.service';
import { ConcernState } from './concern-states/concern-state.entity';
import { CONFIRM_IN_WRITING_MS } from './dsp-worklist';

/**
 * `referral_confirm_in_writing` for the sweep (DOMAIN.md, Timescales: a phone report is confirmed in
 * writing within 24 hours): the dashboard's `phoned` list and its `confirmOverdue` rule. A concern whose
 * decision to refer says the DSP phoned, with no referral sent on that route yet
 * (`concern_states.referral_pending = 'phoned'`), 24 hours after the call: to the organisation's DSPs,
 * once per decision (key `<decisionId>:confirm_in_writing`). Sending the written referral clears
 * `referral_pending`, so nothing is raised after it. Calls from the last fortnight only (a partial index).
 */
@Injectable()
export class ConfirmInWritingReminders implements ReminderSource {
  readonly name = 'confirm-in-writing';

  constructor(private readonly organisations: OrganisationsService) {}

  async due(manager: EntityManager, now: Date): Promise<NotificationEvent[]> {
    const phonedBy = new Date(now.getTime() - CONFIRM_IN_WRITING_MS);
    const states = await manager
      .getRepository(ConcernState)
      .createQueryBuilder('state')
      .where("state.referral_pending = 'phoned'")
      .andWhere('state.decision_phoned_at < :phonedBy AND state.decision_phoned_at >= :since', {
        phonedBy: phonedBy.toISOString(),
        since: new Date(phonedBy.getTime() - REMINDER_LOOKBACK_MS).toISOString(),
      })
      .orderBy('state.decision_phoned_at', 'ASC')
      .addOrderBy('state.concern_id', 'ASC')
      .getMany();
    const events: NotificationEvent[] = [];
    for (const state of states) {
      if (!state.decisionId) continue;
      events.push({
        kind: 'referral_confirm_in_writing',
        eventKey: `${state.decisionId}:confirm_in_writing`,
        userIds: await this.organisations.activeMemberIds(manager, [state.organisationId], ['dsp']),
        link: `/concerns/${state.concernId}`,
        title: message('notifications.titles.referral_confirm_in_writing', {
          route: message(`escalationRoutes.${state.decisionOutcome}`),
        }),
      });
    }
    return events;
  }
}
