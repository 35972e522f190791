import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsInstantNotInFuture } from '../../../common/instant-validators';
import { IsPlainText } from '../../../common/validation';
import { DECISION_OUTCOMES, DecisionOutcome, REASONABLE_CAUSE_ANSWERS, ReasonableCause } from '../../../guidance/codes';

/** A decision's or closure's rationale, at most this long. */
export const RATIONALE_MAX = 10_000;

export class RecordDecisionDto {
  @IsIn(DECISION_OUTCOMES)
  outcome: DecisionOutcome;

  /** Required for every outcome, `no_further_action` included. */
  @IsPlainText({ min: 1, max: RATIONALE_MAX })
  rationale: string;

  /** The DSP's threshold judgement (DOMAIN.md): absent means not answered (the page form always asks). */
  @IsOptional()
  @IsIn(REASONABLE_CAUSE_ANSWERS)
  reasonableCause?: ReasonableCause | null;

  /** Why a route below the guidance: required (20+ characters) below a level-4/0 guidance or after `yes`. */
  @IsOptional()
  @IsPlainText({ min: 1, max: 5000 })
  reasonForRoute?: string | null;

  /** When the DSP already phoned MASH or the police: the written referral is due within 24 hours of it. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantNotInFuture()
  phonedAt?: string | null;
}

export class CloseConcernDto {
  @IsPlainText({ min: 1, max: RATIONALE_MAX })
  rationale: string;
}
