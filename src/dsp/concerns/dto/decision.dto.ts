import { IsIn } from 'class-validator';
import { IsPlainText } from '../../../common/validation';
import { DECISION_OUTCOMES, DecisionOutcome } from '../../../guidance/codes';

/** A decision's or closure's rationale, at most this long. */
export const RATIONALE_MAX = 10_000;

export class RecordDecisionDto {
  @IsIn(DECISION_OUTCOMES)
  outcome: DecisionOutcome;

  /** Required for every outcome, `no_further_action` included. */
  @IsPlainText({ min: 1, max: RATIONALE_MAX })
  rationale: string;
}

export class CloseConcernDto {
  @IsPlainText({ min: 1, max: RATIONALE_MAX })
  rationale: string;
}
