import { randomUUID } from 'node:crypto';
import { bootTestApp, TestApp } from '../support/test-app';
import { ErrorBody, PupilSummary } from '../support/api';
import { rollCsv, rollCtf, RollRow, testUpn, wrongCheckLetter } from '../support/roll-files';
import { auditCaughtUp } from '../support/audit-chain';

interface ImportAnswer extends ErrorBody {
  dryRun: boolean;
  mode: string;
  summary: { added: number; updated: number; unchanged: number; left: number; rejected: number };
  rows: Array<{ line: number | null; upn: string; action: string; errors?: string[] }>;
}

const yearCell = (yearGroup: number) => (yearGroup === 0 ? 'R' : String(yearGroup));

describe('The roll import and the pupil lookup (API)', () => {
  let testApp: TestApp;
  let riversideId: string;
  let hillcrestId: string;
  let riversideRoll: PupilSummary[];

  const post = async (
    email: string,
    organisationId: string,
    body: string,
    query: Record<string, string>,
    contentType = 'text/csv',
  ) =>
    testApp
      .http()
      .post(`/api/organisations/${organisationId}/roll-imports`)
      .query(query)
      .set(await testApp.as(email).authorization())
      .set('Content-Type', contentType)
      .send(body) as Promise<{ status: number; body: ImportAnswer }>;

  const demoRows = (roll: PupilSummary[]): RollRow[] =>
    roll.map((pupil) => ({
      upn: pupil.upn,
      surname: pupil.lastName,
      forename: pupil.firstName,
      preferred: (pupil as PupilSummary & { preferredName?: string | null }).preferredName ?? '',
      dob: pupil.dateOfBirth,
      year: yearCell(pupil.yearGroup),
    }));

  const newcomers: RollRow[] = [
    {
      upn: testUpn('7001', 1),
      surname: 'Pritchard',
      forename: 'Elin',
      dob: '2018-05-04',
      year: '3',
      gender: 'F',
      family: 'PRIT',
      address: { line1: '12 Heol y Bont', line2: 'Grangetown', town: 'Cardiff', postcode: 'CF11 6AA' },
      contacts: [
        { name: 'Sara Pritchard', relationship: 'Mother', phone: '029 2000 0001', responsibility: 'Y' },
        { name: 'Huw Pritchard, Jr', relationship: 'Father', phone: '029 2000 0002', responsibility: 'Y' },
      ],
    },
    {
      upn: testUpn('7001', 2),
      surname: 'Pritchard',
      forename: 'Cai',
      dob: '21/09/2020',
      year: '1',
      gender: 'M',
      family: 'PRIT',
    },
  ];

  beforeAll(async () => {
    testApp = await bootTestApp();
    riversideId = (await testApp.as('dsp@riverside.example').me()).organisationId;
    hillcrestId = (await testApp.as('dsp@hillcrest.example').me()).organisationId;
    riversideRoll = await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' });
  });

  afterAll(() => testApp.close());

  it('refuses callers who may not import this roll, and bodies it cannot take', async () => {
    const csv = rollCsv(demoRows(riversideRoll));
    expect((await post('teacher@riverside.example', riversideId, csv, { dryRun: 'true' })).status).toBe(403);
    expect((await post('dsp@hillcrest.example', riversideId, csv, { dryRun: 'true' })).status).toBe(403);
    expect((await post('mash@cardiff.example', riversideId, csv, { dryRun: 'true' })).status).toBe(403);
    expect((await post('admin@cardiff.example', randomUUID(), csv, { dryRun: 'true' })).status).toBe(404);
    const badMode = await post('dsp@riverside.example', riversideId, csv, { mode: 'everything' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.errors).toHaveProperty('mode');
    const json = await post('dsp@riverside.example', riversideId, '{"a":1}', {}, 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.errors).toHaveProperty(['content-type']);
    const noUpn = await post('dsp@riverside.example', riversideId, 'Surname,Forename,DOB\nA,B,2018-01-01\n', {});
    expect(noUpn.status).toBe(400);
    expect(noUpn.body.errors?.file?.[0]).toContain('UPN');
    const tooBig = await post('dsp@riverside.example', riversideId, 'x'.repeat(21 * 1024 * 1024), {});
    expect(tooBig.status).toBe(413);
  });

  it('previews, applies and re-imports a CSV: the known pupils unchanged, the new ones added once', async () => {
    const csv = rollCsv([...demoRows(riversideRoll), ...newcomers], { crlf: true, bom: true });
    const dry = await post('dsp@riverside.example', riversideId, csv, { dryRun: 'true' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      mode: 'full',
      summary: { added: 2, updated: 0, unchanged: riversideRoll.length, left: 0, rejected: 0 },
    });
    expect(dry.body.rows[0]).toMatchObject({ line: 2, action: 'unchanged' });
    expect(await testApp.as('dsp@riverside.example').pupils({ q: 'Pritchard' })).toEqual([]);

    const applied = await post('head@riverside.example', riversideId, csv, { dryRun: 'false' });
    expect(applied.status).toBe(201);
    expect(applied.body.summary).toEqual(dry.body.summary);
    const added = await testApp.as('dsp@riverside.example').pupils({ q: 'Pritchard' });
    expect(added.map((pupil) => pupil.firstName).sort()).toEqual(['Cai', 'Elin']);
    expect(added.find((pupil) => pupil.firstName === 'Cai')?.dateOfBirth).toBe('2020-09-21');

    const again = await post('dsp@riverside.example', riversideId, csv, {});
    expect(again.status).toBe(201);
    expect(again.body.summary).toEqual({
      added: 0,
      updated: 0,
      unchanged: riversideRoll.length + 2,
      left: 0,
      rejected: 0,
    });

    await auditCaughtUp(testApp);
    const entries: Array<{ details: string }> = await testApp.dataSource.query(
      "SELECT details FROM audit_entries WHERE action = 'roll.imported' ORDER BY seq",
    );
    expect(entries).toHaveLength(2);
    const details = JSON.parse(entries[0].details) as Record<string, unknown>;
    expect(details).toMatchObject({ mode: 'full', added: 2, unchanged: riversideRoll.length });
    expect(entries[0].details).not.toContain('Pritchard');
    expect(entries[0].details).not.toContain(newcomers[0].upn);
  });

  it('keeps address and contacts for the DSP and head teacher only', async () => {
    const elin = await testApp.as('dsp@riverside.example').pupilNamed('Elin', 'Pritchard');
    const forDsp = await testApp.as('dsp@riverside.example').read<Record<string, unknown>>(`/api/pupils/${elin.id}`);
    expect(forDsp.contactDetails).toEqual({
      address: { addressLine1: '12 Heol y Bont', addressLine2: 'Grangetown', town: 'Cardiff', postcode: 'CF11 6AA' },
      contacts: [
        { name: 'Sara Pritchard', relationship: 'Mother', parentalResponsibility: true, phone: '029 2000 0001' },
        { name: 'Huw Pritchard, Jr', relationship: 'Father', parentalResponsibility: true, phone: '029 2000 0002' },
      ],
    });
    const forHead = await testApp.as('head@riverside.example').read<Record<string, unknown>>(`/api/pupils/${elin.id}`);
    expect(forHead.contactDetails).toEqual(forDsp.contactDetails);
    const forStaff = await testApp
      .as('teacher@riverside.example')
      .read<Record<string, unknown>>(`/api/pupils/${elin.id}`);
    expect(forStaff).not.toHaveProperty('contactDetails');
    expect(JSON.stringify(forStaff)).not.toContain('Heol y Bont');
    const page = await testApp
      .http()
      .get(`/pupils/${elin.id}`)
      .set(await testApp.as('teacher@riverside.example').authorization());
    expect(page.text).not.toContain('Heol y Bont');
    const dspPage = await testApp
      .http()
      .get(`/pupils/${elin.id}`)
      .set(await testApp.as('dsp@riverside.example').authorization());
    expect(dspPage.text).toContain('Heol y Bont');
    expect(dspPage.text).toContain('Sara Pritchard');
  });

  it('rejects bad rows with reasons, and refuses to apply a file holding any (nothing changes)', async () => {
    const duplicate = testUpn('7001', 3);
    const rows: RollRow[] = [
      ...demoRows(riversideRoll),
      { upn: wrongCheckLetter(testUpn('7001', 4)), surname: 'Bad', forename: 'Letter', dob: '2018-01-01', year: '2' },
      { upn: testUpn('7001', 5), surname: '', forename: 'Noname', dob: '2018-01-01', year: '2' },
      { upn: testUpn('7001', 6), surname: 'Future', forename: 'Child', dob: '2099-01-01', year: '2' },
      { upn: testUpn('7001', 7), surname: 'Impossible', forename: 'Date', dob: '31/02/2018', year: '2' },
      { upn: duplicate, surname: 'Twice', forename: 'One', dob: '2018-01-01', year: '2' },
      { upn: duplicate, surname: 'Twice', forename: 'Two', dob: '2018-01-01', year: '2' },
    ];
    const csv = rollCsv(rows);
    const dry = await post('dsp@riverside.example', riversideId, csv, { dryRun: 'true', mode: 'partial' });
    expect(dry.status).toBe(200);
    expect(dry.body.summary.rejected).toBe(6);
    const rejected = dry.body.rows.filter((row) => row.action === 'rejected');
    expect(rejected.map((row) => row.line)).toEqual([
      riversideRoll.length + 2,
      riversideRoll.length + 3,
      riversideRoll.length + 4,
      riversideRoll.length + 5,
      riversideRoll.length + 6,
      riversideRoll.length + 7,
    ]);
    expect(rejected[0].errors?.[0]).toMatch(/check letter/);
    expect(rejected[1].errors?.[0]).toMatch(/surname/i);
    expect(rejected[2].errors?.[0]).toMatch(/date of birth/i);
    expect(rejected[3].errors?.[0]).toMatch(/date of birth/i);
    expect(rejected[4].errors?.[0]).toMatch(/more than one row/);

    const before = (await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' })).length;
    const refused = await post('dsp@riverside.example', riversideId, csv, { mode: 'partial' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toHaveProperty('rows');
    expect((await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' })).length).toBe(before);
  });

  it('a full import ends the enrolments of pupils not in the file; a partial one never does', async () => {
    const roll = await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' });
    const leaver = roll.find((pupil) => pupil.firstName === 'Cai')!;
    const rest = roll.filter((pupil) => pupil.id !== leaver.id);
    const partial = await post('dsp@riverside.example', riversideId, rollCsv(demoRows(rest)), { mode: 'partial' });
    expect(partial.status).toBe(201);
    expect(partial.body.summary.left).toBe(0);
    const full = await post('dsp@riverside.example', riversideId, rollCsv(demoRows(rest)), { mode: 'full' });
    expect(full.status).toBe(201);
    expect(full.body.summary.left).toBe(1);
    expect(full.body.rows.find((row) => row.action === 'left')).toEqual({
      line: null,
      upn: leaver.upn,
      firstName: 'Cai',
      lastName: 'Pritchard',
      action: 'left',
    });
    expect((await testApp.as('dsp@riverside.example').get(`/api/pupils/${leaver.id}`)).status).toBe(404);
    // Nothing deleted: the pupil is still known to the LA, now on no roll.
    const found = await testApp
      .as('dsp@hillcrest.example')
      .get<Record<string, unknown>>('/api/pupils/lookup', { upn: leaver.upn, dateOfBirth: leaver.dateOfBirth });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      id: leaver.id,
      firstName: 'Cai',
      lastName: 'Pritchard',
      dateOfBirth: '2020-09-21',
      organisations: [],
    });
  });

  it('matches a CTF pupil known at another school by UPN: enrolled, never duplicated', async () => {
    const elin = await testApp.as('dsp@riverside.example').pupilNamed('Elin', 'Pritchard');
    const ctf = rollCtf(
      [{ upn: elin.upn, surname: 'Pritchard', forename: 'Elin', dob: '2018-05-04', year: '3', enrolStatus: 'S' }],
      {
        basicDetails: true,
      },
    );
    const answer = await post('head@hillcrest.example', hillcrestId, ctf, { mode: 'partial' }, 'application/xml');
    expect(answer.status).toBe(201);
    expect(answer.body.summary).toMatchObject({ added: 1, rejected: 0 });
    const atHillcrest = await testApp.as('dsp@hillcrest.example').pupilNamed('Elin', 'Pritchard');
    expect(atHillcrest.id).toBe(elin.id);
    const count: Array<{ n: number | string }> = await testApp.dataSource.query(
      'SELECT COUNT(*) AS n FROM pupils WHERE upn = $1'.replace('$1', `'${elin.upn}'`),
    );
    expect(Number(count[0].n)).toBe(1);
  });

  describe('GET /api/pupils/lookup', () => {
    it('finds one pupil of the LA by UPN and date of birth, else 404, and audits it', async () => {
      const pupil = riversideRoll[0];
      const hit = await testApp
        .as('dsp@bridge.example')
        .get<Record<string, unknown>>('/api/pupils/lookup', { upn: pupil.upn, dateOfBirth: pupil.dateOfBirth });
      expect(hit.status).toBe(200);
      expect(hit.body).toEqual({
        id: pupil.id,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
        dateOfBirth: pupil.dateOfBirth,
        organisations: [{ id: riversideId, name: 'Riverside Primary', nameCy: 'Ysgol Gynradd Glan yr Afon' }],
      });
      const wrongDate = await testApp
        .as('dsp@bridge.example')
        .get('/api/pupils/lookup', { upn: pupil.upn, dateOfBirth: '2001-01-01' });
      expect(wrongDate.status).toBe(404);
      await auditCaughtUp(testApp);
      const entries: Array<{ subject_type: string; subject_id: string }> = await testApp.dataSource.query(
        "SELECT subject_type, subject_id FROM audit_entries WHERE action = 'pupil.looked_up' ORDER BY seq",
      );
      const lastTwo = entries.slice(-2);
      expect(lastTwo.map((entry) => entry.subject_type)).toEqual(['pupil', 'organisation']);
      expect(lastTwo[0].subject_id).toBe(pupil.id);
    });

    it('answers 400 naming the fields for a malformed UPN or date, and 403 for other roles', async () => {
      const bad = await testApp.as('dsp@bridge.example').get<ErrorBody>('/api/pupils/lookup', {
        upn: wrongCheckLetter(riversideRoll[0].upn),
        dateOfBirth: '2018-02-30',
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['dateOfBirth', 'upn']);
      const query = { upn: riversideRoll[0].upn, dateOfBirth: riversideRoll[0].dateOfBirth };
      expect((await testApp.as('teacher@riverside.example').get('/api/pupils/lookup', query)).status).toBe(403);
      expect((await testApp.as('mash@cardiff.example').get('/api/pupils/lookup', query)).status).toBe(403);
      expect((await testApp.as('admin@cardiff.example').get('/api/pupils/lookup', query)).status).toBe(403);
    });
  });

  it("refuses to hand Hillcrest's pupil to Riverside by UPN alone, and never shows Riverside Hillcrest's address", async () => {
    const hillcrestRoll = await testApp.as('dsp@hillcrest.example').pupils({ pageSize: '200' });
    const onRiverside = new Set(
      (await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' })).map((pupil) => pupil.id),
    );
    const victim = hillcrestRoll.find((pupil) => !onRiverside.has(pupil.id))!;
    const own: RollRow = {
      ...demoRows([victim])[0],
      address: { line1: '7 Stryd y Castell', town: 'Caerffili', postcode: 'CF83 1AA' },
      contacts: [{ name: 'Real Parent', relationship: 'Mother', phone: '029 2000 0009', responsibility: 'Y' }],
    };
    expect((await post('dsp@hillcrest.example', hillcrestId, rollCsv([own]), { mode: 'partial' })).status).toBe(201);

    const attack: RollRow = {
      upn: victim.upn,
      surname: 'Attacker',
      forename: 'Someone',
      dob: victim.dateOfBirth,
      year: '6',
      contacts: [{ name: 'Fake Father', relationship: 'Father', phone: '07000 000000', responsibility: 'Y' }],
    };
    const dry = await post('dsp@riverside.example', riversideId, rollCsv([attack]), {
      dryRun: 'true',
      mode: 'partial',
    });
    expect(dry.status).toBe(200);
    expect(dry.body.rows[0]).toMatchObject({ action: 'rejected', upn: victim.upn });
    expect(dry.body.rows[0].errors?.[0]).toMatch(/surname or date of birth differ/);
    const refused = await post('dsp@riverside.example', riversideId, rollCsv([attack]), { mode: 'partial' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toHaveProperty('rows');
    expect((await testApp.as('dsp@riverside.example').get(`/api/pupils/${victim.id}`)).status).toBe(404);
    const forHillcrest = await testApp
      .as('dsp@hillcrest.example')
      .read<Record<string, unknown>>(`/api/pupils/${victim.id}`);
    expect(forHillcrest).toMatchObject({ firstName: victim.firstName, lastName: victim.lastName });
    expect(JSON.stringify(forHillcrest)).not.toContain('Fake Father');

    // The right surname (another case) and date of birth, a forename spelt otherwise, no address columns.
    const right: RollRow = { ...demoRows([victim])[0], surname: victim.lastName.toUpperCase(), forename: 'Other' };
    const applied = await post('dsp@riverside.example', riversideId, rollCsv([right]), { mode: 'partial' });
    expect(applied.status).toBe(201);
    expect(applied.body.rows[0].action).toBe('added');
    const forRiverside = await testApp
      .as('dsp@riverside.example')
      .read<Record<string, unknown>>(`/api/pupils/${victim.id}`);
    expect(forRiverside.contactDetails ?? null).toBeNull();
    expect(JSON.stringify(forRiverside)).not.toContain('Stryd y Castell');
    const page = await testApp
      .http()
      .get(`/pupils/${victim.id}`)
      .set(await testApp.as('dsp@riverside.example').authorization());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Stryd y Castell');
    const stillHillcrest = await testApp
      .as('dsp@hillcrest.example')
      .read<Record<string, unknown>>(`/api/pupils/${victim.id}`);
    expect(stillHillcrest).toMatchObject({ firstName: victim.firstName, lastName: victim.lastName });
    expect(JSON.stringify(stillHillcrest)).toContain('Stryd y Castell');
  });
});
