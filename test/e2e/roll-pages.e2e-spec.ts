import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, csrfFieldOf, openPageSession, PageSession } from '../support/web-session';
import { rollCsv, testUpn, wrongCheckLetter } from '../support/roll-files';

const SAMPLES = join(__dirname, '..', '..', 'docs', 'samples');
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');

interface PupilDetail {
  upn: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string;
  yearGroup: number;
}

interface Summary {
  added: number;
  updated: number;
  unchanged: number;
  left: number;
  rejected: number;
}

describe('The /roll/import page and the sample files', () => {
  let testApp: TestApp;
  let head: PageSession;

  const upload = async (
    session: PageSession,
    content: string,
    fileName: string,
    fields: Record<string, string> = {},
  ) => {
    const form = await session.get('/roll/import');
    let sending = testApp
      .http()
      .post('/roll/import')
      .set('Cookie', cookieHeader(session.cookies))
      .field('_csrf', csrfFieldOf(form.text));
    for (const [name, value] of Object.entries({ mode: 'full', ...fields })) sending = sending.field(name, value);
    return sending.attach('file', Buffer.from(content, 'utf8'), fileName);
  };

  const countOf = (html: string, action: keyof Summary) =>
    Number(new RegExp(`data-count="${action}">(\\d+)<`).exec(html)?.[1] ?? NaN);

  const apiImport = async (email: string, organisationId: string, body: string, type: string, query: string) => {
    const response = await testApp
      .http()
      .post(`/api/organisations/${organisationId}/roll-imports?${query}`)
      .set(await testApp.as(email).authorization())
      .set('Content-Type', type)
      .send(body);
    return response as unknown as { status: number; body: { summary: Summary } };
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    head = await openPageSession(testApp, 'head@riverside.example');
  });

  afterAll(() => testApp.close());

  it('the samples import cleanly: the Riverside CSV and CTF into the demo, the new-school CTF into a school with no roll', async () => {
    const riverside = (await testApp.as('dsp@riverside.example').me()).organisationId;
    const csv = await apiImport(
      'dsp@riverside.example',
      riverside,
      sample('roll-riverside.csv'),
      'text/csv',
      'mode=full',
    );
    expect(csv.status).toBe(201);
    expect(csv.body.summary).toEqual({ added: 3, updated: 3, unchanged: 9, left: 0, rejected: 0 });
    const ctf = await apiImport(
      'dsp@riverside.example',
      riverside,
      sample('roll-riverside.ctf.xml'),
      'application/xml',
      'mode=full',
    );
    expect(ctf.body.summary).toEqual({ added: 0, updated: 0, unchanged: 15, left: 0, rejected: 0 });
    // Bridge PRU stands in for a freshly created school here: a partial import adds every pupil, none known.
    const bridge = (await testApp.as('dsp@bridge.example').me()).organisationId;
    const fresh = await apiImport(
      'dsp@bridge.example',
      bridge,
      sample('roll-new-school.ctf.xml'),
      'application/xml',
      'mode=partial&dryRun=true',
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body.summary).toEqual({ added: 15, updated: 0, unchanged: 0, left: 0, rejected: 0 });
  });

  it('uploads, previews every row and applies exactly the file previewed on confirm', async () => {
    const rows = Array.from({ length: 130 }, (_, i) => ({
      upn: testUpn('7002', i + 1),
      surname: `Surname${i}`,
      forename: 'Pupil',
      dob: '2017-06-01',
      year: '4',
    }));
    const uploaded = await upload(head, rollCsv(rows), 'roll.csv', { mode: 'partial' });
    expect(uploaded.status).toBe(303);
    const previewPath = uploaded.headers.location;
    expect(previewPath).toMatch(/^\/roll\/import\/[0-9a-f-]{36}$/);
    const preview = await head.get(previewPath);
    expect(preview.status).toBe(200);
    expect(countOf(preview.text, 'added')).toBe(130);
    expect(preview.text).toMatch(/data-organisation>Riverside Primary</);
    expect(preview.text).not.toContain('govuk-error-summary');
    expect(preview.text.match(/data-action="added"/g)).toHaveLength(100);
    const second = await head.get(`${previewPath}?page=2`);
    expect(second.text.match(/data-action="added"/g)).toHaveLength(30);
    expect(second.text).toContain('Surname129');
    // Nothing is on the roll before the confirm.
    expect(await testApp.as('dsp@riverside.example').pupils({ q: 'Surname1' })).toEqual([]);

    // A confirm carrying another file's hash is refused, and nothing changes.
    const csrf = csrfFieldOf(preview.text);
    const tampered = await head.post(previewPath, { sha256: '0'.repeat(64) }, csrf);
    expect(tampered.status).toBe(400);
    expect(await testApp.as('dsp@riverside.example').pupils({ q: 'Surname1' })).toEqual([]);

    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(preview.text)![1];
    const confirmed = await head.post(previewPath, { sha256 }, csrf);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toContain('added=130');
    const done = await head.get(confirmed.headers.location);
    expect(done.text).toContain('130 added');
    expect((await testApp.as('dsp@riverside.example').pupils({ q: 'Surname12' })).length).toBeGreaterThan(0);
    // The upload is gone once applied: confirming again finds nothing.
    expect((await head.post(previewPath, { sha256 }, csrf)).status).toBe(404);
  });

  it('shows rejected rows with their reasons and offers no confirm; says what is wrong with a file it cannot read', async () => {
    const csv = rollCsv([
      { upn: wrongCheckLetter(testUpn('7003', 1)), surname: 'Bad', forename: 'Letter', dob: '2018-01-01', year: '2' },
    ]);
    const uploaded = await upload(head, csv, 'roll.csv', { mode: 'partial' });
    const preview = await head.get(uploaded.headers.location);
    expect(countOf(preview.text, 'rejected')).toBe(1);
    expect(preview.text).toContain('check letter');
    expect(preview.text).not.toContain('name="sha256"');
    // Said at the top, before the heading, linking to the row; the row named as the file wrote it.
    const summary = preview.text.indexOf('govuk-error-summary');
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(preview.text.indexOf('<h1'));
    expect(preview.text).toContain('This file cannot be imported');
    expect(preview.text).toMatch(/href="\/roll\/import\/[0-9a-f-]{36}#row-1">Rows that need correcting[^<]*: 1\./);
    expect(preview.text).toMatch(/id="row-1"[\s\S]*Bad, Letter/);

    const unreadable = await upload(head, 'Name,Age\nA,1\n', 'roll.csv');
    expect(unreadable.status).toBe(400);
    expect(unreadable.text).toContain('govuk-error-summary');
    const none = await head
      .get('/roll/import')
      .then((form) =>
        testApp
          .http()
          .post('/roll/import')
          .set('Cookie', cookieHeader(head.cookies))
          .field('_csrf', csrfFieldOf(form.text))
          .field('mode', 'full'),
      );
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a roll file to upload');

    const huge = await upload(head, 'x'.repeat(21 * 1024 * 1024), 'roll.csv');
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('larger than 20 MB');
  });

  it('is in Welsh for a Welsh reader, and refused to staff', async () => {
    const welsh = await openPageSession(testApp, 'dsp@riverside.example', { language: 'cy' });
    const form = await welsh.get('/roll/import');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Mewnforio&#x27;r gofrestr');
    // A full roll holding one new pupil: the preview names the school in Welsh, warns of every leaver
    // at the top, names them from the roll, and says each outcome as an outcome.
    const riversideRoll = await testApp.as('dsp@riverside.example').pupils({ pageSize: '200' });
    const uploaded = await upload(
      welsh,
      rollCsv([{ upn: testUpn('7004', 1), surname: 'Newydd', forename: 'Elis', dob: '2018-01-01', year: '2' }]),
      'roll.csv',
      { mode: 'full' },
    );
    const preview = await welsh.get(uploaded.headers.location);
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/data-organisation>Ysgol Gynradd Glan yr Afon</);
    expect(preview.text).toContain(`Bydd ${riversideRoll.length} o ddisgyblion yn cael eu nodi fel wedi gadael`);
    expect(preview.text.indexOf('left-warning')).toBeLessThan(preview.text.indexOf('govuk-table'));
    expect(preview.text).toContain('Bydd yn cael ei ychwanegu');
    expect(preview.text).toContain(riversideRoll[0].lastName);
    const staff = await openPageSession(testApp, 'teacher@riverside.example');
    expect((await staff.get('/roll/import')).status).toBe(403);
  });

  it("pre-fills a fresh referral form with the roll's household, parental responsibility and address", async () => {
    const dsp = testApp.as('dsp@riverside.example');
    const concerns = await dsp.read<{ items: Array<{ id: string; pupil?: { id: string }; pupilId?: string }> }>(
      '/api/concerns',
    );
    const concern = concerns.items[0];
    const pupilId = concern.pupilId ?? concern.pupil!.id;
    const pupil = await dsp.read<PupilDetail>(`/api/pupils/${pupilId}`);
    const riverside = (await dsp.me()).organisationId;
    const csv = rollCsv([
      {
        upn: pupil.upn,
        surname: pupil.lastName,
        forename: pupil.firstName,
        preferred: pupil.preferredName ?? '',
        dob: pupil.dateOfBirth,
        year: pupil.yearGroup === 0 ? 'R' : String(pupil.yearGroup),
        address: { line1: '77 Heol Prefill', town: 'Cardiff', postcode: 'CF10 1AA' },
        contacts: [{ name: 'Gwen Prefill', relationship: 'Grandmother', phone: '029 2000 7777', responsibility: 'Y' }],
      },
    ]);
    expect((await apiImport('dsp@riverside.example', riverside, csv, 'text/csv', 'mode=partial')).status).toBe(201);
    const dspPage = await openPageSession(testApp, 'dsp@riverside.example');
    const page = await dspPage.get(`/concerns/${concern.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="householdMembers[0][name]" type="text" value="Gwen Prefill"');
    expect(page.text).toMatch(
      /id="parentalResponsibility" name="parentalResponsibility" rows="2">\s*Gwen Prefill \(Grandmother\)/,
    );
    expect(page.text).toMatch(/name="address" rows="5">\s*77 Heol Prefill\nCardiff\nCF10 1AA/);
  });
});
