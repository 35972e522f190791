import { Language } from '../organisations/roles';
import { CATALOGUES, Catalogue } from './catalogues';

/** Looks up `a.b.c` in the language's catalogue and fills `{name}` placeholders. */
export function translate(language: Language, key: string, params: Record<string, unknown> = {}): string {
  const found = lookup(CATALOGUES[language], key) ?? lookup(CATALOGUES.en, key);
  if (typeof found !== 'string') return key;
  return found.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export function hasKey(language: Language, key: string): boolean {
  return typeof lookup(CATALOGUES[language], key) === 'string';
}

/** Walks `a.b.c`; a key may itself hold dots (audit actions such as `pupil.viewed`), tried whole first. */
function lookup(catalogue: Catalogue, key: string): unknown {
  const parts = key.split('.');
  let node: unknown = catalogue;
  for (let i = 0; i < parts.length; i += 1) {
    if (!node || typeof node !== 'object') return undefined;
    const rest = parts.slice(i).join('.');
    if (typeof (node as Catalogue)[rest] === 'string') return (node as Catalogue)[rest];
    node = (node as Catalogue)[parts[i]];
  }
  return node;
}

const DATE_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }),
  cy: new Intl.DateTimeFormat('cy-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }),
};
const DATE_TIME_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }),
  cy: new Intl.DateTimeFormat('cy-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' }),
};

/** `2014-03-07` → "7 March 2014" / "7 Mawrth 2014". */
export function formatCalendarDate(language: Language, isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return DATE_FORMATS[language].format(new Date(Date.UTC(year, month - 1, day, 12)));
}

export function formatInstant(language: Language, instant: Date | string): string {
  return DATE_TIME_FORMATS[language].format(typeof instant === 'string' ? new Date(instant) : instant);
}
