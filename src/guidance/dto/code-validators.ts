import { applyDecorators } from '@nestjs/common';
import { ArrayUnique, IsArray, IsIn, IsISO8601 } from 'class-validator';
import { IsInstantNotInFuture } from '../../common/instant-validators';
import { AtMostItems } from '../../common/validation';
import { CONCERN_CATEGORIES, ISSUE_CODES, RISK_INDICATORS } from '../codes';

/**
 * The rules for a concern's codes and instant, shared by every DTO that takes them (recording a concern,
 * evaluating a draft one), so a code the guidance engine does not know is a 400 the same way everywhere.
 * Optionality stays with each DTO (`@IsOptional()` beside these).
 */

/**
 * Decorators listed as they would be stacked on a property, top first. TypeScript applies a stack
 * bottom-up and class-validator reports a field's messages in the order its rules were registered,
 * so they are applied in reverse: the messages keep the order they had when written out in each DTO.
 */
const stacked = (...decorators: Parameters<typeof applyDecorators>) => applyDecorators(...decorators.reverse());

/** One of CONCERN_CATEGORIES. */
export function IsConcernCategory() {
  return IsIn(CONCERN_CATEGORIES);
}

/** A list of distinct ISSUE_CODES (so never longer than the list of codes). */
export function IsIssueCodeList() {
  return stacked(IsArray(), ArrayUnique(), AtMostItems(ISSUE_CODES.length), IsIn(ISSUE_CODES, { each: true }));
}

/** A list of distinct RISK_INDICATORS (so never longer than the list of indicators). */
export function IsRiskIndicatorList() {
  return stacked(IsArray(), ArrayUnique(), AtMostItems(RISK_INDICATORS.length), IsIn(RISK_INDICATORS, { each: true }));
}

/** When a concern happened: an ISO 8601 instant with a zone, not in the future (see IsInstantNotInFuture). */
export function IsOccurredAt() {
  return stacked(
    IsISO8601(
      { strict: true, strictSeparator: true },
      { message: 'occurredAt must be an ISO 8601 date and time with a zone' },
    ),
    // Typed for string property names only, which is all a DTO has.
    IsInstantNotInFuture() as PropertyDecorator,
  );
}
