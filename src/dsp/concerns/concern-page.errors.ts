import { FormError } from '../../web/forms';
import { EscalationRuleError } from '../escalations/escalation-errors';
import { referralRuleError } from '../escalations/referral-form';
import { ConcernError, ConcernRuleError, MIN_DECISION_REASON_FOR_ROUTE } from './concern-errors';

/** The forms of the concern page, by the field a message about the whole form is shown on. */
const FIRST_FIELD = { decision: 'outcome', referral: 'route', close: 'closeRationale' } as const;
export type ConcernPageForm = keyof typeof FIRST_FIELD;

function concernRuleError(reason: ConcernError, form: ConcernPageForm): FormError {
  switch (reason) {
    case ConcernError.AlreadyClosed:
      return { field: FIRST_FIELD[form], key: 'concernPage.errors.closed' };
    case ConcernError.ReasonRequiredBelowGuidance:
      return {
        field: 'decisionReasonForRoute',
        key: 'concernPage.errors.decisionReasonForRoute',
        max: MIN_DECISION_REASON_FOR_ROUTE,
      };
  }
}

/**
 * A broken rule as the concern page shows it, on the form that was posted: what actually went wrong,
 * by the rule's type. Null for anything else (the error page answers it).
 */
export function concernPageErrorOf(error: unknown, form: ConcernPageForm): FormError | null {
  return concernPageErrorsOf(error, form)?.[0] ?? null;
}

/** As concernPageErrorOf, with every rule the post broke (a referral can break several at once). */
export function concernPageErrorsOf(error: unknown, form: ConcernPageForm): FormError[] | null {
  if (error instanceof ConcernRuleError) return [concernRuleError(error.reason, form)];
  if (error instanceof EscalationRuleError) return error.reasons.map(referralRuleError);
  return null;
}
