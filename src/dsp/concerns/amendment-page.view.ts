import { londonDateAndTime, londonInstant } from '../../calendar/london-time';
import { CONCERN_CATEGORIES, CONCERN_CONTEXTS, ISSUE_CODES, RISK_INDICATORS } from '../../guidance/codes';
import { FormError } from '../../web/forms/form-error';
import { Concern } from './concern.entity';
import { isAmendableField } from './amendment-rules';
import { AmendableField, AmendmentValue } from './concern-amendment.entity';
import { AmendmentResponse } from './concern-amendments.service';

/** How a field's value reads on a page: text as typed, an instant, or catalogue keys of codes. */
export interface ShownValue {
  text: string | null;
  instant: string | null;
  labels: string[];
  none: boolean;
}

const LABEL_PREFIX: Partial<Record<AmendableField, string>> = {
  category: 'concernCategories.',
  context: 'concernContexts.',
  issues: 'concernIssues.',
  indicators: 'riskIndicators.',
};

export function shownValue(field: AmendableField, value: AmendmentValue): ShownValue {
  const prefix = LABEL_PREFIX[field];
  const none = value === null || (Array.isArray(value) && value.length === 0);
  if (none) return { text: null, instant: null, labels: [], none: true };
  if (field === 'occurredAt') return { text: null, instant: value as string, labels: [], none: false };
  if (prefix) {
    const codes = Array.isArray(value) ? value : [value];
    return { text: null, instant: null, labels: codes.map((code) => prefix + code), none: false };
  }
  return { text: value as string, instant: null, labels: [], none: false };
}

/** The concern page's corrections history (views/partials/concern-amendments.hbs). */
export function amendmentsView(amendments: AmendmentResponse[]) {
  return amendments.map((amendment) => ({
    at: amendment.at,
    by: amendment.by,
    fieldKey: `amendments.fields.${amendment.field}`,
    previous: shownValue(amendment.field, amendment.previous),
    value: shownValue(amendment.field, amendment.value),
    reason: amendment.reason,
  }));
}

/** The correction form as posted (every input optional text; the rules are the service's). */
export interface AmendFormState {
  field: AmendableField;
  text: string;
  date: string;
  time: string;
  choice: string;
  codes: string[];
  reason: string;
}

/** The form for `field`, filled with the concern's current value. */
export function amendFormFor(field: AmendableField, current: Pick<Concern, AmendableField>): AmendFormState {
  const { date, time } = londonDateAndTime(current.occurredAt);
  const value: unknown = current[field];
  return {
    field,
    text: typeof value === 'string' && field !== 'category' && field !== 'context' ? value : '',
    date,
    time,
    choice: typeof value === 'string' ? value : '',
    codes: Array.isArray(value) ? (value as string[]) : [],
    reason: '',
  };
}

/** The value the form means for the API's rules, or a page error (the date and time must make an instant). */
export function amendValueOf(state: AmendFormState): { value?: unknown; errors: FormError[] } {
  switch (state.field) {
    case 'occurredAt': {
      const instant = londonInstant(state.date, state.time);
      if (!state.date.trim() || !state.time.trim())
        return { errors: [{ field: 'occurredDate', key: 'amendments.errors.occurredMissing' }] };
      if (!instant) return { errors: [{ field: 'occurredDate', key: 'amendments.errors.occurredInvalid' }] };
      return { value: instant, errors: [] };
    }
    case 'issues':
    case 'indicators':
      return { value: state.codes, errors: [] };
    case 'category':
      return { value: state.choice, errors: [] };
    case 'context':
      return { value: state.choice === '' ? null : state.choice, errors: [] };
    case 'summary':
      return { value: state.text, errors: [] };
    default:
      // childsWords, actionTaken: empty means none.
      return { value: state.text.trim() === '' ? null : state.text, errors: [] };
  }
}

/** The id of the input a field's value error links to. */
export function valueInputId(field: AmendableField): string {
  if (field === 'occurredAt') return 'occurredDate';
  if (field === 'issues' || field === 'indicators' || field === 'category' || field === 'context') return `${field}-0`;
  return 'value';
}

export function amendFormView(state: AmendFormState, errors: FormError[]) {
  const errorOf = (id: string) => errors.find((error) => error.field === id) ?? null;
  const option = (prefix: string, codes: readonly string[], selected: (code: string) => boolean) =>
    codes.map((code, index) => ({
      id: `${state.field}-${index}`,
      value: code,
      label: prefix + code,
      checked: selected(code),
    }));
  return {
    form: state,
    errors,
    fieldKey: `amendments.fields.${state.field}`,
    valueId: valueInputId(state.field),
    valueError: errorOf(valueInputId(state.field)),
    reasonError: errorOf('reason'),
    isText: ['summary', 'childsWords', 'actionTaken'].includes(state.field),
    isChildsWords: state.field === 'childsWords',
    isOccurredAt: state.field === 'occurredAt',
    isCategory: state.field === 'category',
    isContext: state.field === 'context',
    isCodes: state.field === 'issues' || state.field === 'indicators',
    categories: option('concernCategories.', CONCERN_CATEGORIES, (code) => state.choice === code),
    contexts: option('concernContexts.', CONCERN_CONTEXTS, (code) => state.choice === code),
    codes:
      state.field === 'issues'
        ? option('concernIssues.', ISSUE_CODES, (code) => state.codes.includes(code))
        : option('riskIndicators.', RISK_INDICATORS, (code) => state.codes.includes(code)),
  };
}

export const fieldOfQuery = (field: unknown): AmendableField | null => (isAmendableField(field) ? field : null);
