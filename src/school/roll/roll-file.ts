import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { InvalidInputError } from '../../common/domain-error';

/**
 * Reading a roll file (API.md, "The roll"): a CSV export or a Common Transfer File, each turned into
 * the same raw rows, every value as the file had it (text; `undefined` where the file has no such
 * column or element). Checking the values is roll-rows.ts's; this only reads.
 */

export type RollFileFormat = 'csv' | 'ctf';

export interface RollFileContact {
  name: string;
  relationship: string;
  phone: string;
  /** `Y`/`N` in a CSV, `true`/`false` (or Y/N) in a CTF; '' when not given. */
  parentalResponsibility: string;
}

export interface RollFileAddress {
  line1: string;
  line2: string;
  town: string;
  postcode: string;
}

export interface RollFileRow {
  /** The line the row starts on (CSV), or the pupil's position in the file (CTF, from 1). */
  line: number;
  upn: string;
  surname: string;
  forename: string;
  preferredForename?: string;
  dateOfBirth: string;
  gender?: string;
  year?: string;
  enrolStatus?: string;
  admissionDate?: string;
  family?: string;
  homeLanguage?: string;
  /** null when the file carries no address for the pupil. */
  address: RollFileAddress | null;
  contacts: RollFileContact[];
}

/** The most pupils one file may hold: far above any school's roll, low enough to answer in seconds. */
export const MAX_ROLL_ROWS = 20_000;

/** What is wrong with a file as a whole (400, nothing looked at further). */
export type RollFileProblem =
  | { code: 'unreadable'; detail?: string }
  | { code: 'missing_column'; column: string }
  | { code: 'no_pupils' }
  | { code: 'too_many_pupils'; max: number }
  | { code: 'doctype' };

const FILE_PROBLEM_TEXT: Record<RollFileProblem['code'], (problem: RollFileProblem) => string> = {
  unreadable: (p) => `The file could not be read${'detail' in p && p.detail ? `: ${p.detail}` : ''}`,
  missing_column: (p) => `The file has no "${'column' in p ? p.column : ''}" column`,
  no_pupils: () => 'The file holds no pupils',
  too_many_pupils: () => `The file holds more than ${MAX_ROLL_ROWS} pupils`,
  doctype: () => 'The file declares a DOCTYPE, which a Common Transfer File never has',
};

/** A file that cannot be imported at all: 400 with `errors.file`; `problem` lets a page say it in Welsh. */
export class RollFileError extends InvalidInputError {
  constructor(readonly problem: RollFileProblem) {
    super({ file: [FILE_PROBLEM_TEXT[problem.code](problem)] }, 'The roll file cannot be imported');
  }
}

export function readRollFile(content: string, format: RollFileFormat): RollFileRow[] {
  const rows = format === 'csv' ? readCsv(content) : readCtf(content);
  if (rows.length === 0) throw new RollFileError({ code: 'no_pupils' });
  if (rows.length > MAX_ROLL_ROWS) throw new RollFileError({ code: 'too_many_pupils', max: MAX_ROLL_ROWS });
  return rows;
}

/** A header as it is compared: case, spaces and underscores ignored. */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/[\s_]+/g, '')
    .toLowerCase();
}

type Field = Exclude<keyof RollFileRow, 'line' | 'address' | 'contacts'> | 'line1' | 'line2' | 'town' | 'postcode';

/** Each field's column names, preferred first (`Legal Surname` wins over `Surname` when both are there). */
const CSV_COLUMNS: Record<Field, string[]> = {
  upn: ['UPN'],
  surname: ['Legal Surname', 'Surname'],
  forename: ['Legal Forename', 'Forename'],
  preferredForename: ['Preferred Forename'],
  dateOfBirth: ['DOB', 'Date of Birth'],
  gender: ['Gender'],
  year: ['NC Year Actual', 'Year', 'Year Group'],
  enrolStatus: ['Enrolment Status'],
  admissionDate: ['Admission Date'],
  family: ['Family'],
  homeLanguage: ['Home Language'],
  line1: ['Address Line 1'],
  line2: ['Address Line 2'],
  town: ['Town'],
  postcode: ['Postcode'],
};

const REQUIRED: Array<[Field, string]> = [
  ['upn', 'UPN'],
  ['surname', 'Surname'],
  ['forename', 'Forename'],
  ['dateOfBirth', 'DOB'],
];

const CONTACT_COLUMN = /^contact(\d)(name|relationship|phone|parentalresponsibility)$/;

export interface CsvColumns {
  fields: Partial<Record<Field, number>>;
  contacts: Map<number, Partial<Record<keyof RollFileContact, number>>>;
}

/** Which column holds which field, from the header row; a required column missing is a RollFileError. */
export function matchCsvHeader(header: string[]): CsvColumns {
  const keys = header.map(headerKey);
  const fields: Partial<Record<Field, number>> = {};
  for (const [field, names] of Object.entries(CSV_COLUMNS) as Array<[Field, string[]]>) {
    for (const name of names) {
      const index = keys.indexOf(headerKey(name));
      if (index >= 0) {
        fields[field] = index;
        break;
      }
    }
  }
  for (const [field, column] of REQUIRED)
    if (fields[field] === undefined) throw new RollFileError({ code: 'missing_column', column });
  const contacts = new Map<number, Partial<Record<keyof RollFileContact, number>>>();
  keys.forEach((key, index) => {
    const match = CONTACT_COLUMN.exec(key);
    if (!match) return;
    const n = Number(match[1]);
    const part = match[2] === 'parentalresponsibility' ? 'parentalResponsibility' : (match[2] as keyof RollFileContact);
    const contact = contacts.get(n) ?? {};
    contact[part] ??= index;
    contacts.set(n, contact);
  });
  return { fields, contacts };
}

interface CsvRecord {
  record: string[];
  info: { bytes: number };
}

function readCsv(content: string): RollFileRow[] {
  const buffer = Buffer.from(content, 'utf8');
  let records: CsvRecord[];
  try {
    records = parseCsv(buffer, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new RollFileError({ code: 'unreadable', detail: error instanceof Error ? error.message : undefined });
  }
  if (records.length === 0) throw new RollFileError({ code: 'no_pupils' });
  const columns = matchCsvHeader(records[0].record);
  const lines = new LineCounter(buffer);
  const rows: RollFileRow[] = [];
  for (let i = 1; i < records.length; i += 1) {
    const values = records[i].record;
    // A line of empty cells (a spreadsheet's trailing rows) holds no pupil.
    if (values.every((value) => value.trim() === '')) continue;
    const cell = (index: number | undefined) => (index === undefined ? undefined : (values[index] ?? ''));
    const text = (field: Field) => cell(columns.fields[field]);
    const address = {
      line1: text('line1') ?? '',
      line2: text('line2') ?? '',
      town: text('town') ?? '',
      postcode: text('postcode') ?? '',
    };
    const contacts = [...columns.contacts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({
        name: cell(c.name) ?? '',
        relationship: cell(c.relationship) ?? '',
        phone: cell(c.phone) ?? '',
        parentalResponsibility: cell(c.parentalResponsibility) ?? '',
      }))
      .filter((c) => [c.name, c.relationship, c.phone, c.parentalResponsibility].some((v) => v.trim() !== ''));
    rows.push({
      line: lines.lineAt(records[i - 1].info.bytes),
      upn: text('upn') ?? '',
      surname: text('surname') ?? '',
      forename: text('forename') ?? '',
      preferredForename: text('preferredForename'),
      dateOfBirth: text('dateOfBirth') ?? '',
      gender: text('gender'),
      year: text('year'),
      enrolStatus: text('enrolStatus'),
      admissionDate: text('admissionDate'),
      family: text('family'),
      homeLanguage: text('homeLanguage'),
      address: Object.values(address).some((v) => v.trim() !== '') ? address : null,
      contacts,
    });
  }
  return rows;
}

/** The line a record starts on, from the byte offset where the one before it ended (csv-parse's `info.bytes`). */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly buffer: Buffer) {}

  /** Offsets must not decrease between calls (records come in order). */
  lineAt(offset: number): number {
    for (; this.offset < offset && this.offset < this.buffer.length; this.offset += 1)
      if (this.buffer[this.offset] === 0x0a) this.line += 1;
    // Skip the blank lines csv-parse skipped before the record.
    let line = this.line;
    for (let i = offset; i < this.buffer.length; i += 1) {
      const byte = this.buffer[i];
      if (byte === 0x0a) line += 1;
      else if (byte !== 0x0d) break;
    }
    return line;
  }
}

/** Element names that can repeat and so are always read as lists. */
const CTF_LISTS = new Set([
  'CTfile.CTFpupilData.Pupil',
  'CTfile.CTFpupilData.Pupil.Contacts.Contact',
  'CTfile.CTFpupilData.Pupil.BasicDetails.Contacts.Contact',
  'CTfile.CTFpupilData.Pupil.Address.AddressLines.AddressLine',
  'CTfile.CTFpupilData.Pupil.BasicDetails.Address.AddressLines.AddressLine',
]);

type XmlNode = Record<string, unknown>;

function readCtf(content: string): RollFileRow[] {
  // fast-xml-parser expands the five XML entities and character references (`&#373;` is ŵ, `&#x41;`
  // is A: `htmlEntities`, which also knows HTML's named ones); a DOCTYPE (the only way to declare more,
  // or to point at external ones) has no place in a CTF, so entity expansion stays refused.
  if (/<!DOCTYPE/i.test(content)) throw new RollFileError({ code: 'doctype' });
  let document: XmlNode;
  try {
    const parser = new XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      trimValues: true,
      removeNSPrefix: true,
      htmlEntities: true,
      isArray: (_name, path) => typeof path === 'string' && CTF_LISTS.has(path),
    });
    document = parser.parse(content, true) as XmlNode;
  } catch (error) {
    throw new RollFileError({ code: 'unreadable', detail: error instanceof Error ? error.message : undefined });
  }
  const file = node(document.CTfile);
  if (!file) throw new RollFileError({ code: 'unreadable', detail: 'no CTfile element' });
  const pupils = node(file.CTFpupilData)?.Pupil;
  if (!Array.isArray(pupils)) return [];
  return pupils.map((value, index) => ctfRow(node(value) ?? {}, index + 1));
}

function node(value: unknown): XmlNode | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

/** An element's text: '' for an empty element, undefined when absent. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = node(value)?.['#text'];
  if (inner !== undefined) return textOf(inner);
  return node(value) ? '' : undefined;
}

/** The first of `names` present under the pupil or its BasicDetails. */
function pick(sources: XmlNode[], ...names: string[]): string | undefined {
  for (const source of sources)
    for (const name of names) {
      const value = textOf(source[name]);
      if (value !== undefined) return value;
    }
  return undefined;
}

function ctfRow(pupil: XmlNode, position: number): RollFileRow {
  const basic = node(pupil.BasicDetails);
  const sources = basic ? [pupil, basic] : [pupil];
  const addressNode = node(pupil.Address) ?? node(basic?.Address);
  const contactsNode = node(pupil.Contacts) ?? node(basic?.Contacts);
  const contacts = (Array.isArray(contactsNode?.Contact) ? contactsNode.Contact : [])
    .map((value) => node(value) ?? {})
    .map((contact) => ({
      name: [pick([contact], 'Forename'), pick([contact], 'Surname')].filter(Boolean).join(' '),
      relationship: pick([contact], 'Relationship') ?? '',
      phone: telephoneOf(contact),
      parentalResponsibility: pick([contact], 'Responsibility') ?? '',
    }));
  return {
    line: position,
    upn: pick(sources, 'UPN') ?? '',
    surname: pick(sources, 'LegalSurname', 'Surname') ?? '',
    forename: pick(sources, 'LegalForename', 'Forename') ?? '',
    preferredForename: pick(sources, 'PreferredForename'),
    dateOfBirth: pick(sources, 'DOB') ?? '',
    gender: pick(sources, 'Gender', 'Sex'),
    year: pick(sources, 'NCyearActual'),
    enrolStatus: pick(sources, 'EnrolStatus'),
    admissionDate: pick(sources, 'AdmissionDate'),
    family: pick(sources, 'Family'),
    homeLanguage: pick(sources, 'HomeLanguage'),
    address: addressNode ? ctfAddress(addressNode) : null,
    contacts,
  };
}

/** `AddressLines/AddressLine`, `AddressLine1`/`AddressLine2`, or BS7666 parts; `Town`; `Postcode`. */
function ctfAddress(address: XmlNode): RollFileAddress | null {
  const bs7666 = node(address.BS7666Address);
  const listed = node(address.AddressLines)?.AddressLine;
  let lines: string[] = Array.isArray(listed) ? listed.map((line) => textOf(line) ?? '') : [];
  if (lines.length === 0) lines = [pick([address], 'AddressLine1') ?? '', pick([address], 'AddressLine2') ?? ''];
  if (bs7666 && lines.every((line) => !line.trim())) {
    const first = [pick([bs7666], 'SAON'), pick([bs7666], 'PAON'), pick([bs7666], 'Street')].filter(Boolean);
    lines = [first.join(' '), pick([bs7666], 'Locality') ?? ''];
  }
  const parts = bs7666 ? [address, bs7666] : [address];
  const result = {
    line1: lines[0] ?? '',
    line2: lines
      .slice(1)
      .filter((line) => line.trim())
      .join(', '),
    town: pick(parts, 'Town', 'PostTown') ?? '',
    postcode: pick(parts, 'Postcode', 'PostCode') ?? '',
  };
  return Object.values(result).some((value) => value.trim()) ? result : null;
}

function telephoneOf(contact: XmlNode): string {
  const direct = pick([contact], 'Telephone', 'TelephoneNumber', 'Phone');
  if (direct !== undefined && direct.trim()) return direct;
  for (const listName of ['Phones', 'Telephones']) {
    const list = node(contact[listName]);
    if (!list) continue;
    for (const value of Object.values(list)) {
      const entries = Array.isArray(value) ? value : [value];
      for (const entry of entries) {
        const text = textOf(entry) || pick([node(entry) ?? {}], 'TelephoneNumber', 'PhoneNo', 'Number');
        if (text) return text;
      }
    }
  }
  return '';
}
