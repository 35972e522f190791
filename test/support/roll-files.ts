import { upnFor } from '../../src/school/upn';

/** A roll row as the tests write it; every field is a CSV cell (or CTF element) as given. */
export interface RollRow {
  upn: string;
  surname: string;
  forename: string;
  dob: string;
  year: string;
  gender?: string;
  preferred?: string;
  family?: string;
  enrolStatus?: string;
  address?: { line1: string; line2?: string; town: string; postcode: string };
  contacts?: Array<{ name: string; relationship: string; phone: string; responsibility: 'Y' | 'N' | '' }>;
}

/** A valid UPN for LA 681, establishment `establishment` (4 digits), serial `n`. */
export function testUpn(establishment: string, n: number): string {
  return upnFor(`681${establishment}26${String(n).padStart(3, '0')}`);
}

/** The same UPN with a wrong check letter. */
export function wrongCheckLetter(upn: string): string {
  return (upn[0] === 'A' ? 'B' : 'A') + upn.slice(1);
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function rollCsv(rows: RollRow[], options: { crlf?: boolean; bom?: boolean } = {}): string {
  const header = [
    'UPN',
    'Legal Surname',
    'Legal Forename',
    'Preferred Forename',
    'DOB',
    'Gender',
    'NC Year Actual',
    'Enrolment Status',
    'Family',
    'Address Line 1',
    'Address Line 2',
    'Town',
    'Postcode',
    'Contact 1 Name',
    'Contact 1 Relationship',
    'Contact 1 Phone',
    'Contact 1 Parental Responsibility',
    'Contact 2 Name',
    'Contact 2 Relationship',
    'Contact 2 Phone',
    'Contact 2 Parental Responsibility',
  ];
  const lines = rows.map((row) => {
    const contact = (i: number) => {
      const c = row.contacts?.[i];
      return c ? [c.name, c.relationship, c.phone, c.responsibility] : ['', '', '', ''];
    };
    return [
      row.upn,
      row.surname,
      row.forename,
      row.preferred ?? '',
      row.dob,
      row.gender ?? '',
      row.year,
      row.enrolStatus ?? '',
      row.family ?? '',
      row.address?.line1 ?? '',
      row.address?.line2 ?? '',
      row.address?.town ?? '',
      row.address?.postcode ?? '',
      ...contact(0),
      ...contact(1),
    ]
      .map(quote)
      .join(',');
  });
  const eol = options.crlf ? '\r\n' : '\n';
  return (options.bom ? '\uFEFF' : '') + [header.join(','), ...lines].join(eol) + eol;
}

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Common Transfer File; `basicDetails` puts the names under Pupil/BasicDetails. */
export function rollCtf(rows: RollRow[], options: { basicDetails?: boolean } = {}): string {
  const el = (name: string, value: string | undefined) => (value ? `<${name}>${escapeXml(value)}</${name}>` : '');
  const pupils = rows.map((row) => {
    const basic = [
      el('UPN', row.upn),
      el(options.basicDetails ? 'LegalSurname' : 'Surname', row.surname),
      el(options.basicDetails ? 'LegalForename' : 'Forename', row.forename),
      el('PreferredForename', row.preferred),
      el('DOB', row.dob),
      el('Gender', row.gender),
      el('NCyearActual', row.year),
      el('EnrolStatus', row.enrolStatus),
      el('Family', row.family),
    ].join('');
    const address = row.address
      ? `<Address><AddressLines><AddressLine>${escapeXml(row.address.line1)}</AddressLine>${row.address.line2 ? `<AddressLine>${escapeXml(row.address.line2)}</AddressLine>` : ''}</AddressLines><Town>${escapeXml(row.address.town)}</Town><Postcode>${escapeXml(row.address.postcode)}</Postcode></Address>`
      : '';
    const contacts = row.contacts?.length
      ? `<Contacts>${row.contacts
          .map((c) => {
            const [forename, ...rest] = c.name.split(' ');
            return `<Contact><Forename>${escapeXml(forename)}</Forename><Surname>${escapeXml(rest.join(' '))}</Surname><Relationship>${escapeXml(c.relationship)}</Relationship><Responsibility>${c.responsibility === 'Y' ? 'true' : c.responsibility === 'N' ? 'false' : ''}</Responsibility><Telephone>${escapeXml(c.phone)}</Telephone></Contact>`;
          })
          .join('')}</Contacts>`
      : '';
    return options.basicDetails
      ? `<Pupil><BasicDetails>${basic}</BasicDetails>${address}${contacts}</Pupil>`
      : `<Pupil>${basic}${address}${contacts}</Pupil>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName></Header><CTFpupilData>${pupils.join('\n')}</CTFpupilData></CTfile>\n`;
}
