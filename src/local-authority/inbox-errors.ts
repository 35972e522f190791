import { ModuleRuleError, RuleDescription } from '../common/domain-error';

/** The rules of answering a referral (each a 422 on the API, with its `rule` code). */
export enum InboxError {
  AlreadyAcknowledged = 'already_acknowledged',
  AlreadyDecided = 'already_decided',
  OutcomeNotForRoute = 'outcome_not_for_route',
}

/** What the message names: the referral's status, or the outcome, route and the outcomes allowed. */
export interface InboxErrorDetails {
  status?: string;
  outcome?: string;
  route?: string;
  allowed?: readonly string[];
}

function describe(reason: InboxError, details: InboxErrorDetails): RuleDescription {
  switch (reason) {
    case InboxError.AlreadyAcknowledged:
      return { rule: reason, field: 'status', message: `This referral is already ${details.status}` };
    case InboxError.AlreadyDecided:
      return { rule: reason, field: 'status', message: 'This referral already has an outcome' };
    case InboxError.OutcomeNotForRoute:
      return {
        rule: reason,
        field: 'outcome',
        message: `${details.outcome} is not an outcome for a ${details.route} referral (use one of: ${(details.allowed ?? []).join(', ')})`,
      };
  }
}

export class InboxRuleError extends ModuleRuleError<InboxError> {
  constructor(reason: InboxError, details: InboxErrorDetails = {}) {
    super(reason, describe(reason, details));
  }
}
