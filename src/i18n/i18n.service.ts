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
  if ('calendarDay' in value) return formatCalendarDate(language, value.calendarDay);
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

const DUE_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy-GB', { month: 'long', timeZone: 'UTC' }),
};

/**
 * A due time as people say it, on the Europe/London clock: "by 14:15 on Tuesday 24 November" /
 * "erbyn 14:15 ddydd Mawrth 24 Tachwedd"; the year only when it is not this year's. A due time at
 * exactly midnight is said as the end of the day before ("by the end of Monday 23 November"), never
 * "00:00".
 */
export function formatDueTime(language: Language, instant: Date | string, now: Date = new Date()): string {
  const due = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(due.getTime())) return '';
  const fields = (at: Date) => {
    const parts: Record<string, string> = {};
    for (const part of DUE_PARTS.formatToParts(at)) parts[part.type] = part.value;
    return parts;
  };
  let parts = fields(due);
  const midnight = parts.hour === '00' && parts.minute === '00';
  // The end of the day before: read the wall clock a minute earlier.
  if (midnight) parts = fields(new Date(due.getTime() - 60_000));
  const year = Number(parts.year);
  const calendarDay = new Date(Date.UTC(year, Number(parts.month) - 1, Number(parts.day), 12));
  const sameYear = Number(fields(now).year) === year;
  // "24 Tachwedd": day then month in both languages (cy-GB's own order would be "Tachwedd 24").
  const date = `${Number(parts.day)} ${MONTH_NAMES[language].format(calendarDay)}${sameYear ? '' : ` ${year}`}`;
  const weekdayIndex = WEEKDAYS.indexOf(parts.weekday);
  if (midnight)
    return translate(language, 'dueTime.endOf', {
      weekday: translate(language, `dueTime.weekdays.${weekdayIndex}`),
      date,
    });
  return translate(language, 'dueTime.at', {
    time: `${parts.hour}:${parts.minute}`,
    weekday: translate(language, `dueTime.onWeekdays.${weekdayIndex}`),
    date,
  });
}
