import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WorkingDayCalendar } from '../../calendar/working-days';
import { message } from '../../common/language';
import { NotificationEvent } from '../../notifications/notifications.service';
import { REMINDER_LOOKBACK_MS, ReminderSource } from '../../notifications/reminder-source';
import { OrganisationsService } from '../../organisations/organisations.service';
import { CHASE_AFTER_WORKING_DAYS } from './escalations.service';
import { ReferralState } from './referral-state.entity';
import { teamRolesFor } from './referral-notifications';
import { ReferralStatusSql } from './referral-status';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The referrals' reminders for the sweep (API.md, "Daily work"; DOMAIN.md, Timescales), read from the
 * stored states (`referral_states`) with the inbox's own rules:
 * - `referral_overdue`: not decided and past its due time (`due_by`, set when sent by `ReferralClock`:
 *   1 working day, from the phone call when there was one; early help, the LA's own response time), the
 *   rule of the inbox's and the school's "overdue". To the receiving team and the LA lead (a route no
 *   team receives here, the designated officer: the lead; the police: nobody in the LA). Key `<id>:overdue`.
 * - `referral_chase`: still only sent (not acknowledged) 7 working days after sending, the school list's
 *   `chase` rule. To the sending organisation's DSPs. Key `<id>:chase`.
 * Only referrals that fell due within the last fortnight are looked at (partial indexes of undecided and
 * of unacknowledged referrals, migration 1764641900000).
 */
@Injectable()
export class ReferralReminders implements ReminderSource {
  readonly name = 'referrals';

  constructor(
    private readonly calendar: WorkingDayCalendar,
    private readonly organisations: OrganisationsService,
  ) {}

  async due(manager: EntityManager, now: Date): Promise<NotificationEvent[]> {
    const since = new Date(now.getTime() - REMINDER_LOOKBACK_MS);
    const overdue = await manager
      .getRepository(ReferralState)
      .createQueryBuilder('state')
      .where(ReferralStatusSql.state.undecided('state'))
      .andWhere('state.due_by < :now AND state.due_by >= :since', {
        now: now.toISOString(),
        since: since.toISOString(),
      })
      .orderBy('state.due_by', 'ASC')
      .addOrderBy('state.escalation_id', 'ASC')
      .getMany();
    // 7 working days are at least 7 calendar days: a range of send times, then the working-day rule.
    const unacknowledged = await manager
      .getRepository(ReferralState)
      .createQueryBuilder('state')
      .where(ReferralStatusSql.state.is('sent', 'state'))
      .andWhere('state.sent_at <= :latest AND state.sent_at >= :earliest', {
        latest: new Date(now.getTime() - CHASE_AFTER_WORKING_DAYS * DAY_MS).toISOString(),
        earliest: new Date(since.getTime() - 2 * CHASE_AFTER_WORKING_DAYS * DAY_MS).toISOString(),
      })
      .orderBy('state.sent_at', 'ASC')
      .addOrderBy('state.escalation_id', 'ASC')
      .getMany();
    const toChase = unacknowledged.filter(
      (state) => this.calendar.workingDaysBetween(state.sentAt, now) >= CHASE_AFTER_WORKING_DAYS,
    );
    const names = await this.organisations.namesByIds(manager, [
      ...new Set([...overdue, ...toChase].map((state) => state.organisationId)),
    ]);
    const events: NotificationEvent[] = [];
    for (const state of overdue) {
      if (state.route === 'police') continue;
      const sender = names.get(state.organisationId);
      events.push({
        kind: 'referral_overdue',
        eventKey: `${state.escalationId}:overdue`,
        userIds: await this.organisations.activeMemberIds(
          manager,
          [state.localAuthorityId],
          [...teamRolesFor(state.route), 'la_lead'],
        ),
        link: `/la/escalations/${state.escalationId}`,
        title: message('notifications.titles.referral_overdue', {
          route: message(`escalationRoutes.${state.route}`),
          organisation: { name: sender?.name ?? '', nameCy: sender?.nameCy ?? null },
        }),
      });
    }
    for (const state of toChase) {
      events.push({
        kind: 'referral_chase',
        eventKey: `${state.escalationId}:chase`,
        userIds: await this.organisations.activeMemberIds(manager, [state.organisationId], ['dsp']),
        link: `/concerns/${state.concernId}`,
        title: message('notifications.titles.referral_chase', { route: message(`escalationRoutes.${state.route}`) }),
      });
    }
    return events;
  }
}
