import { IsIn } from 'class-validator';
import { IsPlainText } from '../../../common/validation';
import { DECISION_OUTCOMES, DecisionOutcome } from '../../../guidance/codes';

export class RecordDecisionDto {
  @IsIn(DECISION_OUTCOMES)
  outcome: DecisionOutcome;

  /** Required for every outcome, `no_further_action` included. */
  @IsPlainText({ min: 1, max: 10000 })
  rationale: string;
}

export class CloseConcernDto {
  @IsPlainText({ min: 1, max: 10000 })
  rationale: string;
}
