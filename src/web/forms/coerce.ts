/**
 * Reading what a browser posts. Page DTOs accept every field as optional text (see form-fields.ts), so
 * the page can always come back with what the person typed; these helpers turn that into form state
 * and form state into API DTO values. Text is never trimmed or altered: blank only means "not given".
 */

/** A text input: its value, or '' when absent or not text (a tampered post). */
export const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Checkboxes of one name: none posts nothing, one a string, several an array. */
export const checkboxes = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];

/** A single checkbox posting `true` when ticked. */
export const ticked = (value: unknown): boolean => value === 'true';

export const isBlank = (value: string): boolean => value.trim() === '';

/** Blank means "not given"; anything else is kept exactly as typed. */
export const given = (value: string | undefined): string | undefined =>
  typeof value === 'string' && !isBlank(value) ? value : undefined;

/** Radio buttons `yes` / `no` as a boolean; anything else is not answered. */
export const yesNo = (value: string): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** A number input or a select as a whole number, or NaN when it is not one (the DTO then says so). */
export const wholeNumber = (value: string | undefined): number =>
  typeof value === 'string' && /^\s*-?\d{1,6}\s*$/.test(value) ? Number(value.trim()) : Number.NaN;

/** Repeated rows (`linkedPupils[0][role]`...): at most `count` rows read, padded with empty ones. */
export function rows<T>(posted: readonly unknown[] | undefined, count: number, read: (row: unknown) => T): T[] {
  const result = (posted ?? []).slice(0, count).map(read);
  while (result.length < count) result.push(read({}));
  return result;
}

/** One line a value (a textarea of agencies, say); blank lines are skipped, each line kept as typed. */
export const lines = (value: string): string[] => value.split(/\r?\n/).filter((line) => !isBlank(line));
