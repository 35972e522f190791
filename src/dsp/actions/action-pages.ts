import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageFormDto } from '../../common/page-form.dto';
import { PageQueryDto } from '../../common/page-query.dto';
import {
  FieldProblem,
  FormChoice,
  FormError,
  formErrorOf,
  FormSpec,
  FormText,
  given,
  inPageOrder,
  text,
} from '../../web/forms';
import { ActionError, ActionRuleError } from './action-errors';

/** The "set an action" form as a browser posts it: every field optional text, so the page can come back as typed. */
export class SetActionFormDto extends PageFormDto {
  @FormText() actionDescription?: string;
  @FormChoice() actionAssignee?: string;
  @FormChoice() actionDueOn?: string;
}

/** The complete form: the note, and where to go back to (the concern page or "my actions"). */
export class CompleteActionFormDto extends PageFormDto {
  @FormText() note?: string;
  @IsOptional()
  @IsIn(['concern', 'actions'])
  returnTo?: 'concern' | 'actions';
}

export class ActionsPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(7)
  page?: string;

  @IsOptional()
  @IsIn(['completed'])
  done?: 'completed';
}

export interface SetActionForm {
  actionDescription: string;
  actionAssignee: string;
  actionDueOn: string;
}

export const emptySetActionForm = (): SetActionForm => ({ actionDescription: '', actionAssignee: '', actionDueOn: '' });

export function setActionFormOf(form: SetActionFormDto): SetActionForm {
  return {
    actionDescription: text(form.actionDescription),
    actionAssignee: text(form.actionAssignee),
    actionDueOn: text(form.actionDueOn).trim(),
  };
}

/** The API body the form stands for (`SetActionDto`). */
export function setActionBodyOf(form: SetActionForm): object {
  return {
    description: given(form.actionDescription),
    assigneeUserId: given(form.actionAssignee),
    dueOn: given(form.actionDueOn),
  };
}

const SET_FIELD_ORDER = ['actionDescription', 'actionAssignee', 'actionDueOn'];

export const SET_ACTION_FORM_SPEC: FormSpec = {
  fields: {
    description: { field: 'actionDescription', keys: { missing: 'actions.errors.descriptionMissing' } },
    assigneeUserId: { field: 'actionAssignee', keys: { otherwise: 'actions.errors.assignee' } },
    dueOn: { field: 'actionDueOn', keys: { otherwise: 'actions.errors.dueOn' } },
  },
  common: {
    tooLong: 'actions.errors.tooLong',
    controlCharacters: 'actions.errors.controlCharacters',
    otherwise: 'actions.errors.invalid',
  },
  fallbackField: 'actionDescription',
};

export const COMPLETE_ACTION_FORM_SPEC: FormSpec = {
  fields: { note: { field: 'note', keys: { missing: 'actions.errors.noteMissing' } } },
  common: {
    tooLong: 'actions.errors.tooLong',
    controlCharacters: 'actions.errors.controlCharacters',
    otherwise: 'actions.errors.invalid',
  },
  fallbackField: 'note',
};

export function formErrors(problems: FieldProblem[], spec: FormSpec, order: string[] = SET_FIELD_ORDER): FormError[] {
  const errors = problems
    .map((problem) => formErrorOf(problem, spec))
    .filter((error): error is FormError => error !== null);
  const once = errors.filter((error, i) => errors.findIndex((other) => other.field === error.field) === i);
  return inPageOrder(once, order);
}

/** A broken rule as the pages show it, or null for anything else (the error page says it). */
export function actionRuleError(error: unknown): FormError | null {
  if (!(error instanceof ActionRuleError)) return null;
  switch (error.reason) {
    case ActionError.AssigneeNotInOrganisation:
      return { field: 'actionAssignee', key: 'actions.rules.assignee_not_in_organisation' };
    case ActionError.DueInPast:
      return { field: 'actionDueOn', key: 'actions.rules.due_in_past' };
    case ActionError.ConcernClosed:
      return { field: 'actionDescription', key: 'actions.rules.concern_closed' };
    case ActionError.AlreadyCompleted:
      return { field: 'note', key: 'actions.rules.action_already_completed' };
  }
}
