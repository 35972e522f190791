import { IsDateOfBirth } from '../../../common/instant-validators';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsISO8601, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { AtMostItems, IsPlainText } from '../../../common/validation';
import { ESCALATION_ROUTES, EscalationRoute, REASONABLE_CAUSE_ANSWERS, ReasonableCause } from '../../../guidance/codes';
import { IsInstantNotInFuture } from '../../../common/instant-validators';

export class ConsentDto {
  @IsBoolean()
  sought: boolean;

  @IsOptional()
  @IsBoolean()
  given?: boolean | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 200 })
  givenBy?: string | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 2000 })
  reasonNotSought?: string | null;
}

export class HouseholdMemberDto {
  @IsPlainText({ min: 1, max: 200 })
  name: string;

  @IsPlainText({ min: 1, max: 100 })
  relationship: string;

  @IsOptional()
  @IsDateOfBirth()
  dateOfBirth?: string | null;
}

/**
 * The most of each list a referral takes. A household listed for MASH is the people living with the
 * child: 20 leaves room for a large or extended family (or a small residential home) without letting a
 * form carry hundreds. Agencies involved: every service around a family, with room to spare.
 */
export const REFERRAL_LIMITS = { householdMembers: 20, agenciesInvolved: 30 } as const;

/** The family's preferred language, at most this long. */
export const FAMILY_LANGUAGE_MAX = 200;

/** The Wales multi-agency referral fields. All optional: lack of detail must never prevent a report. */
export class ReferralDto {
  @IsOptional()
  @IsArray()
  @AtMostItems(REFERRAL_LIMITS.householdMembers)
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  householdMembers?: HouseholdMemberDto[];

  @IsOptional()
  @IsPlainText({ min: 1, max: 2000 })
  parentalResponsibility?: string | null;

  @ApiPropertyOptional({
    maxLength: 1000,
    description:
      "Where the child lives, as the DSP sends it (the referral form pre-fills it from the roll import's address).",
  })
  @IsOptional()
  @IsPlainText({ min: 1, max: 1000 })
  address?: string | null;

  @IsOptional()
  @IsArray()
  @AtMostItems(REFERRAL_LIMITS.agenciesInvolved)
  @IsPlainText({ min: 1, max: 300 }, { each: true })
  agenciesInvolved?: string[];

  @IsOptional()
  @IsPlainText({ min: 1, max: 5000 })
  protectiveMeasures?: string | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 10000 })
  knownAboutChildAndFamily?: string | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 5000 })
  additionalNeeds?: string | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 2000 })
  communicationNeeds?: string | null;

  @IsOptional()
  @IsPlainText({ min: 1, max: 2000 })
  riskToVisitors?: string | null;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When the DSP phoned the team first, if they did. MASH and designated-officer referrals are due one working day after it (the written referral confirms the call).',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantNotInFuture()
  phonedAt?: string | null;

  @ApiPropertyOptional({
    maxLength: FAMILY_LANGUAGE_MAX,
    example: 'Welsh',
    description:
      "The family's preferred language, as the DSP writes it (so the team can send a worker or an interpreter who speaks it). Shown to the receiving team.",
  })
  @IsOptional()
  @IsPlainText({ min: 1, max: FAMILY_LANGUAGE_MAX })
  familyLanguage?: string | null;
}

export class SendEscalationDto {
  @IsIn(ESCALATION_ROUTES)
  route: EscalationRoute;

  @IsOptional()
  @IsPlainText({ min: 1, max: 5000 })
  reasonForRoute?: string | null;

  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;

  @ApiPropertyOptional({
    type: () => ReferralDto,
    description: 'The Wales multi-agency referral fields, all optional.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralDto)
  referral?: ReferralDto;

  /** The DSP's threshold judgement sent with the referral; absent means not answered. */
  @IsOptional()
  @IsIn(REASONABLE_CAUSE_ANSWERS)
  reasonableCause?: ReasonableCause | null;

  /**
   * A member of staff reporting to MASH or the police themselves because no DSP could be reached
   * (Wales Safeguarding Procedures: anyone may report). Meaningless from a DSP, who reports as the DSP.
   */
  @IsOptional()
  @IsBoolean()
  dspUnavailable?: boolean;
}
