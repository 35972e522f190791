import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AuditItem, Chronology, ConcernDetail, Paged, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookiesSetBy, openPageSession, PageSession } from '../support/web-session';

const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const TEACHER = 'teacher@riverside.example';
const OTHER_DSP = 'dsp@hillcrest.example';
const MASH = 'mash@cardiff.example';
const LEAD = 'lead@cardiff.example';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** A London day `days` before now, `YYYY-MM-DD`. */
const londonDay = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() - days * DAY));

/** supertest keeps a binary body as a Buffer with this parser. */
const binary = (response: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('The chronology PDF (GET /api/pupils/:id/chronology.pdf)', () => {
  let testApp: TestApp;
  let dir: string;
  let pupil: PupilSummary;
  let bodyMapConcernId = '';
  let page: PageSession;
  const childsWords = "Mae'r ŵyn yn y cae ac mae'r ŷd yn tyfu; dw i ddim eisiau mynd adre.";
  const summary = 'Came in upset: “home is frightening”. Said it twice.\nSecond line of the account.';
  const oldSummary = 'Backdated: bruising on the forearm noticed during PE, ten days ago.';
  const markNote = 'Bruise about 3cm across, yellow-green';

  const pdfOf = async (email: string, query: Record<string, string> = {}, pupilId = pupil.id) =>
    testApp
      .http()
      .get(`/api/pupils/${pupilId}/chronology.pdf`)
      .query(query)
      .set(await testApp.as(email).authorization())
      .buffer(true)
      .parse(binary);

  let files = 0;
  /** The PDF's text as pdftotext reads it, one string per page. */
  const pagesOf = (pdf: Buffer): string[] => {
    const file = join(dir, `${++files}.pdf`);
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return text.split('\f').filter((p) => p.trim() !== '');
  };
  /** Text with layout spacing and line breaks collapsed, to look for a sentence that may wrap. */
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-pdf-'));
    testApp = await bootTestApp();
    pupil = await testApp.as(DSP).pupilNamed('Zofia', 'Nowak');
    const teacher = testApp.as(TEACHER);
    bodyMapConcernId = (
      await teacher.created('/api/concerns', {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - HOUR).toISOString(),
        category: 'physical',
        summary,
        childsWords,
        childsWordsLanguage: 'cy',
        evidenceBasis: 'disclosed_by_child',
        bodyMap: [
          { view: 'front', x: 0.76, y: 0.35, note: markNote },
          { view: 'back', x: 0.5, y: 0.33, note: null },
        ],
      })
    ).id;
    await teacher.created('/api/concerns', {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 10 * DAY).toISOString(),
      category: 'physical',
      summary: oldSummary,
      evidenceBasis: 'observed',
    });
    // Enough entries for several pages.
    for (let i = 0; i < 30; i++) {
      await teacher.created('/api/concerns', {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 2 * HOUR - i * 60_000).toISOString(),
        category: 'wellbeing',
        summary: `Routine note ${i + 1}: seemed tired in the morning and asked for breakfast.`,
        evidenceBasis: 'observed',
      });
    }
    page = await openPageSession(testApp, DSP);
  });

  afterAll(async () => {
    await testApp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a PDF attachment named by UPN and date, never by the child’s name', async () => {
    const response = await pdfOf(DSP, { lang: 'en' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="chronology-${pupil.upn}-${londonDay(0)}.pdf"`,
    );
    expect(response.headers['content-disposition']).not.toMatch(/Zofia|Nowak/);
    expect(response.headers['cache-control']).toContain('no-store');
    expect((response.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('marks every page OFFICIAL-SENSITIVE, top and bottom, with "Page N of M" and who exported it', async () => {
    const pages = pagesOf((await pdfOf(DSP, { lang: 'en' })).body as Buffer);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((text, index) => {
      expect(text.match(/OFFICIAL-SENSITIVE/g)).toHaveLength(2);
      expect(text).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(flat(text)).toMatch(/Exported by .+ \(Designated safeguarding person, Riverside Primary\) on /);
    });
  });

  it('gives the pupil’s details, the dates and whether staff names are removed on the first page', async () => {
    const first = flat(pagesOf((await pdfOf(DSP, { lang: 'en' })).body as Buffer)[0]);
    expect(first).toContain('Safeguarding chronology');
    expect(first).toContain('Zofia Nowak');
    expect(first).toContain(pupil.upn);
    const [year, month, day] = pupil.dateOfBirth.split('-').map(Number);
    const born = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(
      new Date(Date.UTC(year, month - 1, day, 12)),
    );
    expect(first).toContain(born);
    expect(first).toMatch(/Year group (Year \d+|Reception)/);
    expect(first).toMatch(/On roll at Riverside Primary \(Main, since /);
    expect(first).toContain('Every entry, whatever its date');
    expect(first).toContain('Staff names Shown');
  });

  it('prints every entry verbatim with its kind, where it was made and who, the child’s words as said', async () => {
    const chronology = await testApp.as(DSP).read<Chronology>(`/api/pupils/${pupil.id}/chronology`, {
      pageSize: '200',
    });
    const text = flat(pagesOf((await pdfOf(DSP, { lang: 'en' })).body as Buffer).join('\n'));
    expect(text).toContain(`Entries (${chronology.entries.length})`);
    expect(text).toContain(flat(summary));
    expect(text).toContain(oldSummary);
    expect(text).toContain("The child's own words, in Welsh, as said. Not translated:");
    expect(text).toContain(childsWords);
    expect(text).toContain('Routine note 30: seemed tired in the morning and asked for breakfast.');
    const teacher = chronology.entries.find((e) => e.actor?.role === 'staff')!.actor!;
    expect(text).toContain(`Made at Riverside Primary. By ${teacher.name} (Staff member)`);
    expect(text).toContain('Concern');
  });

  it('draws the body map with its numbered marks and their notes', async () => {
    const text = flat(pagesOf((await pdfOf(DSP, { lang: 'en' })).body as Buffer).join('\n'));
    expect(text).toContain('Body map');
    expect(text).toMatch(/1\. [A-Z][a-z ]+ \(front\): Bruise about 3cm across, yellow-green/);
    expect(text).toMatch(/2\. [A-Z][a-z ]+ \(back\)/);
  });

  it('puts headings and labels in Welsh with lang=cy, the marking kept in English with a gloss', async () => {
    const pages = pagesOf((await pdfOf(DSP, { lang: 'cy' })).body as Buffer);
    pages.forEach((text, index) => {
      expect(text.match(/OFFICIAL-SENSITIVE \(SWYDDOGOL-SENSITIF\)/g)).toHaveLength(2);
      expect(text).toContain(`Tudalen ${index + 1} o ${pages.length}`);
      expect(flat(text)).toContain('Allforiwyd gan');
    });
    const text = flat(pages.join('\n'));
    expect(text).toContain('Cronoleg ddiogelu');
    expect(text).toContain('Dyddiad geni');
    expect(text).toContain('Pryder');
    expect(text).toContain("Geiriau'r plentyn ei hun, yn Gymraeg");
    // What people recorded stays as they wrote it.
    expect(text).toContain(childsWords);
    expect(text).toContain(oldSummary);
  });

  it('removes every staff name with redactStaff=true, keeping each role', async () => {
    const chronology = await testApp.as(DSP).read<Chronology>(`/api/pupils/${pupil.id}/chronology`, {
      pageSize: '200',
    });
    const names = new Set(chronology.entries.flatMap((e) => (e.actor ? [e.actor.name] : [])));
    names.add((await testApp.as(DSP).me()).name);
    expect(names.size).toBeGreaterThan(1);
    const text = flat(pagesOf((await pdfOf(DSP, { lang: 'en', redactStaff: 'true' })).body as Buffer).join('\n'));
    for (const name of names) expect(text).not.toContain(name);
    expect(text).toContain('By: Staff member');
    expect(text).toContain('Staff names Removed');
    expect(text).toMatch(/Exported by the Designated safeguarding person role at Riverside Primary on /);
    expect(text).toContain(childsWords);
  });

  it('keeps only the entries of the days asked for, both included', async () => {
    const text = flat(
      pagesOf((await pdfOf(DSP, { lang: 'en', from: londonDay(1), to: londonDay(0) })).body as Buffer).join('\n'),
    );
    expect(text).toContain(flat(summary));
    expect(text).not.toContain(oldSummary);
    const old = flat(
      pagesOf((await pdfOf(DSP, { lang: 'en', from: londonDay(10), to: londonDay(10) })).body as Buffer).join('\n'),
    );
    expect(old).toContain(oldSummary);
    expect(old).toContain('Entries (1)');
    expect(old).not.toContain(flat(summary));
  });

  it('is audited as chronology.exported', async () => {
    await pdfOf(HEAD, { lang: 'en', redactStaff: 'true' });
    const audit = await testApp
      .as(HEAD)
      .read<Paged<AuditItem>>('/api/audit', { action: 'chronology.exported', pupilId: pupil.id });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items[0]).toMatchObject({
      action: 'chronology.exported',
      subjectType: 'pupil',
      subjectId: pupil.id,
      actor: { role: 'head_teacher' },
    });
  });

  it('answers as the chronology does to everyone else: 404 for pupil data they may not see', async () => {
    for (const email of [OTHER_DSP, TEACHER, MASH, LEAD]) {
      const chronology = await testApp.as(email).get(`/api/pupils/${pupil.id}/chronology`);
      const pdf = await pdfOf(email);
      expect([email, pdf.status]).toEqual([email, chronology.status]);
      expect(pdf.status).toBe(404);
    }
    expect((await pdfOf(DSP, {}, '6a0d7c3e-2b1f-4c5d-9e8f-0a1b2c3d4e5f')).status).toBe(404);
  });

  it('answers 400 with field errors for bad values', async () => {
    const problems: Array<[Record<string, string>, string]> = [
      [{ lang: 'fr' }, 'lang'],
      [{ redactStaff: 'yes' }, 'redactStaff'],
      [{ from: '2026-02-30' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ from: '2026-03-10', to: '2026-03-09' }, 'to'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [query, field] of problems) {
      const response = await pdfOf(DSP, query);
      expect([query, response.status]).toEqual([query, 400]);
      const body = JSON.parse((response.body as Buffer).toString('utf8')) as { errors: Record<string, string[]> };
      expect(Object.keys(body.errors)).toContain(field);
    }
    expect(
      (
        await testApp
          .http()
          .get(`/api/pupils/not-an-id/chronology.pdf`)
          .set(await testApp.as(DSP).authorization())
      ).status,
    ).toBe(400);
  });

  describe('the download form on the chronology page', () => {
    it('offers language, staff names and dates, in English and Welsh', async () => {
      const html = (await page.get(`/pupils/${pupil.id}/chronology`)).text;
      expect(html).toContain(`<form method="get" action="/pupils/${pupil.id}/chronology/pdf">`);
      for (const id of ['pdf-language', 'pdf-language-cy', 'pdf-redact-staff', 'pdf-from', 'pdf-to'])
        expect(html).toMatch(new RegExp(`<label[^>]+for="${id}"`));
      expect(html).toContain('Download as PDF');
      const welsh = (await page.get(`/pupils/${pupil.id}/chronology?lang=cy`)).text;
      expect(welsh).toContain('Lawrlwytho fel PDF');
    });

    it('downloads the PDF from the form without changing the pages’ language', async () => {
      const response = await page
        .get(`/pupils/${pupil.id}/chronology/pdf?language=cy&redactStaff=true&from=&to=`)
        .buffer(true)
        .parse(binary);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(cookiesSetBy(response as never)).not.toHaveProperty('sg_lang');
      const text = flat(pagesOf(response.body as Buffer).join('\n'));
      expect(text).toContain('Cronoleg ddiogelu');
      expect(text).toContain('Gan: Aelod o staff');
    });

    it('answers dates the wrong way round with the error page (400), not a PDF', async () => {
      const response = await page.get(`/pupils/${pupil.id}/chronology/pdf?language=en&from=2026-03-10&to=2026-03-09`);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('text/html');
    });

    it('is not offered to staff, who cannot open the chronology at all', async () => {
      const teacher = await openPageSession(testApp, TEACHER);
      expect((await teacher.get(`/pupils/${pupil.id}/chronology`)).status).toBe(404);
      expect((await teacher.get(`/pupils/${pupil.id}/chronology/pdf`)).status).toBe(404);
    });
  });

  describe('where each record was made (issue 12, item 5)', () => {
    it('names the organisation on every chronology entry of the API', async () => {
      const chronology = await testApp.as(DSP).read<Chronology>(`/api/pupils/${pupil.id}/chronology`);
      expect(chronology.entries.length).toBeGreaterThan(0);
      for (const entry of chronology.entries) {
        expect(Object.keys(entry.organisation).sort()).toEqual(['id', 'name']);
        expect(entry.organisation.id).toBe(entry.organisationId);
        expect(entry.organisation.name).not.toBe('');
      }
      expect(chronology.entries.some((e) => e.organisation.name === 'Riverside Primary')).toBe(true);
    });

    it('names the organisation on a concern of the API', async () => {
      const concern = await testApp
        .as(DSP)
        .read<ConcernDetail & { organisationId: string; organisation: { id: string; name: string } }>(
          `/api/concerns/${bodyMapConcernId}`,
        );
      expect(concern.organisation).toEqual({ id: concern.organisationId, name: 'Riverside Primary' });
    });

    it('shows it on the chronology page, its print view and the concern page', async () => {
      const screen = (await page.get(`/pupils/${pupil.id}/chronology`)).text;
      const print = (await page.get(`/pupils/${pupil.id}/chronology?print=1`)).text;
      for (const html of [screen, print]) {
        const items = html.split('<li class="app-timeline__item').slice(1);
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(item).toMatch(/Riverside Primary|Hillcrest|Cardiff|PRU/);
      }
      const concern = (await page.get(`/concerns/${bodyMapConcernId}`)).text;
      expect(concern).toContain('Riverside Primary');
    });
  });
});
