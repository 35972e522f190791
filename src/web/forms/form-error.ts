/**
 * The one error shape of every page form: shown in the error summary and next to its field.
 * `field` is the id of the input it links to, `key` a catalogue key (en.json / cy.json), and `row`
 * and `max` the placeholders some messages have ("row {row}", "at most {max} characters").
 */
export interface FormError {
  field: string;
  key: string;
  row?: number;
  max?: number;
}

/** The error to show next to `field`, or null. */
export function errorFor(errors: readonly FormError[] | undefined, field: string): FormError | null {
  return errors?.find((error) => error.field === field) ?? null;
}

/** Adds `error` unless its field already has one (a field shows one message at a time). */
export function addOnce(errors: FormError[], error: FormError | null): void {
  if (error && !errors.some((existing) => existing.field === error.field)) errors.push(error);
}

/**
 * In the order the fields appear on the page, so the summary reads top to bottom. `order` lists field
 * ids or id prefixes (`linkedPupils` covers `linkedPupils-0-role`); unlisted fields come last.
 */
export function inPageOrder(errors: readonly FormError[], order: readonly string[]): FormError[] {
  const rank = (field: string) => {
    const index = order.findIndex((name) => field === name || field.startsWith(`${name}-`));
    return index === -1 ? order.length : index;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field));
}
