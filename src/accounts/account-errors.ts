import { ModuleRuleError, RuleDescription } from '../common/domain-error';

/** The rules of organisations and accounts (each a 422 on the API, with its `rule` code and field). */
export enum AccountError {
  CodeTaken = 'code_taken',
  CodeFormat = 'code_format',
  UnknownOrganisation = 'unknown_organisation',
  OrganisationInactive = 'organisation_inactive',
  RoleNotAtKind = 'role_not_at_kind',
  MembershipExists = 'membership_exists',
  AccountDeactivated = 'account_deactivated',
  LastAdmin = 'last_admin',
  OwnLastManagingMembership = 'own_last_managing_membership',
  OwnAccount = 'own_account',
  WorksElsewhere = 'works_elsewhere',
  LocalAuthorityAlwaysActive = 'local_authority_always_active',
  AlreadyAccepted = 'invitation_already_accepted',
}

function describe(reason: AccountError, code?: string): RuleDescription {
  switch (reason) {
    case AccountError.CodeTaken:
      return { rule: reason, field: 'code', message: `Another organisation already has the code ${code}` };
    case AccountError.CodeFormat:
      return {
        rule: reason,
        field: 'code',
        message: 'A school or PRU code is the local authority number and the establishment number: 7 digits',
      };
    case AccountError.UnknownOrganisation:
      return { rule: reason, field: 'organisationId', message: 'No such organisation in your local authority' };
    case AccountError.OrganisationInactive:
      return { rule: reason, field: 'organisationId', message: 'The organisation is deactivated: reactivate it first' };
    case AccountError.RoleNotAtKind:
      return {
        rule: reason,
        field: 'role',
        message:
          'Schools and PRUs have staff, DSPs and head teachers; the local authority has MASH, early help, LA leads and administrators',
      };
    case AccountError.MembershipExists:
      return { rule: reason, field: 'role', message: 'This person already has this role at this organisation' };
    case AccountError.AccountDeactivated:
      return { rule: reason, field: 'email', message: 'This account is deactivated: reactivate it first' };
    case AccountError.LastAdmin:
      return {
        rule: reason,
        field: 'role',
        message: 'This is the local authority’s last active administrator: add another administrator first',
      };
    case AccountError.OwnLastManagingMembership:
      return {
        rule: reason,
        field: 'role',
        message:
          'You are the last person who manages these accounts here: ask another head teacher, LA lead or the administrator to end this role',
      };
    case AccountError.OwnAccount:
      return { rule: reason, field: 'active', message: 'You cannot deactivate your own account' };
    case AccountError.WorksElsewhere:
      return {
        rule: reason,
        field: 'active',
        message: 'This person also has roles you do not manage: end their role here instead',
      };
    case AccountError.LocalAuthorityAlwaysActive:
      return { rule: reason, field: 'active', message: 'The local authority itself cannot be deactivated' };
    case AccountError.AlreadyAccepted:
      return { rule: reason, field: 'invitation', message: 'This person has already set their password' };
  }
}

export class AccountRuleError extends ModuleRuleError<AccountError> {
  constructor(reason: AccountError, code?: string) {
    super(reason, describe(reason, code));
  }
}
