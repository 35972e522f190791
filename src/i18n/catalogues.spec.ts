import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES, Catalogue } from './catalogues';
import { hasKey, translate } from './i18n.service';
import { AUDIT_ACTIONS } from '../audit/audit.service';
import { ORGANISATION_KINDS, ROLES } from '../common/roles';
import { ENROLMENT_TYPES } from '../school/enrolment.entity';
import { GENDERS, PUPIL_FLAGS } from '../school/pupil.entity';

const flatten = (node: Catalogue, prefix = ''): string[] =>
  Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  );

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

function viewFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? viewFiles(path) : path.endsWith('.hbs') ? [path] : [];
  });
}

describe('English and Welsh catalogues', () => {
  const english = flatten(CATALOGUES.en);
  const welsh = flatten(CATALOGUES.cy);

  it('have exactly the same keys', () => {
    expect(english.filter((key) => !welsh.includes(key))).toEqual([]);
    expect(welsh.filter((key) => !english.includes(key))).toEqual([]);
  });

  it('use the same placeholders in both languages, and no empty strings', () => {
    const lookup = (catalogue: 'en' | 'cy', key: string) => translate(catalogue, key);
    const mismatched = english.filter(
      (key) => placeholders(lookup('en', key)).join() !== placeholders(lookup('cy', key)).join(),
    );
    expect(mismatched).toEqual([]);
    expect(english.filter((key) => !lookup('en', key).trim() || !lookup('cy', key).trim())).toEqual([]);
  });

  it('hold every literal key that a view asks for', () => {
    const missing: string[] = [];
    for (const file of viewFiles(join(__dirname, '../../views'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:\{\{|[\s(])t "([a-zA-Z0-9_.]+)"/g)) {
        const key = match[1];
        if (!hasKey('en', key) || !hasKey('cy', key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('labels for codes', () => {
  const codeLists: Record<string, readonly string[]> = {
    roles: ROLES,
    organisationKinds: ORGANISATION_KINDS,
    genders: GENDERS,
    flags: PUPIL_FLAGS,
    enrolmentTypes: ENROLMENT_TYPES,
    'audit.actions': AUDIT_ACTIONS,
  };

  it.each(Object.entries(codeLists))('label every %s code in both languages', (prefix, codes) => {
    const missing = codes.flatMap((code) =>
      (['en', 'cy'] as const).filter((lang) => !hasKey(lang, `${prefix}.${code}`)).map((lang) => `${lang}:${code}`),
    );
    expect(missing).toEqual([]);
  });
});
