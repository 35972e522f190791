import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../../database/json-rows';
import { calendarDay, message } from '../../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../../common/pupil-events';
import { ActionCompletion } from './action-completion.entity';
import { Action } from './action.entity';

/**
 * A pupil's actions as chronology entries: `action_set` when a DSP set one (the description as
 * recorded), `action_completed` when it was done (the note). The chronology asks the access policy first
 * and filters what an organisation that left still reads.
 */
@Injectable()
export class ActionEvents implements PupilEventSource {
  /** The pupil's actions and their completions. */
  branches(manager: EntityManager): PupilEventBranch[] {
    const actions = tableOf(manager, Action);
    return [
      {
        tag: 'action',
        row: jsonRowOf(manager, Action, 'action'),
        from: `FROM ${actions} action WHERE action.pupil_id = :pupilId`,
      },
      {
        tag: 'completion',
        row: jsonRowOf(manager, ActionCompletion, 'completion'),
        from: `FROM ${tableOf(manager, ActionCompletion)} completion
          INNER JOIN ${actions} action ON action.id = completion.action_id WHERE action.pupil_id = :pupilId`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    const actions = rowsOf('action').map((row) => hydrateJsonRow(manager, Action, row));
    const completions = new Map(
      rowsOf('completion')
        .map((row) => hydrateJsonRow(manager, ActionCompletion, row))
        .map((completion) => [completion.actionId, completion] as const),
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
