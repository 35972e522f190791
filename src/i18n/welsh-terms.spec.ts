import { CATALOGUES, Catalogue } from './catalogues';
import { homeLanguageName, translateMessage } from './i18n.service';
import { AUDIT_SUBJECT_TYPES } from '../audit/audit-filter';
import { hasKey } from './i18n.service';

/** Every string of a catalogue with its key. */
const strings = (node: Catalogue, prefix = ''): Array<[string, string]> =>
  Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value]] : strings(value, `${prefix}${key}.`),
  );

const matching = (catalogue: Catalogue, pattern: RegExp) =>
  strings(catalogue)
    .filter(([, text]) => pattern.test(text))
    .map(([key]) => key);

describe('The words a Welsh-speaking DSP asked for', () => {
  it('uses one word for consent in Welsh, "cydsyniad", never "caniatâd"', () => {
    expect(matching(CATALOGUES.cy, /caniat[âa]d/i)).toEqual([]);
    expect(matching(CATALOGUES.cy, /cydsyniad/i).length).toBeGreaterThan(5);
  });

  it('names MASH in Welsh as the Hyb Diogelu Amlasiantaethol, and by no other Welsh name', () => {
    expect(matching(CATALOGUES.cy, /Hyb Diogelu Amlasiantaethol/).length).toBeGreaterThan(0);
    expect(matching(CATALOGUES.cy, /(Canolfan|Hwb|Uned) Ddiogelu Amlasiantaeth/i)).toEqual([]);
  });

  it('never says exclusion with a gendered "ei wahardd"', () => {
    expect(matching(CATALOGUES.cy, /ei wahardd/i)).toEqual([]);
  });

  it('asks "Pryd ddigwyddodd hyn" and "Ym mha iaith y siaradodd y plentyn?", and "Cofnodwyd gan" has no colon', () => {
    expect(matching(CATALOGUES.cy, /Pryd ddigwyddodd hyn/).length).toBeGreaterThan(0);
    expect(matching(CATALOGUES.cy, /^Ym mha iaith y siaradodd y plentyn\?$/)).toEqual([
      'concernForm.childsWordsLanguage.legend',
    ]);
    expect(matching(CATALOGUES.cy, /gan:/)).toEqual([]);
  });

  it('never makes "significant harm" the bar for a report, in either language (Wales: a child at risk)', () => {
    expect(matching(CATALOGUES.en, /significant harm/i)).toEqual([]);
    expect(matching(CATALOGUES.cy, /niwed sylweddol/i)).toEqual([]);
  });
});

describe('Names shown in the reader’s language', () => {
  it.each([
    ['Polish', 'Pwyleg'],
    ['English', 'Saesneg'],
    ['Welsh', 'Cymraeg'],
    ['Arabic', 'Arabeg'],
    ['Somali', 'Somaleg'],
    ['Bengali', 'Bengaleg'],
    ['Urdu', 'Wrdw'],
  ])('shows the home language %s as %s to a Welsh reader, and as stored to an English one', (stored, welsh) => {
    expect(homeLanguageName('cy', stored)).toBe(welsh);
    expect(homeLanguageName('en', stored)).toBe(stored);
  });

  it('shows a home language the catalogue does not know as it was stored', () => {
    expect(homeLanguageName('cy', 'Klingon')).toBe('Klingon');
  });

  it('names every kind of audited record in both languages', () => {
    for (const type of AUDIT_SUBJECT_TYPES) {
      expect(hasKey('en', `audit.subjects.${type}`)).toBe(true);
      expect(hasKey('cy', `audit.subjects.${type}`)).toBe(true);
    }
  });

  it("puts an organisation's Welsh name into a message for a Welsh reader, and its English name otherwise", () => {
    const title = {
      key: 'chronology.titles.enrolment_ended',
      params: { organisation: { name: 'Bridge PRU', nameCy: 'UCD y Bont' } },
    };
    expect(translateMessage('cy', title)).toContain('UCD y Bont');
    expect(translateMessage('en', title)).toContain('Bridge PRU');
    const noWelsh = {
      key: 'chronology.titles.enrolment_ended',
      params: { organisation: { name: 'Bridge PRU', nameCy: null } },
    };
    expect(translateMessage('cy', noWelsh)).toContain('Bridge PRU');
  });
});
