import { randomUUID } from 'node:crypto';
import { ConcernDetail, Paged, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { csrfFieldOf, openPageSession } from '../support/web-session';

interface NotificationBody {
  id: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
  link: string;
  title: string;
  urgent: boolean;
}

const BRIDGE_DSP = 'dsp@bridge.example';
const HILLCREST_DSP = 'dsp@hillcrest.example';

/**
 * The demo's Kai Morgan is on Hillcrest High's roll and dual-registered at Bridge PRU. A concern the PRU
 * records tells Hillcrest's DSP in the app (the API, the header's count in English and Welsh, the
 * `/notifications` page), who marks it read; nobody else can. A Riverside concern about a Riverside
 * pupil tells Riverside's DSPs only.
 */
describe('Notifications of a new concern', () => {
  let testApp: TestApp;
  let kai: PupilSummary;

  const recordAbout = (email: string, pupilId: string, overrides: object = {}) =>
    testApp.as(email).created<ConcernDetail>('/api/concerns', {
      pupilId,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      category: 'neglect',
      summary: `No food at home again ${randomUUID()}`,
      evidenceBasis: 'observed',
      ...overrides,
    });
  const notificationsOf = (email: string, query: Record<string, string> = {}) =>
    testApp.as(email).read<Paged<NotificationBody>>('/api/notifications', query);
  const aboutConcern = async (email: string, concernId: string) =>
    (await notificationsOf(email, { pageSize: '200' })).items.filter((n) => n.link === `/concerns/${concernId}`);

  beforeAll(async () => {
    testApp = await bootTestApp();
    kai = await testApp.as(HILLCREST_DSP).pupilNamed('Kai', 'Morgan');
  });

  afterAll(() => testApp.close());

  it("tells Hillcrest's DSP of Bridge PRU's concern about Kai, and no one else at either", async () => {
    const concern = await recordAbout(BRIDGE_DSP, kai.id);
    const [told] = await aboutConcern(HILLCREST_DSP, concern.id);
    expect(told).toEqual({
      id: expect.any(String),
      kind: 'concern_recorded',
      createdAt: expect.any(String),
      readAt: null,
      link: `/concerns/${concern.id}`,
      title: 'New concern recorded at Bridge PRU',
      urgent: false,
    });
    for (const other of [BRIDGE_DSP, 'head@hillcrest.example', 'teacher@hillcrest.example', 'dsp@riverside.example'])
      expect(await aboutConcern(other, concern.id)).toEqual([]);
    // The link is the concern, which Hillcrest's DSP may read.
    expect((await testApp.as(HILLCREST_DSP).get(told.link.replace('/concerns', '/api/concerns'))).status).toBe(200);
  });

  it('marks an emergency urgent and tells the PRU of a concern Hillcrest records during the placement', async () => {
    const concern = await recordAbout('teacher@hillcrest.example', kai.id, { indicators: ['suicidal_intent'] });
    const [pru] = await aboutConcern(BRIDGE_DSP, concern.id);
    expect(pru).toMatchObject({ title: 'New concern recorded at Hillcrest High', urgent: true });
    expect(await aboutConcern(HILLCREST_DSP, concern.id)).toHaveLength(1);
  });

  it('shows the unread count in the page header, in English and in Welsh, and the list in Welsh', async () => {
    const concern = await recordAbout(BRIDGE_DSP, kai.id);
    const unread = (await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total;
    expect(unread).toBeGreaterThan(0);

    const english = await openPageSession(testApp, HILLCREST_DSP, { language: 'en' });
    expect((await english.get('/')).text).toContain(`Notifications (${unread} unread)`);

    const welsh = await openPageSession(testApp, HILLCREST_DSP, { language: 'cy' });
    expect((await welsh.get('/pupils')).text).toContain(`Hysbysiadau (${unread} heb eu darllen)`);
    const list = await welsh.get('/notifications');
    expect(list.status).toBe(200);
    const [told] = await aboutConcern(HILLCREST_DSP, concern.id);
    expect(list.text).toContain(`href="/notifications/${told.id}/open"`);
    expect(list.text).toContain('UCD y Bont');
    expect(list.text).toContain('Heb ei ddarllen');
    // Signing in on a Welsh page saved Welsh as the account's language: the API now answers in it too.
    expect(told.title).toBe("Pryder newydd wedi'i gofnodi yn UCD y Bont");

    // Opening it from the list goes to the concern and marks it read; someone else cannot open it.
    expect((await testApp.as(BRIDGE_DSP).get(`/notifications/${told.id}/open`)).status).toBe(404);
    const opened = await welsh.get(`/notifications/${told.id}/open`);
    expect([opened.status, opened.headers.location]).toEqual([303, `/concerns/${concern.id}`]);
    expect((await aboutConcern(HILLCREST_DSP, concern.id))[0].readAt).not.toBeNull();
    expect((await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total).toBe(unread - 1);
  });

  it('marks one read (again: still 204), and answers 404 to anyone else and 400 to a malformed id', async () => {
    const concern = await recordAbout(BRIDGE_DSP, kai.id);
    const [told] = await aboutConcern(HILLCREST_DSP, concern.id);
    const before = (await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total;

    expect((await testApp.as('dsp@riverside.example').post(`/api/notifications/${told.id}/read`)).status).toBe(404);
    expect((await testApp.as(BRIDGE_DSP).post(`/api/notifications/${told.id}/read`)).status).toBe(404);
    expect((await testApp.as(HILLCREST_DSP).post(`/api/notifications/${randomUUID()}/read`)).status).toBe(404);
    expect((await testApp.as(HILLCREST_DSP).post('/api/notifications/not-an-id/read')).status).toBe(400);
    expect((await aboutConcern(HILLCREST_DSP, concern.id))[0].readAt).toBeNull();

    expect((await testApp.as(HILLCREST_DSP).post(`/api/notifications/${told.id}/read`)).status).toBe(204);
    const [read] = await aboutConcern(HILLCREST_DSP, concern.id);
    expect(read.readAt).toEqual(expect.any(String));
    expect((await testApp.as(HILLCREST_DSP).post(`/api/notifications/${told.id}/read`)).status).toBe(204);
    expect((await aboutConcern(HILLCREST_DSP, concern.id))[0].readAt).toBe(read.readAt);
    const unread = await notificationsOf(HILLCREST_DSP, { unread: 'true' });
    expect(unread.total).toBe(before - 1);
    expect(unread.items.some((n) => n.id === told.id)).toBe(false);
  });

  it('pages with the true total, newest first, every one reachable', async () => {
    for (let n = 0; n < 3; n += 1) await recordAbout(BRIDGE_DSP, kai.id);
    const all = await notificationsOf(HILLCREST_DSP, { pageSize: '200' });
    expect(all.total).toBeGreaterThanOrEqual(5);
    const paged: NotificationBody[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 2); page += 1) {
      const answer = await notificationsOf(HILLCREST_DSP, { page: String(page), pageSize: '2' });
      expect(answer).toMatchObject({ page, pageSize: 2, total: all.total });
      paged.push(...answer.items);
    }
    expect(paged.map((n) => n.id)).toEqual(all.items.map((n) => n.id));
    const times = paged.map((n) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const past = await notificationsOf(HILLCREST_DSP, { page: '1000', pageSize: '2' });
    expect([past.items.length, past.total]).toEqual([0, all.total]);
    const malformed: Array<Record<string, string>> = [{ pageSize: '201' }, { page: '0' }, { unread: 'yes' }];
    for (const query of malformed)
      expect((await testApp.as(HILLCREST_DSP).get('/api/notifications', query)).status).toBe(400);
  });

  it('marks read from the page, one and then all, with the CSRF token, working without a script', async () => {
    await recordAbout(BRIDGE_DSP, kai.id);
    await recordAbout(BRIDGE_DSP, kai.id);
    const browser = await openPageSession(testApp, HILLCREST_DSP, { language: 'en' });
    const page = await browser.get('/notifications?unread=true');
    const first = /action="\/notifications\/([0-9a-f-]{36})\/read"/.exec(page.text)![1];
    const before = (await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total;

    const withoutToken = await browser.post(`/notifications/${first}/read`, {}, 'not-the-token');
    expect(withoutToken.status).toBe(403);
    const marked = await browser.post(`/notifications/${first}/read`, { unread: 'true' }, csrfFieldOf(page.text));
    expect([marked.status, marked.headers.location]).toEqual([303, '/notifications?unread=true']);
    expect((await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total).toBe(before - 1);

    const all = await browser.post('/notifications/read-all', {}, csrfFieldOf(page.text));
    expect([all.status, all.headers.location]).toEqual([303, '/notifications']);
    expect((await notificationsOf(HILLCREST_DSP, { unread: 'true' })).total).toBe(0);
    const after = await browser.get('/notifications');
    expect(after.text).toContain('>Notifications</a>');
    expect(after.text).not.toMatch(/Notifications \(\d+ unread\)/);

    const someoneElse = await openPageSession(testApp, 'dsp@riverside.example');
    const theirs = await someoneElse.get('/notifications');
    expect((await someoneElse.post(`/notifications/${first}/read`, {}, csrfFieldOf(theirs.text))).status).toBe(404);
  });

  it('tells Riverside’s DSP only of a concern recorded at Riverside about a Riverside pupil', async () => {
    const pupil = (await testApp.as('dsp@riverside.example').pupils())[0];
    expect(pupil.enrolments.map((e) => e.type)).toEqual(['main']);
    const concern = await recordAbout('teacher@riverside.example', pupil.id);
    expect(await aboutConcern('dsp@riverside.example', concern.id)).toEqual([
      expect.objectContaining({ title: 'New concern recorded at Riverside Primary' }),
    ]);
    for (const other of [HILLCREST_DSP, BRIDGE_DSP, 'head@riverside.example', 'teacher@riverside.example'])
      expect(await aboutConcern(other, concern.id)).toEqual([]);
    await testApp.as('dsp@riverside.example').post('/api/notifications/read-all');
    expect((await notificationsOf('dsp@riverside.example', { unread: 'true' })).total).toBe(0);
  });
});
