import { IsOptional, IsUUID } from 'class-validator';
import { ConcernCategory, IssueCode, RiskIndicator } from '../codes';
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

  @IsOptional()
  @IsUUID('all', { message: 'pupilId must be a pupil id' })
  pupilId?: string;

  @IsOptional()
  @IsOccurredAt()
  occurredAt?: string;
}
