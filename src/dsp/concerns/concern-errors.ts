import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The rules a concern can break (each a 422 on the API, with its `rule` code). */
export enum ConcernError {
  AlreadyClosed = 'already_closed',
  ReasonRequiredBelowGuidance = 'reason_required_below_guidance',
}

/** The least a reason for deciding below the guidance must say (characters; DOMAIN.md, DSP decision). */
export const MIN_DECISION_REASON_FOR_ROUTE = 20;

function describe(reason: ConcernError): RuleDescription {
  switch (reason) {
    case ConcernError.AlreadyClosed:
      return {
        rule: 'concern_closed',
        field: 'status',
        message: 'This concern is closed: record a new concern for anything new',
      };
    case ConcernError.ReasonRequiredBelowGuidance:
      return {
        rule: 'reason_required_below_guidance',
        field: 'reasonForRoute',
        message:
          'This outcome is below the guidance for a child at risk (level 4 or 0, or reasonable cause to suspect): ' +
          `say why in reasonForRoute (at least ${MIN_DECISION_REASON_FOR_ROUTE} characters)`,
      };
  }
}

export class ConcernRuleError extends ModuleRuleError<ConcernError> {
  constructor(reason: ConcernError) {
    super(reason, describe(reason));
  }
}
