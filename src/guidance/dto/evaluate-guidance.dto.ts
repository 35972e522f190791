import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { IsInstantNotInFuture } from '../../dsp/concerns/dto/instant-validators';
import { CONCERN_CATEGORIES, ConcernCategory, ISSUE_CODES, IssueCode, RISK_INDICATORS, RiskIndicator } from '../codes';

/** A draft concern to evaluate: nothing is stored. Unknown codes are 400s, as for a real concern. */
export class EvaluateGuidanceDto {
  @IsIn(CONCERN_CATEGORIES)
  category: ConcernCategory;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ISSUE_CODES.length)
  @IsIn(ISSUE_CODES, { each: true })
  issues?: IssueCode[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(RISK_INDICATORS.length)
  @IsIn(RISK_INDICATORS, { each: true })
  indicators?: RiskIndicator[];

  @IsOptional()
  @IsUUID('all', { message: 'pupilId must be a pupil id' })
  pupilId?: string;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'occurredAt must be an ISO 8601 date and time with a zone' })
  @IsInstantNotInFuture()
  occurredAt?: string;
}
