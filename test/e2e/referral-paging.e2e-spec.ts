import { newId } from '../../src/common/ids';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationRepository } from '../../src/dsp/escalations/escalation.repository';
import { Escalation as EscalationAnswer, ErrorBody, InboxItem, Paged } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession, PageSession } from '../support/web-session';

const MASH = 'mash@cardiff.example';
const DSP = 'dsp@riverside.example';
const TEACHER = 'teacher@riverside.example';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** More referrals than any list used to hold (500). */
const BULK = 520;
/** Of them, these are still within their due time; the others are overdue. */
const NOT_YET_DUE = 10;

/**
 * A team with more referrals than a list once held (issue 9): every referral is on some page, and every
 * count on a page or a dashboard is a true count, checked against the records themselves.
 */
describe('Referrals at local-authority scale: paged, reachable and truly counted', () => {
  let testApp: TestApp;
  let mash: PageSession;
  let mashInWelsh: PageSession;
  let dsp: PageSession;
  let bulk: Escalation[] = [];

  /** Handlebars escapes `=` in attributes. */
  const href = (path: string) => `href="${path.replace(/=/g, '&#x3D;').replace(/&(?!#)/g, '&amp;')}"`;
  /** The records' own answer (escalations without an outcome), not the stored states the app reads. */
  const undecidedByRecords = async (where: string, parameters: unknown[] = []) => {
    const [row] = await testApp.dataSource.query<Array<{ n: string | number }>>(
      `SELECT COUNT(*) AS n FROM escalations e WHERE NOT EXISTS ` +
        `(SELECT 1 FROM escalation_outcomes o WHERE o.escalation_id = e.id) AND ${where}`,
      parameters,
    );
    return Number(row.n);
  };
  const param = (n: number) => (testApp.config.database.kind === 'postgres' ? `$${n}` : '?');

  beforeAll(async () => {
    testApp = await bootTestApp();
    const pupil = (await testApp.as(DSP).get<Paged<{ id: string }>>('/api/pupils')).body.items[0];
    const concern = await testApp.as(TEACHER).created('/api/concerns', {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - HOUR).toISOString(),
      category: 'neglect',
      summary: 'Came in hungry again.',
      evidenceBasis: 'observed',
    });
    const sent = await testApp.as(DSP).post<EscalationAnswer>(`/api/concerns/${concern.id}/escalations`, {
      route: 'mash',
      consent: { sought: true, given: true, givenBy: 'Mother' },
    });
    expect(sent.status).toBe(201);
    // Copies of that referral, sent over the last 60 days, appended as the app appends (states included).
    const model = await testApp.dataSource.getRepository(Escalation).findOneByOrFail({ id: sent.body.id });
    const start = Date.now() - 60 * DAY;
    bulk = Array.from({ length: BULK }, (_, n) => {
      const sentAt = new Date(start + n * HOUR);
      const dueBy = n >= BULK - NOT_YET_DUE ? new Date(Date.now() + DAY) : new Date(sentAt.getTime() + DAY);
      return { ...model, id: newId(), sentAt, dueBy };
    });
    const repository = testApp.app.get(EscalationRepository);
    for (let n = 0; n < bulk.length; n += 100)
      await testApp.dataSource.transaction((manager) =>
        repository.append(manager, { escalations: bulk.slice(n, n + 100) }),
      );
    mash = await openPageSession(testApp, MASH);
    mashInWelsh = await openPageSession(testApp, MASH, { language: 'cy' });
    dsp = await openPageSession(testApp, DSP);
  });

  afterAll(() => testApp.close());

  const mashTeam = async () => {
    const [row] = await testApp.dataSource.query<Array<{ local_authority_id: string }>>(
      `SELECT local_authority_id FROM escalations WHERE id = ${param(1)}`,
      [bulk[0].id],
    );
    return `e.route = 'mash' AND e.local_authority_id = '${row.local_authority_id}'`;
  };

  it('reaches the 501st referral still to decide on a later page, and counts every one', async () => {
    const unacknowledged = 'NOT EXISTS (SELECT 1 FROM escalation_acknowledgements a WHERE a.escalation_id = e.id)';
    const undecided = await undecidedByRecords(`${await mashTeam()} AND ${unacknowledged}`);
    expect(undecided).toBeGreaterThan(BULK);
    const seen: string[] = [];
    for (let page = 1; seen.length < undecided; page += 1) {
      const answer = await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations', {
        status: 'sent',
        page: String(page),
        pageSize: '200',
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ page, pageSize: 200, total: undecided });
      expect(answer.body.items.length).toBeGreaterThan(0);
      seen.push(...answer.body.items.map((item) => item.id));
    }
    expect(new Set(seen).size).toBe(undecided);
    // Oldest first (the bulk was sent in its order), so the bulk's 501st comes after 500 others.
    const bulkIds = new Set(bulk.map((e) => e.id));
    expect(seen.filter((id) => bulkIds.has(id))).toEqual(bulk.map((e) => e.id));
    const at = seen.indexOf(bulk[500].id);
    expect(at).toBeGreaterThanOrEqual(500);
    const page = Math.floor(at / 50) + 1;
    const onItsPage = await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations', {
      status: 'sent',
      page: String(page),
    });
    expect(onItsPage.body).toMatchObject({ page, pageSize: 50, total: undecided });
    expect(onItsPage.body.items.map((item) => item.id)).toContain(bulk[500].id);
    // The last page holds the rest, and the one after it is empty but still tells the truth.
    const all = await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations', { pageSize: '200' });
    const pages = Math.ceil(all.body.total / 200);
    const beyond = await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations', {
      pageSize: '200',
      page: String(pages + 1),
    });
    expect(beyond.body).toMatchObject({ items: [], total: all.body.total });
  });

  it('says how many are overdue by a true count on the inbox page and the dashboard', async () => {
    const team = await mashTeam();
    const now = new Date().toISOString();
    const overdue = await undecidedByRecords(`${team} AND e.due_by < ${param(1)}`, [now]);
    const undecided = await undecidedByRecords(team);
    expect(overdue).toBeGreaterThanOrEqual(BULK - NOT_YET_DUE);

    const inbox = await mash.get('/la/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain(`Overdue referrals: ${overdue}.`);
    const home = await mash.get('/');
    expect(home.text).toContain(`${undecided} referrals waiting for a decision`);
    expect(home.text).toContain(`${overdue} overdue`);
  });

  it('refuses a bad page or page size with 400 and the field, on the API and the page', async () => {
    const bad: Array<Record<string, string>> = [
      { page: '0' },
      { page: 'two' },
      { page: '1.5' },
      { pageSize: '0' },
      { pageSize: '201' },
    ];
    for (const query of bad) {
      const answer = await testApp.as(MASH).get<ErrorBody>('/api/la/escalations', query);
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.body.errors ?? {})).toEqual(Object.keys(query));
    }
    expect((await mash.get('/la/inbox?page=0')).status).toBe(400);
    expect((await mash.get('/la/inbox?page=x')).status).toBe(400);
  });

  it('draws the pager in Welsh, with the true total and a few page links, not one per page', async () => {
    const total = (await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations')).body.total;
    const pages = Math.ceil(total / 50);
    const response = await mashInWelsh.get('/la/inbox?page=2');
    expect(response.status).toBe(200);
    const html = response.text;
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Tudalennau atgyfeiriadau">');
    expect(html).toContain(`Atgyfeiriadau: ${total}`);
    expect(html).toContain(`Yn dangos 51 i 100 o ${total}`);
    expect(html).toContain('Blaenorol');
    expect(html).toContain('Nesaf');
    expect(html).toContain(href('/la/inbox?page=3'));
    expect(html).toContain(href(`/la/inbox?page=${pages}`));
    expect(html).toContain('govuk-pagination__item--ellipses');
    expect(html).not.toContain(href('/la/inbox?page=5'));
    expect(html).toContain('aria-current="page">2</a>');
  });

  it("pages the school's referrals waiting for an answer on the DSP's dashboard, with the true total", async () => {
    const sentFrom = `e.organisation_id = '${bulk[0].organisationId}'`;
    const waiting = await undecidedByRecords(sentFrom);
    expect(waiting).toBeGreaterThan(BULK);
    const first = await dsp.get('/');
    expect(first.status).toBe(200);
    expect(first.text).toMatch(new RegExp(`id="referrals-waiting">[^<]*<span class="app-count">${waiting}</span>`));
    expect(first.text).toContain(`Showing 1 to 10 of ${waiting}`);
    const second = await dsp.get('/?section=referrals&page=2');
    expect(second.status).toBe(200);
    expect(second.text).toContain(`Showing 11 to 20 of ${waiting}`);
    expect(second.text).toContain(href('/?section=referrals&page=3#referrals'));
  });

  it("pages the school's sent referrals on the API too: every one reachable, the total true", async () => {
    const waiting = await undecidedByRecords(`e.organisation_id = '${bulk[0].organisationId}'`);
    const pages = Math.ceil(waiting / 50);
    const last = await testApp.as(DSP).get<Paged<{ id: string; status: string }>>('/api/escalations', {
      undecided: 'true',
      page: String(pages),
    });
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ page: pages, pageSize: 50, total: waiting });
    expect(last.body.items).toHaveLength(waiting - (pages - 1) * 50);
    expect(last.body.items.every((item) => item.status !== 'decided')).toBe(true);
    const bad = await testApp.as(DSP).get<ErrorBody>('/api/escalations', { pageSize: '500', undecided: 'maybe' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['pageSize', 'undecided']);
    expect((await testApp.as(TEACHER).get('/api/escalations')).status).toBe(403);
  });
});
