import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The rules a concern can break (each a 422 on the API, with its `rule` code). */
export enum ConcernError {
  AlreadyClosed = 'already_closed',
}

function describe(reason: ConcernError): RuleDescription {
  switch (reason) {
    case ConcernError.AlreadyClosed:
      return {
        rule: 'concern_closed',
        field: 'status',
        message: 'This concern is closed: record a new concern for anything new',
      };
  }
}

export class ConcernRuleError extends ModuleRuleError<ConcernError> {
  constructor(reason: ConcernError) {
    super(reason, describe(reason));
  }
}
