import request from 'supertest';
import { Me, PupilSummary } from '../support/api';
import { ProductionApp, startProductionApp } from '../support/production-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { TestApp } from '../support/test-app';
import { signInThroughForm } from '../support/web-session';

const PASSWORD = 'logs-demo-password-7341';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TEACHER = 'teacher@riverside.example';

type LogLine = Record<string, unknown> & {
  reqId?: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
  msg?: string;
};

/**
 * Issue 14, logs: the BUILT app started as production starts it (NODE_ENV=production, the demo seeded
 * with its own password), its standard output read as the log shipper would. One JSON line per
 * request, with the id sent back as X-Request-Id and quoted on error pages; never a body, a password,
 * a cookie, a token or a pupil's name.
 */
describe('The request log (the built app in production mode)', () => {
  let database: TestDatabase;
  let app: ProductionApp;
  const http = () => request(app.base);

  /** Every line printed so far, each parsed as JSON (production prints nothing else). */
  const logLines = (): LogLine[] =>
    app
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  /** The request lines with this id, once the one for it has been written (polled, not timed). */
  async function linesFor(id: string): Promise<LogLine[]> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const lines = logLines().filter((line) => line.reqId === id && line.req);
      if (lines.length > 0) return lines;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`No log line for request ${id}:\n${app.output().slice(-4000)}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startProductionApp({
      databaseUrl: database.url,
      // Never reached: the outbox sweep is off and nothing here sends an email at once.
      smtpUrl: 'smtp://127.0.0.1:9',
      readyWhen: /Serving on http/,
      extraEnv: { SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD, REQUIRE_2FA: 'false', REMINDER_SWEEP_SECONDS: '0' },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('writes one JSON line per request with its id, status, user and role, and nothing it must not', async () => {
    const signIn = await http().post('/api/auth/login').send({ email: TEACHER, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const token = (signIn.body as { accessToken: string }).accessToken;
    const bearer = { Authorization: `Bearer ${token}` };

    const me = await http().get('/api/me').set(bearer);
    expect(me.status).toBe(200);
    const { id: userId, role } = me.body as Me;

    const pupils = await http().get('/api/pupils').set(bearer);
    const pupil = (pupils.body as { items: PupilSummary[] }).items[0];
    const fullName = `${pupil.firstName} ${pupil.lastName}`;
    // A search by name: the query string (a pupil's name) must not reach the log.
    const search = await http().get('/api/pupils').query({ q: fullName }).set(bearer);
    expect(search.status).toBe(200);

    const summary = 'Logs-e2e: said her uncle shouted at her all weekend';
    const childsWords = 'Logs-e2e: he locks me in the shed';
    const concern = await http()
      .post('/api/concerns')
      .set(bearer)
      .send({
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
        category: 'emotional',
        summary,
        childsWords,
        childsWordsLanguage: 'en',
        evidenceBasis: 'disclosed_by_child',
      });
    expect(concern.status).toBe(201);

    // The pages: a form sign-in (password in a form body, the session in a cookie).
    const pages = await signInThroughForm({ http } as unknown as TestApp, TEACHER, PASSWORD);
    expect(pages.cookies.sg_session).toBeDefined();
    const home = await http().get('/').set('Cookie', `sg_session=${pages.cookies.sg_session}`);
    expect(home.status).toBe(200);

    const answered = [signIn, me, pupils, search, concern, home];
    for (const response of answered) expect(response.headers['x-request-id']).toMatch(UUID);
    const ids = answered.map((response) => response.headers['x-request-id']);
    expect(new Set(ids).size).toBe(ids.length);

    for (const [index, id] of ids.entries()) {
      const lines = await linesFor(id);
      // One line for the request, and the same id as the header.
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        msg: 'request completed',
        reqId: id,
        req: { method: expect.any(String), path: expect.stringMatching(/^\//) },
        res: { statusCode: answered[index].status },
        responseTime: expect.any(Number),
      });
    }
    // Signed in by Bearer token or by session cookie: the line names the user and role.
    for (const id of [ids[1], ids[2], ids[3], ids[4], ids[5]])
      expect((await linesFor(id))[0]).toMatchObject({ userId, role });
    expect((await linesFor(ids[3]))[0].req).toEqual({ method: 'GET', path: '/api/pupils' });
    expect((await linesFor(ids[4]))[0].req).toEqual({ method: 'POST', path: '/api/concerns' });

    const output = app.output();
    // Every line of the production log is JSON (logLines throws otherwise).
    expect(logLines().length).toBeGreaterThan(ids.length);
    for (const secret of [
      summary,
      childsWords,
      'uncle shouted',
      PASSWORD,
      token,
      pages.cookies.sg_session,
      pages.cookies.sg_csrf,
      fullName,
      encodeURIComponent(fullName),
    ])
      expect(output).not.toContain(secret);
    expect(output).not.toMatch(/authorization|cookie|set-cookie/i);
  });

  it('replaces an unsafe incoming X-Request-Id and keeps a safe one', async () => {
    const unsafe = await http().get('/health').set('X-Request-Id', 'bad id"}{');
    const replaced = unsafe.headers['x-request-id'];
    expect(replaced).toMatch(UUID);
    expect((await linesFor(replaced))[0]).toMatchObject({ req: { method: 'GET', path: '/health' } });
    expect(app.output()).not.toContain('bad id');

    const safe = await http().get('/health').set('X-Request-Id', 'proxy-trace.42');
    expect(safe.headers['x-request-id']).toBe('proxy-trace.42');
    expect(await linesFor('proxy-trace.42')).toHaveLength(1);
  });

  it('shows the request id on error pages as the reference, in English and Welsh, and in error bodies', async () => {
    const english = await http().get('/no-such-page');
    expect(english.status).toBe(404);
    const englishId = english.headers['x-request-id'];
    expect(english.text).toContain(`Reference: ${englishId}`);
    expect((await linesFor(englishId))[0]).toMatchObject({ res: { statusCode: 404 } });

    const welsh = await http().get('/no-such-page?lang=cy');
    expect(welsh.status).toBe(404);
    expect(welsh.text).toContain(`Cyfeirnod: ${welsh.headers['x-request-id']}`);

    const api = await http().get('/api/me');
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ statusCode: 401, requestId: api.headers['x-request-id'] });
  });

  it('masks an emailed link’s token in the logged path', async () => {
    const token = 'kq3F0x_vYb6W1m2Zr8pQe4Ls9Tn7Ud5Hc0Aj3Gi2Ow-';
    const reset = await http().get(`/reset/${token}`);
    const line = (await linesFor(reset.headers['x-request-id']))[0];
    expect(line.req).toEqual({ method: 'GET', path: '/reset/:redacted' });
    expect(app.output()).not.toContain(token);
  });
});
