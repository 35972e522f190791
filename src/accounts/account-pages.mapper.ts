import { PasswordProblem } from '../auth/password-policy';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Role } from '../common/roles';
import { FieldProblem, FormError, formErrorOf, FormSpec } from '../web/forms';
import { AccountRuleError } from './account-errors';
import { manages, rolesFor } from './account-management';
import { AccountView, OrganisationView } from './account.mapper';
import { PasswordRefusedError } from './invitations.service';

/** What `?done=` may say after a change (each `accounts.done.<code>`). */
export const ACCOUNT_PAGE_DONE = [
  'added',
  'renamed',
  'deactivated',
  'reactivated',
  'invited',
  'membershipAdded',
  'membershipEnded',
  'invitationResent',
] as const;
export type AccountPageDone = (typeof ACCOUNT_PAGE_DONE)[number];

const fieldKeys = (field: string) => ({
  field,
  keys: { missing: `accounts.errors.${field}Missing`, otherwise: `accounts.errors.${field}Invalid` },
});

/** The forms' fields: each has a "missing" and an "invalid" message; lengths and control characters are common. */
export const ACCOUNT_FORM_SPEC: FormSpec = {
  fields: Object.fromEntries(
    ['kind', 'name', 'nameCy', 'code', 'email', 'organisationId', 'role', 'language', 'password'].map((f) => [
      f,
      fieldKeys(f),
    ]),
  ),
  common: {
    tooLong: 'accounts.errors.tooLong',
    controlCharacters: 'accounts.errors.controlCharacters',
    otherwise: 'accounts.errors.invalid',
  },
  fallbackField: 'name',
};

export function formErrorsOfProblems(problems: FieldProblem[]): FormError[] {
  return problems.map((problem) => formErrorOf(problem, ACCOUNT_FORM_SPEC)).filter((e): e is FormError => e !== null);
}

/**
 * A service's refusal as a page shows it: a broken rule on its field, a refused password with each of
 * its problems; null for anything else (the error page says it).
 */
export function formErrorsOf(error: unknown, actionsField = 'actions'): { status: number; errors: FormError[] } | null {
  if (error instanceof PasswordRefusedError)
    return {
      status: 400,
      errors: error.problems.map((problem: PasswordProblem) => ({
        field: 'password',
        key: `accounts.passwordPolicy.${problem}`,
      })),
    };
  if (error instanceof AccountRuleError) {
    const field = Object.keys(error.errors)[0] ?? actionsField;
    const onForm = ['code', 'name', 'email', 'organisationId', 'role'].includes(field) ? field : actionsField;
    return { status: 422, errors: [{ field: onForm, key: `accounts.rules.${error.reason}` }] };
  }
  if (error instanceof DomainError && error.code === ErrorCode.Forbidden)
    return { status: 403, errors: [{ field: 'role', key: 'accounts.rules.not_managed' }] };
  return null;
}

/** The organisation and role choices of the invite and add-role forms: what the caller manages. */
export function placeChoices(
  actor: { role: Role; organisationId: string; localAuthorityId: string },
  organisations: OrganisationView[],
  chosen: { organisationId?: string; role?: string } = {},
) {
  const managedRoles = (organisation: OrganisationView): Role[] =>
    rolesFor(organisation.kind).filter((role) =>
      manages(actor, {
        organisationId: organisation.id,
        localAuthorityId: organisation.localAuthorityId ?? organisation.id,
        role,
      }),
    );
  const places = organisations.filter((o) => managedRoles(o).length > 0);
  const roles = [...new Set(places.flatMap(managedRoles))];
  return {
    organisationOptions: places.map((o) => ({ ...o, selected: o.id === chosen.organisationId })),
    roleOptions: roles.map((role) => ({ value: role, selected: role === chosen.role })),
  };
}

/** An account for the pages: its memberships with their organisations' names. */
export function accountPageView(account: AccountView, organisations: Map<string, OrganisationView>) {
  const memberships = account.memberships.map((m) => ({
    ...m,
    organisation: organisations.get(m.organisationId) ?? null,
    current: m.endedAt === null,
  }));
  return {
    ...account,
    memberships,
    currentMemberships: memberships.filter((m) => m.current),
    status: !account.active ? 'deactivated' : account.invitationAccepted ? 'active' : 'invited',
  };
}
