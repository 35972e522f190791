import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The rules of two-factor sign-in for a signed-in person (each a 422 on the API, with its `rule` code). */
export enum TwoFactorError {
  AlreadyEnabled = 'two_factor_already_enabled',
  NotSetUp = 'two_factor_not_set_up',
  NotEnabled = 'two_factor_not_enabled',
  WrongCode = 'two_factor_code_wrong',
  /** Moving to a new authenticator: the code from the one in use (or the recovery code) was wrong. */
  WrongCurrentCode = 'two_factor_current_code_wrong',
  WrongPassword = 'password_wrong',
  Required = 'two_factor_required',
}

function describe(reason: TwoFactorError): RuleDescription {
  switch (reason) {
    case TwoFactorError.AlreadyEnabled:
      return {
        rule: reason,
        field: 'code',
        message:
          'Two-factor sign-in is already on: to move to a new authenticator, also send currentCode (a code from the one in use, or a recovery code)',
      };
    case TwoFactorError.NotSetUp:
      return { rule: reason, field: 'code', message: 'Start setting up first (POST /api/auth/2fa/setup)' };
    case TwoFactorError.NotEnabled:
      return { rule: reason, field: 'code', message: 'Two-factor sign-in is not on for this account' };
    case TwoFactorError.WrongCode:
      return { rule: reason, field: 'code', message: 'The code is wrong, out of date or already used' };
    case TwoFactorError.WrongCurrentCode:
      return {
        rule: reason,
        field: 'currentCode',
        message: 'The code from the authenticator in use (or the recovery code) is wrong, out of date or already used',
      };
    case TwoFactorError.WrongPassword:
      return { rule: reason, field: 'password', message: 'The password is wrong' };
    case TwoFactorError.Required:
      return {
        rule: reason,
        field: 'code',
        message: 'Two-factor sign-in is required for your role and cannot be turned off',
      };
  }
}

export class TwoFactorRuleError extends ModuleRuleError<TwoFactorError> {
  constructor(reason: TwoFactorError) {
    super(reason, describe(reason));
  }
}
