import { headerKey, matchCsvHeader, readRollFile, RollFileError } from './roll-file';
import { calendarDateOf, checkRollRows, yearGroupOf } from './roll-rows';
import { upnFor } from '../upn';

const UPN1 = upnFor('681210125101');
const UPN2 = upnFor('681210125102');

describe('roll files', () => {
  describe('CSV headers', () => {
    it('matches names ignoring case, spaces and underscores, preferring the legal names', () => {
      expect(headerKey(' Legal_Surname ')).toBe('legalsurname');
      const columns = matchCsvHeader([
        'upn',
        'SURNAME',
        'Legal Surname',
        'legal_forename',
        'Date of Birth',
        'Year Group',
      ]);
      expect(columns.fields).toMatchObject({ upn: 0, surname: 2, forename: 3, dateOfBirth: 4, year: 5 });
      expect(matchCsvHeader(['UPN', 'Surname', 'Forename', 'DOB', 'NC_Year_Actual']).fields.year).toBe(4);
    });

    it('finds numbered contact columns', () => {
      const columns = matchCsvHeader([
        'UPN',
        'Surname',
        'Forename',
        'DOB',
        'Contact 2 Name',
        'Contact 1 Name',
        'Contact 1 Parental Responsibility',
      ]);
      expect(columns.contacts.get(1)).toEqual({ name: 5, parentalResponsibility: 6 });
      expect(columns.contacts.get(2)).toEqual({ name: 4 });
    });

    it('refuses a file without a required column, naming it', () => {
      expect(() => matchCsvHeader(['Surname', 'Forename', 'DOB'])).toThrow(RollFileError);
      try {
        matchCsvHeader(['UPN', 'Forename', 'DOB']);
      } catch (error) {
        expect((error as RollFileError).errors.file[0]).toContain('Surname');
      }
    });
  });

  describe('CSV reading', () => {
    it('reads quoted fields with commas and new lines, a byte-order mark and CRLF, with the line each row starts on', () => {
      const csv =
        '\uFEFFUPN,Surname,Forename,DOB,Year,Address Line 1,Town\r\n' +
        `${UPN1},"O'Neill, Jr","Niamh",2017-12-02,4,"Flat 2\r\n8 Penarth Road",Cardiff\r\n` +
        '\r\n' +
        `${UPN2},Pritchard,Cai,21/09/2020,1,,\r\n` +
        ',,,,,,\r\n';
      const rows = readRollFile(csv, 'csv');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        line: 2,
        upn: UPN1,
        surname: "O'Neill, Jr",
        address: { line1: 'Flat 2\r\n8 Penarth Road', town: 'Cardiff', line2: '', postcode: '' },
      });
      expect(rows[1]).toMatchObject({ line: 5, upn: UPN2, address: null, contacts: [] });
    });

    it('refuses a file with no pupils', () => {
      expect(() => readRollFile('UPN,Surname,Forename,DOB\n', 'csv')).toThrow(RollFileError);
    });
  });

  describe('CTF reading', () => {
    it('reads pupils directly under Pupil or under BasicDetails, with address and contacts', () => {
      const xml = `<?xml version="1.0"?><CTfile><CTFpupilData>
        <Pupil><UPN>${UPN1}</UPN><Surname>Jones</Surname><Forename>Ffion</Forename><DOB>2018-03-14</DOB><NCyearActual>4</NCyearActual></Pupil>
        <Pupil><BasicDetails><UPN>${UPN2}</UPN><LegalSurname>O&apos;Neill</LegalSurname><LegalForename>Niamh</LegalForename><DOB>2017-12-02</DOB><Gender>F</Gender><NCyearActual>R</NCyearActual><EnrolStatus>S</EnrolStatus></BasicDetails>
          <Address><AddressLines><AddressLine>12 Heol y Bont</AddressLine><AddressLine>Grangetown</AddressLine></AddressLines><Town>Cardiff</Town><Postcode>CF11 6AA</Postcode></Address>
          <Contacts><Contact><Forename>Sara</Forename><Surname>O'Neill</Surname><Relationship>Mother</Relationship><Responsibility>true</Responsibility><Telephone>029 2000 0001</Telephone></Contact></Contacts>
        </Pupil></CTFpupilData></CTfile>`;
      const rows = readRollFile(xml, 'ctf');
      expect(rows[0]).toMatchObject({ line: 1, upn: UPN1, surname: 'Jones', year: '4', address: null });
      expect(rows[1]).toMatchObject({
        line: 2,
        surname: "O'Neill",
        forename: 'Niamh',
        gender: 'F',
        year: 'R',
        enrolStatus: 'S',
        address: { line1: '12 Heol y Bont', line2: 'Grangetown', town: 'Cardiff', postcode: 'CF11 6AA' },
        contacts: [
          { name: "Sara O'Neill", relationship: 'Mother', parentalResponsibility: 'true', phone: '029 2000 0001' },
        ],
      });
    });

    it('decodes numeric character references (a Welsh name), never a reference written as text', () => {
      const xml = `<CTfile><CTFpupilData><Pupil><UPN>${UPN1}</UPN><Surname>&#x4F;wen &amp;#373;</Surname><Forename>Ll&#375;r</Forename><PreferredForename>G&#373;en</PreferredForename><DOB>2018-03-14</DOB><NCyearActual>4</NCyearActual></Pupil></CTFpupilData></CTfile>`;
      expect(readRollFile(xml, 'ctf')[0]).toMatchObject({ surname: 'Owen &#373;', forename: 'Llŷr' });
    });

    it('refuses a DOCTYPE and what is not a CTF', () => {
      expect(() => readRollFile('<!DOCTYPE x [<!ENTITY a "b">]><CTfile/>', 'ctf')).toThrow(RollFileError);
      expect(() => readRollFile('<Other><Pupil/></Other>', 'ctf')).toThrow(RollFileError);
      expect(() => readRollFile('<CTfile><CTFpupilData></CTFpupilData></CTfile>', 'ctf')).toThrow(RollFileError);
    });
  });
});

describe('roll rows', () => {
  const base = {
    line: 2,
    upn: UPN1,
    surname: 'Jones',
    forename: 'Ffion',
    dateOfBirth: '2018-03-14',
    year: '4',
    address: null,
    contacts: [],
  };

  it('reads year groups and both date forms', () => {
    expect(['N1', 'N2', 'R', 'r', '1', '14'].map(yearGroupOf)).toEqual([-2, -1, 0, 0, 1, 14]);
    expect(['0', '15', 'Y4', ''].map(yearGroupOf)).toEqual([undefined, undefined, undefined, undefined]);
    expect(calendarDateOf('02/11/2019')).toBe('2019-11-02');
    expect(calendarDateOf('2019-11-02')).toBe('2019-11-02');
    expect(calendarDateOf('31/02/2019')).toBeUndefined();
    expect(calendarDateOf('2019/11/02')).toBeUndefined();
  });

  it('maps a good row to the pupil the roll will hold', () => {
    const [row] = checkRollRows([{ ...base, gender: 'X', enrolStatus: 'M', preferredForename: '' }], '2026-12-01');
    expect(row).toEqual({
      ok: true,
      pupil: expect.objectContaining({
        upn: UPN1,
        firstName: 'Ffion',
        lastName: 'Jones',
        preferredName: null,
        gender: undefined,
        yearGroup: 4,
        enrolmentType: 'main',
        contactDetails: undefined,
      }),
    });
  });

  it('rejects with every reason: check letter, names, impossible dates, a UPN twice', () => {
    const wrong = (UPN1[0] === 'A' ? 'B' : 'A') + UPN1.slice(1);
    const rows = checkRollRows(
      [
        { ...base, upn: wrong },
        { ...base, upn: UPN2, surname: ' ', forename: '' },
        { ...base, upn: upnFor('681210125103'), dateOfBirth: '2027-01-01' },
        { ...base, upn: upnFor('681210125104'), dateOfBirth: '1990-01-01' },
        { ...base, upn: upnFor('681210125105'), dateOfBirth: 'yesterday', year: '' },
        { ...base, upn: upnFor('681210125106') },
        { ...base, upn: upnFor('681210125106') },
        {
          ...base,
          upn: upnFor('681210125107'),
          contacts: [{ name: 'Sara', relationship: 'Mother', phone: '', parentalResponsibility: 'maybe' }],
        },
      ],
      '2026-12-01',
    );
    const problems = rows.map((row) => (row.ok ? [] : row.problems));
    expect(problems).toEqual([
      ['upn_invalid'],
      ['surname_missing', 'forename_missing'],
      ['dob_invalid'],
      ['dob_invalid'],
      ['dob_invalid', 'year_missing'],
      ['upn_duplicate'],
      ['upn_duplicate'],
      ['contact_responsibility_invalid'],
    ]);
  });

  it('keeps address and contacts, parental responsibility read from Y/N or true/false', () => {
    const [row] = checkRollRows(
      [
        {
          ...base,
          address: { line1: ' 12 Heol y Bont ', line2: '', town: 'Cardiff', postcode: 'CF11 6AA' },
          contacts: [
            { name: 'Sara Jones', relationship: 'Mother', phone: '029', parentalResponsibility: 'Y' },
            { name: 'Huw Jones', relationship: 'Father', phone: '', parentalResponsibility: 'false' },
          ],
        },
      ],
      '2026-12-01',
    );
    expect(row.ok && row.pupil.contactDetails).toEqual({
      address: { addressLine1: '12 Heol y Bont', addressLine2: null, town: 'Cardiff', postcode: 'CF11 6AA' },
      contacts: [
        { name: 'Sara Jones', relationship: 'Mother', parentalResponsibility: true, phone: '029' },
        { name: 'Huw Jones', relationship: 'Father', parentalResponsibility: false, phone: null },
      ],
    });
  });
});
