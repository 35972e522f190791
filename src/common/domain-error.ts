/** Field-keyed messages, as API.md's error shape: `{ statusCode, message, errors: { field: [messages] } }`. */
export type FieldErrors = Record<string, string[]>;

export enum ErrorCode {
  InvalidInput = 'invalid_input',
  RuleBroken = 'rule_broken',
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  TooManyAttempts = 'too_many_attempts',
  CsrfRejected = 'csrf_rejected',
  /** REQUIRE_2FA: the account must set up two-factor sign-in before anything else (403; pages go to set it up). */
  TwoFactorSetupRequired = 'two_factor_setup_required',
  /** An uploaded file larger than its route allows (413). */
  PayloadTooLarge = 'payload_too_large',
  /** An uploaded file of a type its route does not accept, judged from its content (415). */
  UnsupportedMediaType = 'unsupported_media_type',
}

/** Every error a user can cause is one of these; the exception filter maps each code to HTTP once. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldErrors = {},
  ) {
    super(message);
  }
}

export class InvalidInputError extends DomainError {
  constructor(errors: FieldErrors, message = 'The request has invalid fields') {
    super(ErrorCode.InvalidInput, message, errors);
  }
}

/** A domain rule was broken (422). `rule` names it; `field` is the field the rule is about. */
export class RuleBrokenError extends DomainError {
  constructor(
    readonly rule: string,
    field: string,
    message: string,
  ) {
    super(ErrorCode.RuleBroken, message, { [field]: [message] });
  }
}

/** What a module says about one of its broken rules: the API's `rule` code, the field it is about, the message. */
export interface RuleDescription {
  rule: string;
  field: string;
  message: string;
}

/**
 * A broken rule of one module, typed by the module's own codes (`reason`, e.g. ConcernError.AlreadyClosed)
 * so a page can switch on it exhaustively. The API answer is the RuleBrokenError's (422 with `rule`).
 */
export abstract class ModuleRuleError<Reason extends string> extends RuleBrokenError {
  protected constructor(
    readonly reason: Reason,
    description: RuleDescription,
  ) {
    super(description.rule, description.field, description.message);
  }
}

/** Also used for records the caller may not see: they must look exactly like missing ones. */
export class NotFoundError extends DomainError {
  constructor(what = 'Record') {
    super(ErrorCode.NotFound, `${what} not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Your role cannot do this') {
    super(ErrorCode.Forbidden, message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign in to continue') {
    super(ErrorCode.Unauthenticated, message);
  }
}

/** A sign-in refused by a limit: `limit` says which (auth's SignInLimit), the message says it in words. */
export class TooManyAttemptsError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: string,
    message: string,
  ) {
    super(ErrorCode.TooManyAttempts, message);
  }
}

export class CsrfRejectedError extends DomainError {
  constructor() {
    super(
      ErrorCode.CsrfRejected,
      'The form has expired or did not come from this site. Reload the page and try again.',
    );
  }
}

/** Signed in, but two-factor sign-in is required of this account and not set up yet (API.md). */
export class TwoFactorSetupRequiredError extends DomainError {
  constructor() {
    super(
      ErrorCode.TwoFactorSetupRequired,
      'Set up two-factor sign-in first: POST /api/auth/2fa/setup, then POST /api/auth/2fa/enable',
    );
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.InvalidInput:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.CsrfRejected:
    case ErrorCode.TwoFactorSetupRequired:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.RuleBroken:
      return 422;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.TooManyAttempts:
      return 429;
  }
}
