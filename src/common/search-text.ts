/**
 * Names as search compares them (issue 9, pupil search): lower case, accents and ligatures folded,
 * spaces collapsed. Pure; used by school/pupil-search.ts and by the migration that backfills the
 * stored search columns.
 */

/** Letters NFD does not split into a base letter and a mark. */
const LIGATURES: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** A name or search term as search compares it: "Siân  O’Brien" → "sian o'brien". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (char) => LIGATURES[char] ?? char)
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The stored search columns' length: a folded name can be longer than the name (ß → ss). */
export const SEARCH_NAME_LENGTH = 200;

export interface PupilSearchFields {
  searchFirstName: string;
  searchLastName: string;
  searchPreferredName: string | null;
  searchFullName: string;
  /** The later part of a double-barrelled or spaced surname ("pritchard" of "Rees-Pritchard"), if any. */
  searchLastNamePart: string | null;
}

const clip = (text: string) => text.slice(0, SEARCH_NAME_LENGTH);

/** The search columns for a pupil's names. */
export function pupilSearchFields(names: {
  firstName: string;
  lastName: string;
  preferredName?: string | null;
}): PupilSearchFields {
  const first = foldForSearch(names.firstName);
  const last = foldForSearch(names.lastName);
  return {
    searchFirstName: clip(first),
    searchLastName: clip(last),
    searchPreferredName: names.preferredName ? clip(foldForSearch(names.preferredName)) : null,
    searchFullName: clip(`${first} ${last}`),
    searchLastNamePart: /[- ]/.test(last) ? clip(last.replace(/^[^- ]*[- ]+/, '')) || null : null,
  };
}
