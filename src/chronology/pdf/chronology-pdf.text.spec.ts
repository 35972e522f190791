import { message } from '../../common/language';
import { entryDay, isChronologyDay, withinDays } from '../chronology-days';
import { ChronologyEntry } from '../chronology.mapper';
import { bodyMapLegend } from './body-figure';
import {
  dateRangeText,
  exporterLine,
  kindName,
  pageLabel,
  pdfEntry,
  pdfFileName,
  PdfOptions,
  protectiveMarking,
  pupilFacts,
} from './chronology-pdf.text';

const options = (overrides: Partial<PdfOptions> = {}): PdfOptions => ({
  language: 'en',
  redactStaff: false,
  exporter: {
    name: 'Siân Morgan',
    role: 'dsp',
    organisation: { name: 'Riverside Primary', nameCy: 'Ysgol Glan yr Afon' },
  },
  exportedAt: new Date('2026-07-01T09:30:00Z'),
  ...overrides,
});

const entry = (overrides: Partial<ChronologyEntry> = {}): ChronologyEntry => ({
  id: 'concern:1',
  at: '2026-06-30T23:30:00.000Z',
  kind: 'concern_recorded',
  title: message('chronology.titles.concern_recorded', { category: message('concernCategories.neglect') }),
  detail: 'Said “no food at home” twice.',
  childsWords: { text: "Does dim bwyd adre; mae'r ŵyn yn y cae.", language: 'cy', languageName: null },
  actor: { name: 'Tomos Evans', role: 'staff' },
  organisationId: 'o1',
  organisation: { id: 'o1', name: 'Riverside Primary', nameCy: 'Ysgol Glan yr Afon' },
  concernId: 'c1',
  ...overrides,
});

describe('the chronology PDF’s words', () => {
  it('names the file by UPN and London date, never by the child, and keeps the header safe', () => {
    expect(pdfFileName('A123456789012', new Date('2026-06-30T23:30:00Z'))).toBe(
      'chronology-A123456789012-2026-07-01.pdf',
    );
    expect(pdfFileName('A1"; x=y', new Date('2026-01-05T12:00:00Z'))).toBe('chronology-A1xy-2026-01-05.pdf');
  });

  it('keeps the protective marking in English, with a Welsh gloss in Welsh', () => {
    expect(protectiveMarking('en')).toBe('OFFICIAL-SENSITIVE');
    expect(protectiveMarking('cy')).toBe('OFFICIAL-SENSITIVE (SWYDDOGOL-SENSITIF)');
    expect(pageLabel('en', 2, 7)).toBe('Page 2 of 7');
    expect(pageLabel('cy', 2, 7)).toBe('Tudalen 2 o 7');
  });

  it('says who exported it and when, and only their role when staff names are removed', () => {
    expect(exporterLine(options())).toBe(
      'Exported by Siân Morgan (Designated safeguarding person, Riverside Primary) on 1 July 2026 at 10:30',
    );
    const redacted = exporterLine(options({ redactStaff: true, language: 'cy' }));
    expect(redacted).not.toContain('Siân');
    expect(redacted).toContain('Person diogelu dynodedig');
    expect(redacted).toContain('Ysgol Glan yr Afon');
  });

  it('describes the dates asked for', () => {
    expect(dateRangeText('en')).toBe('Every entry, whatever its date');
    expect(dateRangeText('en', '2026-01-01', '2026-03-31')).toBe('1 January 2026 to 31 March 2026, both included');
    expect(dateRangeText('en', '2026-01-01')).toBe('From 1 January 2026');
    expect(dateRangeText('cy', undefined, '2026-03-31')).toContain('31 Mawrth 2026');
  });

  it('prints an entry with its London time, kind, where it was made and who, its words untouched', () => {
    const printed = pdfEntry(entry(), options());
    expect(printed.title).toContain('Neglect');
    expect({ ...printed, title: '' }).toEqual({
      time: '1 July 2026 at 00:30',
      kind: 'Concern',
      title: '',
      madeAt: 'Made at Riverside Primary',
      who: 'By Tomos Evans (Staff member)',
      detail: 'Said “no food at home” twice.',
      childsWords: {
        label: "The child's own words, in Welsh, as said. Not translated:",
        text: "Does dim bwyd adre; mae'r ŵyn yn y cae.",
      },
      concernId: 'c1',
    });
    const welsh = pdfEntry(entry(), options({ language: 'cy', redactStaff: true }));
    expect(welsh.madeAt).toBe('Gwnaed yn Ysgol Glan yr Afon');
    expect(welsh.who).toBe('Gan: Aelod o staff');
    expect(welsh.childsWords?.text).toBe("Does dim bwyd adre; mae'r ŵyn yn y cae.");
    expect(welsh.detail).toBe('Said “no food at home” twice.');
  });

  it('gives an enrolment its day, not a time, and a kind the catalogue lacks its code', () => {
    const enrolment = pdfEntry(entry({ kind: 'enrolment', at: '2026-09-01T00:00:00.000Z', actor: null }), options());
    expect(enrolment.time).toBe('1 September 2026');
    expect(enrolment.who).toBeNull();
    expect(enrolment.concernId).toBeNull();
    // A placement's start is a day too (summer time would otherwise print it at 01:00).
    const placed = { kind: 'placement_started', at: '2026-06-01T00:00:00.000Z', actor: null };
    expect(pdfEntry(entry(placed as Partial<ChronologyEntry>), options()).time).toBe('1 June 2026');
    expect(kindName('en', 'placement_reviewed_someday')).toBe('placement_reviewed_someday');
    expect(kindName('cy', 'decision')).toBe('Penderfyniad y person diogelu dynodedig');
  });

  it('lists the pupil’s facts with where they are on roll now', () => {
    const facts = pupilFacts(
      {
        pupil: { id: 'p', upn: 'A1', firstName: 'Kai', lastName: 'Jones', dateOfBirth: '2014-03-07', yearGroup: 0 },
        currentEnrolments: [
          { type: 'main', startedOn: '2025-09-01', organisation: { id: 'o', name: 'Hillcrest', nameCy: null } },
          {
            type: 'dual',
            startedOn: '2026-01-05',
            organisation: { id: 'b', name: 'Bridge PRU', nameCy: 'UCD y Bont' },
          },
        ],
      },
      options({ language: 'cy', from: '2026-01-01' }),
    );
    expect(Object.fromEntries(facts.map((f) => [f.label, f.value]))).toEqual({
      Enw: 'Kai Jones',
      UPN: 'A1',
      'Dyddiad geni': '7 Mawrth 2014',
      'Grŵp blwyddyn': 'Derbyn',
      'Ar y gofrestr yn':
        'Hillcrest (Prif gofrestriad, ers 1 Medi 2025)\nUCD y Bont (Cofrestriad deuol, ers 5 Ionawr 2026)',
      Dyddiadau: 'O 1 Ionawr 2026',
      'Enwau staff': 'Yn cael eu dangos',
    });
  });

  it('labels body-map marks by number, area and side, the note verbatim', () => {
    expect(
      bodyMapLegend(
        [
          { view: 'front', x: 0.76, y: 0.35, note: 'Bruise, yellow-green' },
          { view: 'back', x: 0.5, y: 0.33 },
        ],
        'en',
      ),
    ).toEqual(['1. Left arm (front): Bruise, yellow-green', '2. Back (back)']);
  });
});

describe('the chronology’s days', () => {
  it('takes an instant’s London day, and an enrolment’s own day', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(entryDay({ kind: 'decision', at: '2026-06-30T23:30:00.000Z' })).toBe('2026-07-01');
    expect(entryDay({ kind: 'decision', at: '2026-01-31T23:30:00.000Z' })).toBe('2026-01-31');
    expect(entryDay({ kind: 'enrolment', at: '2026-09-01T00:00:00.000Z' })).toBe('2026-09-01');
    expect(entryDay({ kind: 'placement_ended', at: '2026-07-20T00:00:00.000Z' })).toBe('2026-07-20');
  });

  it('keeps both bounds', () => {
    const at = { kind: 'decision', at: '2026-06-30T23:30:00.000Z' };
    expect(withinDays(at)).toBe(true);
    expect(withinDays(at, '2026-07-01', '2026-07-01')).toBe(true);
    expect(withinDays(at, undefined, '2026-06-30')).toBe(false);
    expect(withinDays(at, '2026-07-02')).toBe(false);
  });

  it('accepts only real dates in 2000–2099', () => {
    expect(isChronologyDay('2026-02-28')).toBe(true);
    expect(isChronologyDay('2026-02-30')).toBe(false);
    expect(isChronologyDay('1999-12-31')).toBe(false);
    expect(isChronologyDay('2026-2-3')).toBe(false);
    expect(isChronologyDay(20260101)).toBe(false);
  });
});
