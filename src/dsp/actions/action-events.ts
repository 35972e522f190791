import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { calendarDay, message } from '../../common/language';
import { PupilEvent, PupilEventSource } from '../../common/pupil-events';
import { ActionCompletion } from './action-completion.entity';
import { Action } from './action.entity';

/**
 * A pupil's actions as chronology entries: `action_set` when a DSP set one (the description as
 * recorded), `action_completed` when it was done (the note). The chronology asks the access policy first
 * and filters what an organisation that left still reads.
 */
@Injectable()
export class ActionEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    // Each action with its completion, if any, in one query.
    const actions = await manager
      .getRepository(Action)
      .createQueryBuilder('action')
      .leftJoinAndMapOne('action.completion', ActionCompletion, 'completion', 'completion.action_id = action.id')
      .where('action.pupil_id = :pupilId', { pupilId })
      .getMany();
    const completions = new Map(
      (actions as Array<Action & { completion?: ActionCompletion | null }>).flatMap((action) =>
        action.completion ? [[action.id, action.completion] as const] : [],
      ),
    );
    const events: PupilEvent[] = [];
    for (const action of actions) {
      events.push({
        id: `action:${action.id}:set`,
        kind: 'action_set',
        at: action.setAt,
        recordedAt: action.setAt,
        title: message('actions.chronology.set', {
          assignee: action.assigneeName,
          dueOn: calendarDay(action.dueOn),
        }),
        detail: action.description,
        actor: { name: action.setByName, role: action.setByRole },
        organisationId: action.setByOrganisationId,
      });
      const completion = completions.get(action.id);
      if (completion)
        events.push({
          id: `action:${action.id}:completed`,
          kind: 'action_completed',
          at: completion.completedAt,
          recordedAt: completion.completedAt,
          title: message('actions.chronology.completed', { description: action.description }),
          detail: completion.note,
          actor: { name: completion.completedByName, role: completion.completedByRole },
          organisationId: completion.completedByOrganisationId,
        });
    }
    return events;
  }
}
