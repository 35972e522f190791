import { EscalationError, MIN_REASON_FOR_ROUTE } from './escalation-errors';

/** What DOMAIN.md's escalation rules read of a referral (a whole SendEscalationDto, or a form's part of one). */
export interface ReferralForRules {
  route?: string;
  reasonForRoute?: string | null;
  consent: { sought?: boolean; given?: boolean | null; givenBy?: string | null; reasonNotSought?: string | null };
}

/**
 * Every escalation rule the referral breaks, in the order the form shows their fields (the API names
 * the first; the page shows them all at once). Unanswered parts break no rule here: their own field
 * checks report them.
 */
export function brokenEscalationRules(referral: ReferralForRules, againstRecommendation: boolean): EscalationError[] {
  const broken: EscalationError[] = [];
  if (againstRecommendation && (referral.reasonForRoute ?? '').trim().length < MIN_REASON_FOR_ROUTE)
    broken.push(EscalationError.ReasonRequiredAgainstRecommendation);
  if (referral.route === 'early_help') {
    if (referral.consent.given !== true) broken.push(EscalationError.EarlyHelpNeedsConsent);
    if (!referral.consent.givenBy) broken.push(EscalationError.EarlyHelpNeedsConsentGiver);
  }
  if (referral.route === 'mash' && referral.consent.sought === false && !referral.consent.reasonNotSought)
    broken.push(EscalationError.MashConsentNotSoughtNeedsReason);
  return broken;
}
