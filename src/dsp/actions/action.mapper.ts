import { ActionCompletion } from './action-completion.entity';
import { Action } from './action.entity';
import { isOverdue } from './action-rules';

/** An action as the concern's read shows it (API.md, "Daily work"). */
export interface ActionResponse {
  id: string;
  concernId: string;
  description: string;
  dueOn: string;
  status: 'open' | 'done';
  /** Still open after its due day (London calendar). */
  overdue: boolean;
  assignee: { id: string; name: string };
  setAt: string;
  setBy: { name: string; role: string };
  completion: { at: string; by: { name: string; role: string }; note: string } | null;
}

/** An action in a list: the same, with the concern's pupil (`GET /api/actions`). */
export interface ActionListItem extends ActionResponse {
  pupil: { id: string; firstName: string; lastName: string };
}

export function toActionResponse(action: Action, completion: ActionCompletion | null, now: Date): ActionResponse {
  return {
    id: action.id,
    concernId: action.concernId,
    description: action.description,
    dueOn: action.dueOn,
    status: completion ? 'done' : 'open',
    overdue: isOverdue({ dueOn: action.dueOn, completed: completion !== null }, now),
    assignee: { id: action.assigneeUserId, name: action.assigneeName },
    setAt: action.setAt.toISOString(),
    setBy: { name: action.setByName, role: action.setByRole },
    completion: completion
      ? {
          at: completion.completedAt.toISOString(),
          by: { name: completion.completedByName, role: completion.completedByRole },
          note: completion.note,
        }
      : null,
  };
}
