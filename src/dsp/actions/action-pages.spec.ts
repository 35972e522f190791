import { validateAs } from '../../web/forms';
import { ActionError, ActionRuleError } from './action-errors';
import { actionRuleError, formErrors, SET_ACTION_FORM_SPEC, setActionBodyOf, setActionFormOf } from './action-pages';
import { SetActionDto } from './dto/action.dto';

describe('the "set an action" page form', () => {
  const errorsOf = async (posted: Record<string, string>) => {
    const { problems } = await validateAs(SetActionDto, setActionBodyOf(setActionFormOf(posted)));
    return formErrors(problems, SET_ACTION_FORM_SPEC);
  };

  it('says what is missing beside each field, in page order', async () => {
    expect(await errorsOf({})).toEqual([
      { field: 'actionDescription', key: 'actions.errors.descriptionMissing' },
      { field: 'actionAssignee', key: 'actions.errors.assignee' },
      { field: 'actionDueOn', key: 'actions.errors.dueOn' },
    ]);
  });

  it('names the limit of a description too long, and refuses a date that does not exist', async () => {
    const errors = await errorsOf({
      actionDescription: 'x'.repeat(2001),
      actionAssignee: '5b0c8f1e-2a4b-4c3d-8e9f-0a1b2c3d4e5f',
      actionDueOn: '2026-02-29',
    });
    expect(errors).toEqual([
      { field: 'actionDescription', key: 'actions.errors.tooLong', max: 2000 },
      { field: 'actionDueOn', key: 'actions.errors.dueOn' },
    ]);
  });

  it('accepts a complete form', async () => {
    expect(
      await errorsOf({
        actionDescription: 'Phone home',
        actionAssignee: '5b0c8f1e-2a4b-4c3d-8e9f-0a1b2c3d4e5f',
        actionDueOn: '2026-12-04',
      }),
    ).toEqual([]);
  });

  it('shows each broken rule on its field', () => {
    expect(actionRuleError(new ActionRuleError(ActionError.DueInPast))).toEqual({
      field: 'actionDueOn',
      key: 'actions.rules.due_in_past',
    });
    expect(actionRuleError(new ActionRuleError(ActionError.AssigneeNotInOrganisation))?.field).toBe('actionAssignee');
    expect(actionRuleError(new Error('other'))).toBeNull();
  });
});
