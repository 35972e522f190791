import { ModuleRuleError, RuleDescription } from '../../common/domain-error';

/** The rules of the services directory (each a 422 on the API, with its `rule` code). */
export enum DirectoryError {
  CodeTaken = 'code_taken',
  LevelRangeOrder = 'level_range_order',
  NeedsUntaggedService = 'needs_untagged_service',
}

/** What the message names: the code taken, or the level left without a service and the field whose change did it. */
export interface DirectoryErrorDetails {
  code?: string;
  level?: number;
  field?: string;
}

function describe(reason: DirectoryError, details: DirectoryErrorDetails): RuleDescription {
  switch (reason) {
    case DirectoryError.CodeTaken:
      return {
        rule: 'code_taken',
        field: 'code',
        message: `The directory already has a service with the code ${details.code}`,
      };
    case DirectoryError.LevelRangeOrder:
      return {
        rule: 'level_range_order',
        field: 'maxLevel',
        message:
          'The highest level must be the same as or more severe than the lowest (levels in order of severity: 1, 2, 3, 4, 0)',
      };
    case DirectoryError.NeedsUntaggedService:
      return {
        rule: `directory_needs_untagged_level_${details.level}`,
        field: details.field ?? 'active',
        message: `The directory must keep at least one service offered for every concern at level ${details.level} (no issue tags, level range including ${details.level})`,
      };
  }
}

export class DirectoryRuleError extends ModuleRuleError<DirectoryError> {
  constructor(reason: DirectoryError, details: DirectoryErrorDetails = {}) {
    super(reason, describe(reason, details));
  }
}
