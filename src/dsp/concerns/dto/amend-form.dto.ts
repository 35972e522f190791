import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageFormDto } from '../../../common/page-form.dto';
import { PageQueryDto } from '../../../common/page-query.dto';
import { ISSUE_CODES, RISK_INDICATORS } from '../../../guidance/codes';
import { FormCheckboxes, FormChoice, FormText } from '../../../web/forms';

export class AmendPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(30)
  field?: string;
}

/** The "correct this record" form (urlencoded): AmendConcernDto's rules apply to what it maps to. */
export class AmendFormDto extends PageFormDto {
  @FormChoice() field?: string;
  @FormText() value?: string;
  @FormChoice() occurredDate?: string;
  @FormChoice() occurredTime?: string;
  @FormChoice() choice?: string;
  @FormCheckboxes(Math.max(ISSUE_CODES.length, RISK_INDICATORS.length)) codes?: string | string[];
  @FormText() reason?: string;
}
