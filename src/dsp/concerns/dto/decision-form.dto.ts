import { IsOptional, IsString, MaxLength } from 'class-validator';
import { OneUsePageFormDto } from '../../../common/page-form.dto';
import { PageQueryDto } from '../../../common/page-query.dto';
import { FormChoice, FormText } from '../../../web/forms';

/** The concern page: `?done=` names what was just done, for the success banner. */
export class ConcernPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(30)
  done?: string;
}

/** The DSP's decision form on the concern page; RecordDecisionDto's rules apply to what it maps to. */
export class DecisionFormDto extends OneUsePageFormDto {
  @FormChoice() outcome?: string;
  /** `yes`, `no` or `unsure`: the threshold judgement (required on the page). */
  @FormChoice() reasonableCause?: string;
  @FormText() rationale?: string;
  /** Why a route lower than the guidance. */
  @FormText() reasonForRoute?: string;
  /** When the DSP already phoned MASH or the police (London date and time). */
  @FormChoice() phonedDate?: string;
  @FormChoice() phonedTime?: string;
}

/** The close form on the concern page; CloseConcernDto's rules apply. */
export class CloseFormDto extends OneUsePageFormDto {
  @FormText() closeRationale?: string;
}
