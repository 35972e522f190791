import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The rules an action can break (each a 422 on the API, with its `rule` code). */
export enum ActionError {
  AssigneeNotInOrganisation = 'assignee_not_in_organisation',
  DueInPast = 'due_in_past',
  ConcernClosed = 'concern_closed',
  AlreadyCompleted = 'action_already_completed',
}

function describe(reason: ActionError): RuleDescription {
  switch (reason) {
    case ActionError.AssigneeNotInOrganisation:
      return {
        rule: 'assignee_not_in_organisation',
        field: 'assigneeUserId',
        message:
          'Choose an active member of staff, designated safeguarding person or head teacher of the organisation that recorded the concern',
      };
    case ActionError.DueInPast:
      return { rule: 'due_in_past', field: 'dueOn', message: 'The due date must be today or later' };
    case ActionError.ConcernClosed:
      return {
        rule: 'concern_closed',
        field: 'status',
        message: 'This concern is closed: record a new concern for anything new',
      };
    case ActionError.AlreadyCompleted:
      return { rule: 'action_already_completed', field: 'status', message: 'This action has already been completed' };
  }
}

export class ActionRuleError extends ModuleRuleError<ActionError> {
  constructor(reason: ActionError) {
    super(reason, describe(reason));
  }
}
