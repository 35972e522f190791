import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../../common/language';
import { NotificationEvent } from '../../notifications/notifications.service';
import { ReminderSource } from '../../notifications/reminder-source';
import { OrganisationsService } from '../../organisations/organisations.service';
import { ActionCompletion } from './action-completion.entity';
import { addDays, ASSIGNEE_ROLES, londonToday } from './action-rules';
import { Action } from './action.entity';

/** How many days after its due day an open action is still reminded of (a sweep that was down catches up). */
export const OVERDUE_REMINDER_DAYS = 7;

/**
 * The actions' time-based notifications (API.md, "Daily work"), for the sweep: `action_due` to the
 * assignee on the due day (`<actionId>:due`) and `action_overdue` from the day after it while still open
 * (`<actionId>:overdue`), judged on the London calendar. Only actions due in the last
 * `OVERDUE_REMINDER_DAYS` days up to today and not completed are read (by the `due_on` index), and only
 * an assignee who is still an active member of the organisation is told. The title names the
 * organisation only: no pupil, no words of the action.
 */
@Injectable()
export class ActionReminders implements ReminderSource {
  readonly name = 'actions';

  constructor(private readonly organisations: OrganisationsService) {}

  async due(manager: EntityManager, now: Date): Promise<NotificationEvent[]> {
    const today = londonToday(now);
    const actions = await manager
      .getRepository(Action)
      .createQueryBuilder('action')
      .leftJoin(ActionCompletion, 'completion', 'completion.action_id = action.id')
      .where('action.due_on >= :from AND action.due_on <= :today', {
        from: addDays(today, -OVERDUE_REMINDER_DAYS),
        today,
      })
      .andWhere('completion.action_id IS NULL')
      .orderBy('action.due_on', 'ASC')
      .addOrderBy('action.id', 'ASC')
      .getMany();
    if (actions.length === 0) return [];
    const organisationIds = [...new Set(actions.map((a) => a.organisationId))];
    const names = await this.organisations.namesByIds(manager, organisationIds);
    const members = new Map<string, Set<string>>();
    for (const organisationId of organisationIds)
      members.set(
        organisationId,
        new Set(await this.organisations.activeMemberIds(manager, [organisationId], [...ASSIGNEE_ROLES])),
      );
    return actions
      .filter((action) => members.get(action.organisationId)?.has(action.assigneeUserId))
      .map((action) => {
        const organisation = names.get(action.organisationId);
        const params = { organisation: { name: organisation?.name ?? '', nameCy: organisation?.nameCy ?? null } };
        const dueToday = action.dueOn === today;
        return {
          kind: dueToday ? 'action_due' : 'action_overdue',
          eventKey: `${action.id}:${dueToday ? 'due' : 'overdue'}`,
          userIds: [action.assigneeUserId],
          // The "my actions" page: every assignee reads it (a member of staff may not read the concern itself).
          link: '/actions',
          title: message(dueToday ? 'actions.notifications.due' : 'actions.notifications.overdue', params),
        } satisfies NotificationEvent;
      });
  }
}
