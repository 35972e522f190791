import { Language, Message, MessageParam } from '../common/language';
import { CATALOGUES, Catalogue } from './catalogues';

/** Looks up `a.b.c` in the language's catalogue and fills `{name}` placeholders. */
export type TranslateParams = Record<string, string | number | boolean | null | undefined>;

export function translate(language: Language, key: string, params: TranslateParams = {}): string {
  const found = lookup(CATALOGUES[language], key) ?? lookup(CATALOGUES.en, key);
  if (typeof found !== 'string') return key;
  return found.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** A domain message in words: its parameters that are messages (labels) are translated first. */
export function translateMessage(language: Language, text: Message): string {
  const params: TranslateParams = {};
  for (const [name, value] of Object.entries(text.params ?? {})) params[name] = translateParam(language, value);
  return translate(language, text.key, params);
}

function translateParam(language: Language, value: MessageParam): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value))
    return (value as readonly Message[]).map((item) => translateMessage(language, item)).join(', ');
  if ('nameCy' in value) return language === 'cy' && value.nameCy ? value.nameCy : value.name;
  return translateMessage(language, value as Message);
}

/**
 * A pupil's home language as a reader sees it: the stored value ("Polish") is a name in English; the
 * catalogue's `homeLanguages` names it in the reader's language ("Pwyleg"), and a value it does not know
 * is shown as stored.
 */
export function homeLanguageName(language: Language, stored: string): string {
  const key = `homeLanguages.${stored
    .trim()
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')}`;
  return hasKey(language, key) ? translate(language, key) : stored;
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
