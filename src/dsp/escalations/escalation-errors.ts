import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The least a reason for a route below the guidance must say (characters). */
export const MIN_REASON_FOR_ROUTE = 20;

/** DOMAIN.md's escalation rules (each a 422 on the API, with its `rule` code and the field it is about). */
export enum EscalationError {
  OpenReferralOnRoute = 'open_referral_on_route',
  ReasonRequiredAgainstRecommendation = 'reason_required_against_recommendation',
  EarlyHelpNeedsConsent = 'early_help_needs_consent',
  EarlyHelpNeedsConsentGiver = 'early_help_needs_consent_giver',
  MashConsentNotSoughtNeedsReason = 'mash_consent_not_sought_needs_reason',
  DspUnavailableRoute = 'dsp_unavailable_route',
}

function describe(reason: EscalationError): RuleDescription {
  switch (reason) {
    case EscalationError.OpenReferralOnRoute:
      return {
        rule: 'referral_already_open',
        field: 'route',
        message: 'This concern already has a referral on this route that is waiting for an answer',
      };
    case EscalationError.ReasonRequiredAgainstRecommendation:
      return {
        rule: 'reason_required_against_recommendation',
        field: 'reasonForRoute',
        message: `This route is below the guidance for this concern: say why in reasonForRoute (at least ${MIN_REASON_FOR_ROUTE} characters)`,
      };
    case EscalationError.EarlyHelpNeedsConsent:
      return {
        rule: 'early_help_needs_consent',
        field: 'consent.given',
        message: "An early help referral needs the family's consent: record that consent was given",
      };
    case EscalationError.EarlyHelpNeedsConsentGiver:
      return {
        rule: 'early_help_needs_consent',
        field: 'consent.givenBy',
        message: 'Record who gave consent for the early help referral',
      };
    case EscalationError.MashConsentNotSoughtNeedsReason:
      return {
        rule: 'mash_consent_not_sought_needs_reason',
        field: 'consent.reasonNotSought',
        message: 'Consent was not sought: say why (for example, it would put the child at further risk)',
      };
    case EscalationError.DspUnavailableRoute:
      return {
        rule: 'dsp_unavailable_route',
        field: 'route',
        message:
          'When no DSP can be reached, a member of staff reports to MASH or the police (route mash or police); ' +
          'other routes are for the DSP',
      };
  }
}

export class EscalationRuleError extends ModuleRuleError<EscalationError> {
  /** Every rule the request broke, `reason` (the one the API names) first. */
  readonly reasons: EscalationError[];

  constructor(reason: EscalationError, others: EscalationError[] = []) {
    super(reason, describe(reason));
    this.reasons = [reason, ...others];
  }
}
