import { applyDecorators } from '@nestjs/common';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { AtMostItems, IsPlainText } from '../../../common/validation';
import { GUIDANCE_LEVELS, GuidanceLevel, ISSUE_CODES, IssueCode } from '../../codes';
import { EARLY_HELP_RESPONSE_DAYS, TUNABLE_THRESHOLDS, TunableThresholdKey } from '../directory.service';

/** Service codes: stable identifiers shown in guidance answers (`services[].code`). */
export const SERVICE_CODE_PATTERN = /^[a-z0-9_]{2,60}$/;

/** Longest text per field (characters). Names match the column; the rest are generous but bounded. */
export const DIRECTORY_TEXT_LIMITS = { name: 200, description: 2000, howToAccess: 2000 } as const;

/**
 * One service of the directory, as the LA lead's editor gives it: the rules of its fields, once, for the
 * service (which refuses anything else with a 400) and for the page form (which shows each problem).
 */
export class DirectoryEntryDto {
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.name }) nameEn: string;
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.name }) nameCy: string;
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.description }) descriptionEn: string;
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.description }) descriptionCy: string;
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.howToAccess }) howToAccessEn: string;
  @IsPlainText({ max: DIRECTORY_TEXT_LIMITS.howToAccess }) howToAccessCy: string;

  @IsIn(GUIDANCE_LEVELS, { message: 'minLevel must be one of the levels 0 to 4' })
  minLevel: GuidanceLevel;

  @IsIn(GUIDANCE_LEVELS, { message: 'maxLevel must be one of the levels 0 to 4' })
  maxLevel: GuidanceLevel;

  @IsArray({ message: 'issueTags must be a list of issue codes' })
  // Distinct codes, so never more than there are codes; a longer list is refused before its items are read.
  @AtMostItems(ISSUE_CODES.length)
  @IsIn(ISSUE_CODES, { each: true, message: 'each of issueTags must be an issue code' })
  @ArrayUnique({ message: 'issueTags must not repeat a code' })
  issueTags: IssueCode[];

  @IsBoolean({ message: 'active must be true or false' })
  active: boolean;
}

export class NewDirectoryEntryDto extends DirectoryEntryDto {
  @Matches(SERVICE_CODE_PATTERN, { message: 'code must be 2 to 60 lower-case letters, digits or underscores' })
  code: string;
}

/** A tunable threshold: a whole number within its bounds (TUNABLE_THRESHOLDS); absent means unchanged. */
function WithinBounds(key: TunableThresholdKey) {
  const { min, max } = TUNABLE_THRESHOLDS[key];
  const message = `${key} must be a whole number from ${min} to ${max}`;
  const within = ValidateBy({
    name: 'isWholeNumberWithin',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
      defaultMessage: () => message,
    },
  });
  return applyDecorators(IsOptional(), within);
}

/** Early help's response time (DOMAIN.md, Timescales): whole working days within EARLY_HELP_RESPONSE_DAYS. */
export class EarlyHelpResponseDto {
  @IsInt({ message: 'earlyHelpResponseDays must be a whole number of working days' })
  @Min(EARLY_HELP_RESPONSE_DAYS.min)
  @Max(EARLY_HELP_RESPONSE_DAYS.max)
  earlyHelpResponseDays: number;
}

/** The level-3 history triggers the LA lead may tune (the level-4 ones are fixed). */
export class ThresholdsDto {
  @WithinBounds('patternFrequencyCount') patternFrequencyCount?: number;
  @WithinBounds('patternFrequencyDays') patternFrequencyDays?: number;
  @WithinBounds('patternCategoriesCount') patternCategoriesCount?: number;
  @WithinBounds('patternCategoriesDays') patternCategoriesDays?: number;
  @WithinBounds('afterMashClosureMonths') afterMashClosureMonths?: number;
}
