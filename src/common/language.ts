/** The languages of the service: English and Welsh. */
export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** A proper name with a Welsh form of its own (an organisation's): the reader's is picked at the edge. */
export interface BilingualName {
  name: string;
  nameCy: string | null;
}

/**
 * A value put into a message: plain (a number, a name as recorded), a message of its own (a label), or a
 * name with a Welsh form (shown to a Welsh reader, else the English name).
 */
export type MessageParam = string | number | Message | readonly Message[] | BilingualName | CalendarDayParam;

/** A calendar date (`YYYY-MM-DD`) in a message, written out in the reader's language ("14 December 2026"). */
export interface CalendarDayParam {
  calendarDay: string;
}

export const calendarDay = (isoDate: string): CalendarDayParam => ({ calendarDay: isoDate });

/**
 * Words a domain module wants said, in no language yet: a catalogue key and its parameters. Domain code
 * returns these; the edge (API mappers, page view models) translates them in the reader's language.
 * A list parameter reads as its labels joined by commas ("Housing, Young carer").
 */
export interface Message {
  key: string;
  params?: Record<string, MessageParam>;
}

export const message = (key: string, params?: Record<string, MessageParam>): Message =>
  params ? { key, params } : { key };
