import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageFormDto } from '../../../common/page-form.dto';

/**
 * The referral form on the concern page, as the browser posts it. All optional text: the page
 * re-renders with the DSP's input kept, and SendEscalationDto's rules (400) and the service's
 * escalation rules (422) apply to what it maps to (see referral-form.ts).
 */
const TEXT = 50_000;

export class HouseholdMemberFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  relationship?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  dateOfBirth?: string;
}

export class ReferralFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  route?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  reasonForRoute?: string;

  /** `yes` or `no`. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  consentSought?: string;

  /** `yes` or `no`. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  consentGiven?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  consentGivenBy?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  reasonNotSought?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberFormDto)
  householdMembers?: HouseholdMemberFormDto[];

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  parentalResponsibility?: string;

  /** One agency a line. */
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  agenciesInvolved?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  protectiveMeasures?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  knownAboutChildAndFamily?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  additionalNeeds?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  communicationNeeds?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  riskToVisitors?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  phonedDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  phonedTime?: string;
}
