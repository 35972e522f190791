import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ConcernCategory, IssueCode, REASONABLE_CAUSE_ANSWERS, ReasonableCause, RiskIndicator } from '../codes';
import { IsConcernCategory, IsIssueCodeList, IsOccurredAt, IsRiskIndicatorList } from './code-validators';

/** A draft concern to evaluate: nothing is stored. Unknown codes are 400s, as for a real concern. */
export class EvaluateGuidanceDto {
  @IsConcernCategory()
  category: ConcernCategory;

  @IsOptional()
  @IsIssueCodeList()
  issues?: IssueCode[];

  @IsOptional()
  @IsRiskIndicatorList()
  indicators?: RiskIndicator[];

  /** The DSP's threshold judgement (DOMAIN.md); absent: not answered. */
  @IsOptional()
  @IsIn(REASONABLE_CAUSE_ANSWERS, { message: `reasonableCause must be one of: ${REASONABLE_CAUSE_ANSWERS.join(', ')}` })
  reasonableCause?: ReasonableCause;

  @IsOptional()
  @IsUUID('all', { message: 'pupilId must be a pupil id' })
  pupilId?: string;

  @IsOptional()
  @IsOccurredAt()
  occurredAt?: string;
}
