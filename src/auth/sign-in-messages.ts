import { TooManyAttemptsError } from '../common/domain-error';
import { Language } from '../common/language';
import { translate } from '../i18n/i18n.service';

/** How long to wait, in words: whole minutes, rounded up (never "0 minutes"). */
export function waitInWords(language: Language, retryAfterSeconds: number): string {
  const count = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return count === 1
    ? translate(language, 'login.errors.minutes.one')
    : translate(language, 'login.errors.minutes.other', { count });
}

/** The catalogue key that says truthfully what refused a sign-in (its limit). */
export function refusalKey(error: TooManyAttemptsError): string {
  return `login.errors.limits.${error.limit}`;
}

/** The same refusal with its message in the reader's language, for the API's JSON. */
export function refusalInWords(error: TooManyAttemptsError, language: Language): TooManyAttemptsError {
  const message = translate(language, refusalKey(error), {
    minutes: waitInWords(language, error.retryAfterSeconds),
  });
  return new TooManyAttemptsError(error.retryAfterSeconds, error.limit, message);
}
