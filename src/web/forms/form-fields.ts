import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AtMostItems } from '../../common/validation';

/**
 * Decorators for page DTOs: what a browser may post, nothing more. Every field is optional text, so a
 * page always comes back with what the person typed; the real rules and limits are the API DTO's,
 * applied to what the form maps to (validateAs), with their limits read from the failed rule. These
 * bounds only stop absurd posts before any form code runs (a 400 error page).
 */
export const POSTED_TEXT_MAX = 50_000;
const POSTED_CHOICE_MAX = 100;

/** A text input or textarea. */
export const FormText = (max: number = POSTED_TEXT_MAX) => applyDecorators(IsOptional(), IsString(), MaxLength(max));

/** A radio group, select, hidden input or button value: short text. */
export const FormChoice = () => FormText(POSTED_CHOICE_MAX);

/** A single checkbox: posts `true` when ticked and nothing when not; any other value is a tampered post (400). */
export const FormTick = () => applyDecorators(IsOptional(), IsIn(['true']));

const asList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/**
 * Checkboxes of one name: one ticked posts a string, several an array; always read as a list. `max`:
 * how many boxes the page has; more is a tampered post (400), refused before any item is read.
 */
export const FormCheckboxes = (max: number) =>
  applyDecorators(
    IsOptional(),
    // Before the Transform here: applyDecorators registers in order and class-transformer runs the
    // last registered first, so the list asList makes is the one measured.
    AtMostItems(max),
    Transform(asList),
    IsArray(),
    IsString({ each: true }),
    MaxLength(POSTED_CHOICE_MAX, { each: true }),
  );

/**
 * Repeated rows posted as `name[0][field]`, each a page DTO of its own. `max`: the most rows the page
 * can hold; more is a tampered post (400), refused before any row is built or read.
 */
export const FormRows = (type: () => new () => object, max: number) =>
  applyDecorators(IsOptional(), IsArray(), AtMostItems(max), ValidateNested({ each: true }), Type(type));
