import { AuditItem, ChronologyEntry, ErrorBody, Paged, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession, PageSession } from '../support/web-session';
import { auditCaughtUp } from '../support/audit-chain';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const OTHER_HEAD = 'head@hillcrest.example';
const HILLCREST_DSP = 'dsp@hillcrest.example';
const BRIDGE_DSP = 'dsp@bridge.example';
const MASH = 'mash@cardiff.example';
const LEAD = 'lead@cardiff.example';

/** Today's date on the London wall clock, `YYYY-MM-DD`. */
const londonToday = (offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offsetDays * 864e5));

describe('The audit log: names, filters and pages', () => {
  let testApp: TestApp;
  let lily: PupilSummary;
  let kai: PupilSummary;
  let dspId: string;
  let lilyConcernId: string;
  const browsers: Record<string, PageSession> = {};

  const audit = (email: string, query: Record<string, string>) =>
    testApp.as(email).get<Paged<AuditItem>>('/api/audit', query);
  const auditRows = async () => {
    await auditCaughtUp(testApp);
    return Number(
      (await testApp.dataSource.query<Array<{ n: string | number }>>('SELECT COUNT(*) AS n FROM audit_entries'))[0].n,
    );
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    lily = await testApp.as(DSP).pupilNamed('Lily', 'Evans');
    kai = await testApp.as(HILLCREST_DSP).pupilNamed('Kai', 'Morgan');
    dspId = (await testApp.as(DSP).me()).id;
    for (const email of [DSP, HEAD, TEACHER, MASH]) browsers[email] = await openPageSession(testApp, email);
    browsers[HILLCREST_DSP] = await openPageSession(testApp, HILLCREST_DSP);

    lilyConcernId = (
      await testApp.as(TEACHER).created('/api/concerns', {
        pupilId: lily.id,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'emotional',
        issues: [],
        indicators: [],
        summary: 'Quiet and tearful all morning.',
        evidenceBasis: 'observed',
      })
    ).id;
    expect((await testApp.as(DSP).get(`/api/pupils/${lily.id}/chronology`)).status).toBe(200);
    expect((await testApp.as(DSP).get(`/api/concerns/${lilyConcernId}`)).status).toBe(200);
    expect((await testApp.as(DSP).get(`/api/pupils/${lily.id}`)).status).toBe(200);
  });

  afterAll(() => testApp.close());

  describe('what is recorded', () => {
    it.each([DSP, HEAD, TEACHER, MASH])('writes no audit row when %s opens the dashboard', async (email) => {
      const before = await auditRows();
      const home = await browsers[email].get('/');
      expect(home.status).toBe(200);
      expect(await auditRows()).toBe(before);
    });

    it("writes no row for a school's own roll list, but does for an LA team's list of referred pupils", async () => {
      // Signed in first: a sign-in is itself an audit entry (issue 10), and not what this counts.
      await testApp.tokenFor(DSP);
      await testApp.tokenFor(MASH);
      const before = await auditRows();
      expect((await browsers[DSP].get('/pupils')).status).toBe(200);
      expect((await testApp.as(DSP).get('/api/pupils')).status).toBe(200);
      expect(await auditRows()).toBe(before);
      expect((await testApp.as(MASH).get('/api/pupils')).status).toBe(200);
      expect(await auditRows()).toBe(before + 1);
    });
  });

  describe('GET /api/audit', () => {
    it('names the pupil each entry is about, its record or a concern about them', async () => {
      const response = await audit(HEAD, { pupilId: lily.id });
      expect(response.status).toBe(200);
      const items = response.body.items;
      expect(items.length).toBeGreaterThanOrEqual(4);
      expect(items.every((item) => item.pupil?.id === lily.id && item.pupil.name === 'Lily Evans')).toBe(true);
      expect(items.map((item) => item.action)).toEqual(
        expect.arrayContaining(['chronology.viewed', 'concern.viewed', 'concern.recorded', 'pupil.viewed']),
      );
      expect(items.find((item) => item.action === 'chronology.viewed')).toMatchObject({
        actor: { id: dspId, name: 'Siân Morgan', role: 'dsp' },
        organisation: { name: 'Riverside Primary' },
      });
    });

    it('filters by person and action, and pages with the true total', async () => {
      for (const pupil of await testApp.as(DSP).pupils()) {
        expect((await testApp.as(DSP).get(`/api/pupils/${pupil.id}`)).status).toBe(200);
      }
      const filter = { actorId: dspId, action: 'pupil.viewed' };
      await auditCaughtUp(testApp);
      const [{ n }] = await testApp.dataSource.query<Array<{ n: string | number }>>(
        `SELECT COUNT(*) AS n FROM audit_entries WHERE actor_user_id = '${dspId}' AND action = 'pupil.viewed'`,
      );
      const expected = Number(n);
      expect(expected).toBeGreaterThan(3);

      const first = await audit(HEAD, { ...filter, pageSize: '2' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: expected });
      expect(first.body.items).toHaveLength(2);

      const seen: string[] = [];
      for (let page = 1; page <= Math.ceil(expected / 2); page += 1) {
        const answer = await audit(HEAD, { ...filter, pageSize: '2', page: String(page) });
        expect(answer.body.total).toBe(expected);
        for (const item of answer.body.items) {
          expect(item).toMatchObject({ action: 'pupil.viewed', actor: { id: dspId } });
          seen.push(`${item.at}:${item.subjectId}`);
        }
      }
      expect(seen).toHaveLength(expected);
      const beyond = await audit(HEAD, { ...filter, pageSize: '2', page: String(Math.ceil(expected / 2) + 1) });
      expect(beyond.body).toMatchObject({ items: [], total: expected });
    });

    it('filters by day on the London calendar', async () => {
      const today = await audit(HEAD, { pupilId: lily.id, from: londonToday(), to: londonToday() });
      expect(today.body.items.map((item) => item.action)).toContain('chronology.viewed');
      const tomorrow = await audit(HEAD, { pupilId: lily.id, from: londonToday(1) });
      expect(tomorrow.body).toMatchObject({ items: [], total: 0 });
    });

    it('answers 400 naming the field for a day that does not exist, an end before the start or an unknown action', async () => {
      const wrong = await testApp
        .as(HEAD)
        .get<ErrorBody>('/api/audit', { from: '2026-02-30', action: 'pupil.deleted' });
      expect(wrong.status).toBe(400);
      expect(Object.keys(wrong.body.errors ?? {})).toEqual(expect.arrayContaining(['from', 'action']));
      const backwards = await testApp.as(HEAD).get<ErrorBody>('/api/audit', { from: '2026-03-02', to: '2026-03-01' });
      expect(backwards.status).toBe(400);
      expect(Object.keys(backwards.body.errors ?? {})).toEqual(['to']);
      expect((await audit(HEAD, { pageSize: '201' })).status).toBe(400);
    });

    it("answers 404 to another school's head teacher asking about the pupil", async () => {
      expect((await audit(OTHER_HEAD, { pupilId: lily.id })).status).toBe(404);
    });

    it('shows the LA lead the local authority’s own teams’ entries, never a school’s, and no pupil’s name', async () => {
      expect((await testApp.as(MASH).get('/api/pupils')).status).toBe(200);
      const all = await audit(LEAD, { pageSize: '200' });
      expect(all.status).toBe(200);
      expect(all.body.items.map((item) => item.action)).toContain('pupil_list.viewed');
      expect(
        all.body.items.filter((item) => !['la_mash', 'la_early_help', 'la_lead'].includes(item.actor.role ?? '')),
      ).toEqual([]);
      expect(all.body.items.every((item) => !item.pupil || item.pupil.name === null)).toBe(true);
      // Which children Riverside's DSP opened is Riverside's business: the lead sees none of it.
      expect((await audit(LEAD, { actorId: dspId })).body).toMatchObject({ items: [], total: 0 });
      expect((await audit(LEAD, { pupilId: lily.id })).body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('the /audit page', () => {
    it('says who opened which pupil’s record in words, with a true count', async () => {
      const page = await browsers[HEAD].get(`/audit?pupilId=${lily.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Showing entries about Lily Evans.');
      expect(page.text).toContain('Siân Morgan (Designated safeguarding person), Riverside Primary');
      expect(page.text).toContain('Opened the chronology');
      expect(page.text).toContain('Recorded a concern');
      expect(page.text).toMatch(/<td[^>]*>Concern<\/td>/);
      expect(page.text).not.toMatch(/<td[^>]*>(pupil|pupil_list|concern)<\/td>/);
      const total = (await audit(HEAD, { pupilId: lily.id })).body.total;
      expect(page.text).toContain(`Showing 1 to ${Math.min(total, 50)} of ${total} entries`);
    });

    it('filters by a typed name, and by the person chosen from the list', async () => {
      const page = await browsers[HEAD].get(`/audit?pupil=Lily&actorId=${dspId}&action=chronology-viewed`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<option value="${dspId}" selected>Siân Morgan</option>`);
      expect(page.text).toMatch(/<td[^>]*>Opened the chronology<\/td>/);
      expect(page.text).not.toMatch(/<td[^>]*>Opened a concern<\/td>/);
      const nobody = await browsers[HEAD].get('/audit?pupil=Nobody+Called+This');
      expect(nobody.text).toContain('No pupil on your roll matches that name or UPN.');
    });

    it('pages with links that keep the filters', async () => {
      const page = await browsers[HEAD].get(`/audit?actorId=${dspId}&pageSize=5`);
      expect(page.text).toMatch(/Page 1 of \d+/);
      const unescaped = page.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
      expect(unescaped).toContain(`href="/audit?actorId=${dspId}&pageSize=5&page=2"`);
      const second = await browsers[HEAD].get(`/audit?actorId=${dspId}&pageSize=5&page=2`);
      expect(second.text).toContain('Showing 6 to 10 of');
    });

    it('shows a day that does not exist as an error on the form (400)', async () => {
      const page = await browsers[HEAD].get('/audit?from=2026-02-30');
      expect(page.status).toBe(400);
      expect(page.text).toContain('Enter the first day as a real date');
      expect(page.text).toContain('value="2026-02-30"');
    });

    it('reads in Welsh for a Welsh reader, organisation names included', async () => {
      const page = await browsers[HEAD].get(`/audit?pupilId=${lily.id}&lang=cy`);
      expect(page.text).toContain('Agorodd y gronoleg');
      expect(page.text).toContain('Siân Morgan (Person diogelu dynodedig), Ysgol Gynradd Glan yr Afon');
      expect(page.text).toMatch(/<td[^>]*>Pryder<\/td>/);
      expect(page.text).toContain('Pennaeth, Ysgol Gynradd Glan yr Afon');
    });
  });

  describe('where a record was made', () => {
    let kaiConcernId: string;

    beforeAll(async () => {
      kaiConcernId = (
        await testApp.as(BRIDGE_DSP).created('/api/concerns', {
          pupilId: kai.id,
          occurredAt: new Date(Date.now() - 7200_000).toISOString(),
          category: 'wellbeing',
          issues: [],
          indicators: [],
          summary: 'Left the unit at lunchtime without saying where.',
          evidenceBasis: 'observed',
        })
      ).id;
    });

    it("puts the organisation on every chronology entry, so Hillcrest sees the PRU's concern was made at Bridge", async () => {
      const chronology = await testApp
        .as(HILLCREST_DSP)
        .read<{ entries: ChronologyEntry[] }>(`/api/pupils/${kai.id}/chronology`);
      expect(chronology.entries.every((entry) => entry.organisation?.id === entry.organisationId)).toBe(true);
      expect(chronology.entries.find((entry) => entry.concernId === kaiConcernId)).toMatchObject({
        actor: { name: 'Dylan Roberts' },
        organisation: { name: 'Bridge PRU' },
      });
      const page = await browsers[HILLCREST_DSP].get(`/pupils/${kai.id}/chronology`);
      expect(page.text).toContain('Recorded by Dylan Roberts (Designated safeguarding person) at Bridge PRU');
    });

    it('says where on the concern page, with the Welsh name for a Welsh reader', async () => {
      const english = await browsers[HILLCREST_DSP].get(`/concerns/${kaiConcernId}`);
      expect(english.text).toMatch(/Recorded by Dylan Roberts \(Designated safeguarding person\) at Bridge PRU on /);
      const welsh = await browsers[HILLCREST_DSP].get(`/concerns/${kaiConcernId}?lang=cy`);
      expect(welsh.text).toMatch(/Cofnodwyd gan Dylan Roberts \(Person diogelu dynodedig\), UCD y Bont, ar /);
      const chronology = await browsers[HILLCREST_DSP].get(`/pupils/${kai.id}/chronology?lang=cy`);
      expect(chronology.text).toContain('Cofnodwyd gan Dylan Roberts (Person diogelu dynodedig), UCD y Bont');
      expect(chronology.text).toContain('Person diogelu dynodedig, Ysgol Uwchradd Bryn Celyn');
    });

    it("names the pupil's schools on the pupil page, in Welsh for a Welsh reader", async () => {
      const english = await browsers[HILLCREST_DSP].get(`/pupils/${kai.id}`);
      expect(english.text).toContain('<strong>Hillcrest High</strong>');
      expect(english.text).toContain('<strong>Bridge PRU</strong>');
      const welsh = await browsers[HILLCREST_DSP].get(`/pupils/${kai.id}?lang=cy`);
      expect(welsh.text).toContain('<strong>Ysgol Uwchradd Bryn Celyn</strong>');
      expect(welsh.text).toContain('<strong>UCD y Bont</strong>');
    });
  });
});
