import { parseCalendarDate } from '../../common/calendar-date';
import { hasControlCharacters } from '../../common/validation';
import { EnrolmentType } from '../enrolment.entity';
import { Gender } from '../pupil.entity';
import { isValidUpn } from '../upn';
import { PupilContact } from './contact-details.entity';
import { RollFileRow } from './roll-file';

/**
 * Checking a roll file's rows (API.md, "The roll"): each row becomes a pupil as the roll will hold it,
 * or a list of reasons it is rejected. Pure: no database, no clock but the `today` passed in.
 */

export const ROLL_PROBLEMS = [
  'upn_missing',
  'upn_invalid',
  'upn_duplicate',
  'upn_other_authority',
  'upn_details_differ',
  'surname_missing',
  'forename_missing',
  'name_too_long',
  'dob_missing',
  'dob_invalid',
  'year_missing',
  'year_invalid',
  'enrol_status_invalid',
  'admission_date_invalid',
  'contact_responsibility_invalid',
  'contact_name_missing',
  'text_too_long',
  'control_characters',
] as const;
export type RollProblem = (typeof ROLL_PROBLEMS)[number];

/** The oldest a pupil on a roll can be, in years (a learner stays to 19, 25 with additional learning needs). */
export const OLDEST_PUPIL_YEARS = 25;

export const ROLL_TEXT_LIMITS = {
  name: 100,
  addressLine: 200,
  town: 100,
  postcode: 20,
  contactName: 200,
  relationship: 100,
  phone: 50,
  family: 100,
  homeLanguage: 60,
} as const;

export interface RollAddress {
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
}

/** A row that passed: the pupil as the roll will hold them. `undefined` means "the file does not say". */
export interface RollPupil {
  line: number;
  upn: string;
  firstName: string;
  lastName: string;
  preferredName: string | null | undefined;
  dateOfBirth: string;
  /** Undefined when the file records none (M and F only): an existing pupil's is kept, a new one is not_stated. */
  gender: Gender | undefined;
  yearGroup: number;
  enrolmentType: EnrolmentType;
  admissionDate: string | undefined;
  family: string | undefined;
  homeLanguage: string | undefined;
  /** Address and contacts: undefined when the row carries none (what is held is kept). */
  contactDetails: { address: RollAddress; contacts: PupilContact[] } | undefined;
}

/** A rejected row carries its names as written (cut to the name limit), when it has any, to be recognised by. */
export type CheckedRow =
  | { ok: true; pupil: RollPupil }
  | { ok: false; line: number; upn: string; problems: RollProblem[]; firstName?: string; lastName?: string };

/** Year groups as the roll stores them: N1 −2, N2 −1, Reception 0, then 1 to 14. */
export function yearGroupOf(text: string): number | undefined {
  const value = text.trim().toUpperCase();
  if (value === 'N1') return -2;
  if (value === 'N2') return -1;
  if (value === 'R') return 0;
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const year = Number(value);
  return year >= 1 && year <= 14 ? year : undefined;
}

/** `YYYY-MM-DD` or `DD/MM/YYYY` (also `D/M/YYYY`) as `YYYY-MM-DD`, if it is a real calendar date. */
export function calendarDateOf(text: string): string | undefined {
  const value = text.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : value.slice(0, 10);
  if (!uk && !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value)) return undefined;
  return parseCalendarDate(iso) === undefined ? undefined : iso;
}

function dateYearsBefore(today: string, years: number): string {
  return `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
}

function genderOf(text: string | undefined): Gender | undefined {
  const value = text?.trim().toUpperCase();
  if (value === 'M' || value === 'MALE') return 'male';
  if (value === 'F' || value === 'FEMALE') return 'female';
  return undefined;
}

function enrolmentTypeOf(text: string | undefined): EnrolmentType | null | undefined {
  const value = text?.trim().toUpperCase() ?? '';
  if (value === '' || value === 'C' || value === 'M') return 'main';
  if (value === 'S') return 'dual';
  return null;
}

function responsibilityOf(text: string): boolean | null | undefined {
  const value = text.trim().toUpperCase();
  if (value === '') return null;
  if (['Y', 'YES', 'TRUE', '1'].includes(value)) return true;
  if (['N', 'NO', 'FALSE', '0'].includes(value)) return false;
  return undefined;
}

/** A text cell with the surrounding spaces a spreadsheet adds taken off; blank is null. */
function cleaned(text: string | undefined): string | null {
  const value = text?.trim() ?? '';
  return value === '' ? null : value;
}

/**
 * Checks every row, `today` (`YYYY-MM-DD`, Europe/London) bounding dates of birth. A UPN that appears
 * on more than one row rejects each of them: which one is right is for the school to say.
 */
export function checkRollRows(rows: RollFileRow[], today: string): CheckedRow[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const upn = row.upn.trim().toUpperCase();
    if (upn) counts.set(upn, (counts.get(upn) ?? 0) + 1);
  }
  const earliestBirth = dateYearsBefore(today, OLDEST_PUPIL_YEARS);
  return rows.map((row) => checkRow(row, today, earliestBirth, counts));
}

function checkRow(row: RollFileRow, today: string, earliestBirth: string, counts: Map<string, number>): CheckedRow {
  const problems = new Set<RollProblem>();
  const upn = row.upn.trim().toUpperCase();
  if (!upn) problems.add('upn_missing');
  else if (!isValidUpn(upn)) problems.add('upn_invalid');
  if ((counts.get(upn) ?? 0) > 1) problems.add('upn_duplicate');

  const texts: Array<[string | undefined, number]> = [
    [row.surname, ROLL_TEXT_LIMITS.name],
    [row.forename, ROLL_TEXT_LIMITS.name],
    [row.preferredForename, ROLL_TEXT_LIMITS.name],
  ];
  const lastName = cleaned(row.surname);
  const firstName = cleaned(row.forename);
  if (!lastName) problems.add('surname_missing');
  if (!firstName) problems.add('forename_missing');
  for (const [text, max] of texts) if (text && text.trim().length > max) problems.add('name_too_long');

  let dateOfBirth: string | undefined;
  if (!row.dateOfBirth.trim()) problems.add('dob_missing');
  else {
    dateOfBirth = calendarDateOf(row.dateOfBirth);
    if (!dateOfBirth || dateOfBirth > today || dateOfBirth < earliestBirth) problems.add('dob_invalid');
  }

  let yearGroup: number | undefined;
  if (row.year === undefined || !row.year.trim()) problems.add('year_missing');
  else {
    yearGroup = yearGroupOf(row.year);
    if (yearGroup === undefined) problems.add('year_invalid');
  }

  const enrolmentType = enrolmentTypeOf(row.enrolStatus);
  if (enrolmentType === null) problems.add('enrol_status_invalid');

  let admissionDate: string | undefined;
  if (row.admissionDate?.trim()) {
    admissionDate = calendarDateOf(row.admissionDate);
    if (!admissionDate) problems.add('admission_date_invalid');
  }

  const address: RollAddress = {
    addressLine1: cleaned(row.address?.line1),
    addressLine2: cleaned(row.address?.line2),
    town: cleaned(row.address?.town),
    postcode: cleaned(row.address?.postcode),
  };
  texts.push(
    [address.addressLine1 ?? undefined, ROLL_TEXT_LIMITS.addressLine],
    [address.addressLine2 ?? undefined, ROLL_TEXT_LIMITS.addressLine],
    [address.town ?? undefined, ROLL_TEXT_LIMITS.town],
    [address.postcode ?? undefined, ROLL_TEXT_LIMITS.postcode],
    [row.family, ROLL_TEXT_LIMITS.family],
    [row.homeLanguage, ROLL_TEXT_LIMITS.homeLanguage],
  );
  const contacts: PupilContact[] = [];
  for (const contact of row.contacts) {
    const parentalResponsibility = responsibilityOf(contact.parentalResponsibility);
    if (parentalResponsibility === undefined) problems.add('contact_responsibility_invalid');
    const name = cleaned(contact.name);
    if (!name) problems.add('contact_name_missing');
    texts.push(
      [contact.name, ROLL_TEXT_LIMITS.contactName],
      [contact.relationship, ROLL_TEXT_LIMITS.relationship],
      [contact.phone, ROLL_TEXT_LIMITS.phone],
    );
    contacts.push({
      name: name ?? '',
      relationship: cleaned(contact.relationship),
      parentalResponsibility: parentalResponsibility ?? null,
      phone: cleaned(contact.phone),
    });
  }
  for (const [text, max] of texts.slice(3)) if (text && text.trim().length > max) problems.add('text_too_long');
  const everyText = [
    row.upn,
    row.surname,
    row.forename,
    row.preferredForename,
    row.dateOfBirth,
    row.gender,
    row.year,
    row.enrolStatus,
    row.admissionDate,
    ...texts.map(([text]) => text),
  ];
  if (everyText.some((text) => text !== undefined && hasControlCharacters(text))) problems.add('control_characters');

  if (problems.size > 0 || !lastName || !firstName || !dateOfBirth || yearGroup === undefined || !enrolmentType)
    return {
      ok: false,
      line: row.line,
      upn,
      problems: [...problems],
      ...(firstName ? { firstName: firstName.slice(0, ROLL_TEXT_LIMITS.name) } : {}),
      ...(lastName ? { lastName: lastName.slice(0, ROLL_TEXT_LIMITS.name) } : {}),
    };
  const hasContactDetails = row.address !== null || row.contacts.length > 0;
  return {
    ok: true,
    pupil: {
      line: row.line,
      upn,
      firstName,
      lastName,
      preferredName: row.preferredForename === undefined ? undefined : cleaned(row.preferredForename),
      dateOfBirth,
      gender: genderOf(row.gender),
      yearGroup,
      enrolmentType,
      admissionDate,
      family: cleaned(row.family) ?? undefined,
      homeLanguage: cleaned(row.homeLanguage) ?? undefined,
      contactDetails: hasContactDetails ? { address, contacts } : undefined,
    },
  };
}
