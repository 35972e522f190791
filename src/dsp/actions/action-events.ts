import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { calendarDay, message } from '../../common/language';
import { PupilEvent, PupilEventSource } from '../../common/pupil-events';
import { ActionRecords } from './action-records';
import { Action } from './action.entity';

/**
 * A pupil's actions as chronology entries: `action_set` when a DSP set one (the description as
 * recorded), `action_completed` when it was done (the note). The chronology asks the access policy first
 * and filters what an organisation that left still reads.
 */
@Injectable()
export class ActionEvents implements PupilEventSource {
  constructor(private readonly records: ActionRecords) {}

  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const actions = await manager.getRepository(Action).find({ where: { pupilId } });
    if (actions.length === 0) return [];
    const completions = await this.records.completionsOf(
      manager,
      actions.map((a) => a.id),
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
