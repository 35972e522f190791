import { generate } from 'otplib';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProductionApp, PROJECT_ROOT, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, queryPostgres, TestDatabase } from '../support/test-database';
import { csrfFieldOf, submissionKeyOf } from '../support/web-session';

/**
 * Issue 14, item 6: two BUILT app instances (two processes, production mode) on one PostgreSQL database,
 * behind no sticky sessions. One browser's requests alternate between them, as a round-robin proxy would
 * send them, with one cookie jar; the whole journey goes through the pages (forms with CSRF tokens) and
 * the JSON API: sign-in, a teacher's concern, the DSP's triage and referral to MASH, MASH's acknowledgement
 * and answer, the DSP reading it. Sessions, CSRF tokens, sign-in throttling, idempotency keys,
 * notifications and the audit chain must behave as they do with one instance.
 *
 * PostgreSQL only: several instances share one PostgreSQL database (docs/architecture.md, docs/operations.md);
 * a SQLite file belongs to one machine.
 */
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
if (!onPostgres)
  console.info('several-instances.e2e-spec: skipped, several instances run on PostgreSQL only (set DATABASE_URL).');

const PASSWORD = 'several instances, one database';
const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const MASH = 'mash@cardiff.example';

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  /** Which instance answered (0 or 1). */
  instance: number;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A browser behind a round-robin proxy: each request goes to the next instance in turn (unless a step
 * names one), every Set-Cookie lands in one jar, and redirects are not followed (the test reads them).
 * It sends X-Forwarded-For as the proxy would (the instances trust one proxy).
 */
class RoundRobinBrowser {
  private turn = 0;
  readonly jar = new Map<string, string>();

  constructor(
    private readonly bases: string[],
    readonly address: string,
  ) {}

  async request(
    method: string,
    path: string,
    options: { form?: Array<[string, string]>; json?: unknown; headers?: Record<string, string>; on?: number } = {},
  ): Promise<Answer> {
    const instance = options.on ?? this.turn++ % this.bases.length;
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...options.headers };
    if (this.jar.size) headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.bases[instance]}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some(
        (attribute) => /^max-age=0$/i.test(attribute) || (/^expires=/i.test(attribute) && /1970/.test(attribute)),
      );
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await response.text();
    return {
      status: response.status,
      text,
      headers: response.headers,
      instance,
      json: <T>() => JSON.parse(text) as T,
    };
  }

  get(path: string, on?: number) {
    return this.request('GET', path, { on });
  }

  /** Posts a page form with `_csrf` (taken from `csrfFrom`, a page already opened). */
  postForm(path: string, fields: Array<[string, string]>, csrf: string, on?: number) {
    return this.request('POST', path, { form: [['_csrf', csrf], ...fields], on });
  }

  /**
   * Opens `page` on one instance and posts its form to `action` on the other, with the tokens that page
   * carries (its CSRF token and the form's one-use submission key).
   */
  async submit(page: string, action: string, fields: Array<[string, string]>) {
    const opened = await this.get(page);
    expect(opened.status).toBe(200);
    const key = submissionKeyOf(opened.text, action);
    const posted = await this.postForm(
      action,
      key ? [...fields, ['submissionKey', key]] : fields,
      csrfFieldOf(opened.text),
      1 - opened.instance,
    );
    return { opened, posted };
  }

  /** A JSON API call with the session cookie, and so with the CSRF token in X-CSRF-Token (from any page). */
  async api(method: string, path: string, json?: unknown, headers: Record<string, string> = {}, on?: number) {
    if (method === 'GET') return this.request(method, path, { headers, on });
    const page = await this.get('/logout');
    return this.request(method, path, { json, headers: { 'x-csrf-token': csrfFieldOf(page.text), ...headers }, on });
  }

  /** Signs in through the form: the form is opened on one instance and posted to the other. */
  async signIn(email: string, password = PASSWORD) {
    const page = await this.get('/login');
    expect(page.status).toBe(200);
    const posted = await this.postForm(
      '/login',
      [
        ['email', email],
        ['password', password],
      ],
      csrfFieldOf(page.text),
      1 - page.instance,
    );
    return { page, posted };
  }
}

(onPostgres ? describe : describe.skip)('Two instances on one PostgreSQL database, no sticky sessions', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  const apps: ProductionApp[] = [];
  let bases: string[];
  const checkpointDir = join(tmpdir(), 'sg-tests');
  const checkpointFile = join(checkpointDir, `checkpoints-several-instances-${process.pid}-${Date.now()}.jsonl`);
  let addressCount = 0;
  /** A browser of its own network address, so one test's failed sign-ins never count against another's. */
  const newBrowser = () => new RoundRobinBrowser(bases, `198.51.100.${++addressCount}`);
  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []) =>
    queryPostgres<T>(database.url, sql, parameters);

  beforeAll(async () => {
    mkdirSync(checkpointDir, { recursive: true });
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    // The same configuration on both, as an operator would deploy them (docs/operations.md): the demo
    // data (seeded by whichever starts first on the empty database), two-factor off so that the demo
    // accounts need no authenticator, a proxy in front, one checkpoint file.
    const extraEnv = {
      SEED_DEMO: 'true',
      DEMO_PASSWORD: PASSWORD,
      REQUIRE_2FA: 'false',
      TRUST_PROXY: 'true',
      AUDIT_CHECKPOINT_FILE: checkpointFile,
    };
    // Started together, as a deployment starts them: both find an empty database, one migrates and seeds.
    const started = await Promise.allSettled(
      [0, 1].map(() =>
        startProductionApp({ databaseUrl: database.url, smtpUrl: inbox.url, readyWhen: /Serving on/, extraEnv }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    bases = apps.map((app) => app.base);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await inbox?.close();
    await database?.drop();
    rmSync(checkpointFile, { force: true });
  });

  it('serves the sign-in page and health on both instances', async () => {
    for (const base of bases) {
      expect((await fetch(`${base}/login`)).status).toBe(200);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    }
  });

  describe('sessions and CSRF tokens', () => {
    it('accepts a sign-in form opened on one instance and posted to the other, and the session holds on both', async () => {
      const browser = newBrowser();
      const { page, posted } = await browser.signIn(TEACHER);
      expect(page.instance).not.toBe(posted.instance);
      expect(posted.status).toBe(303);
      expect(browser.jar.has('sg_session')).toBe(true);
      for (const on of [0, 1]) {
        const me = await browser.request('GET', '/api/me', { on });
        expect(me.status).toBe(200);
        expect(me.json()).toMatchObject({ email: TEACHER });
        expect((await browser.get('/', on)).status).toBe(200);
      }
    });

    it('ends the session everywhere when it is signed out on one instance (pages and API)', async () => {
      const browser = newBrowser();
      await browser.signIn(TEACHER);
      const session = browser.jar.get('sg_session')!;
      const form = await browser.get('/logout', 1);
      const out = await browser.postForm('/logout', [], csrfFieldOf(form.text), 0);
      expect(out.status).toBe(303);
      expect(browser.jar.has('sg_session')).toBe(false);
      // A copy of the cookie, kept, is refused by the other instance.
      browser.jar.set('sg_session', session);
      expect((await browser.request('GET', '/api/me', { on: 1 })).status).toBe(401);
      expect((await browser.request('GET', '/api/me', { on: 0 })).status).toBe(401);

      // A script's bearer token: issued by one, valid on the other, and ended there by the first.
      const login = await fetch(`${bases[0]}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': browser.address },
        body: JSON.stringify({ email: TEACHER, password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = (on: number) => fetch(`${bases[on]}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect((await me(1)).status).toBe(200);
      const logout = await fetch(`${bases[0]}/api/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(logout.status).toBe(204);
      expect((await me(1)).status).toBe(401);
    });

    it("refuses a form whose CSRF token belongs to another browser's cookie, on either instance", async () => {
      const browser = newBrowser();
      await browser.signIn(TEACHER);
      const other = newBrowser();
      const page = await other.get('/login', 0);
      for (const on of [0, 1]) {
        const refused = await browser.postForm('/logout', [], csrfFieldOf(page.text), on);
        expect(refused.status).toBe(403);
      }
      expect((await browser.request('GET', '/api/me', { on: 1 })).status).toBe(200);
    });
  });

  describe('sign-in throttling counts attempts on both instances together', () => {
    it('refuses an account from one address after SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS (5) failures alternating between instances', async () => {
      const browser = newBrowser();
      const attempt = (password: string) =>
        browser.request('POST', '/api/auth/login', { json: { email: 'head@hillcrest.example', password } });
      const answers: Answer[] = [];
      for (let i = 1; i <= 5; i++) answers.push(await attempt(`wrong guess ${i}`));
      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(answers.map((answer) => answer.instance))).toEqual(new Set([0, 1]));
      // The sixth, on either instance and even with the right password, is refused: as with one instance.
      for (const on of [0, 1]) {
        const refused = await browser.request('POST', '/api/auth/login', {
          json: { email: 'head@hillcrest.example', password: PASSWORD },
          on,
        });
        expect(refused.status).toBe(429);
        expect(refused.json()).toMatchObject({ code: 'too_many_attempts', limit: 'account_address' });
      }
    });

    it('refuses a known device after SIGN_IN_MAX_FAILURES_PER_DEVICE (5) failures alternating between instances, through the form', async () => {
      const browser = newBrowser();
      expect((await browser.signIn('head@riverside.example')).posted.status).toBe(303);
      expect(browser.jar.has('sg_device')).toBe(true);
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        browser.jar.delete('sg_session');
        statuses.push((await browser.signIn('head@riverside.example', `not the password ${i}`)).posted.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      for (let i = 0; i < 2; i++) {
        const { posted } = await browser.signIn('head@riverside.example');
        expect(posted.status).toBe(429);
      }
      // Another address, a device not known to the account: not refused by this device's failures.
      expect((await newBrowser().signIn('head@riverside.example')).posted.status).toBe(303);
    });
  });

  it('completes a two-factor sign-in begun on one instance on the other, and refuses the same code again', async () => {
    const browser = newBrowser();
    expect((await browser.signIn('lead@cardiff.example')).posted.status).toBe(303);
    const setup = await browser.api('POST', '/api/auth/2fa/setup');
    expect(setup.status).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const enabled = await browser.api('POST', '/api/auth/2fa/enable', { code: await generate({ secret }) });
    expect(enabled.status).toBe(200);

    // Signed out in the browser (a script's sign-in, with the device cookie the form's sign-in left).
    browser.jar.delete('sg_session');
    const begin = (on: number) =>
      browser.request('POST', '/api/auth/login', { json: { email: 'lead@cardiff.example', password: PASSWORD }, on });
    const first = await begin(0);
    expect(first.json()).toMatchObject({ twoFactorRequired: true });
    // The next time step's code: the one used to enable two-factor (this step's) is spent.
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const completed = await browser.request('POST', '/api/auth/login/2fa', {
      json: { challengeToken: first.json<{ challengeToken: string }>().challengeToken, code },
      on: 1,
    });
    expect(completed.status).toBe(200);
    expect(completed.json()).toMatchObject({ accessToken: expect.any(String) });
    const second = await begin(1);
    const replayed = await browser.request('POST', '/api/auth/login/2fa', {
      json: { challengeToken: second.json<{ challengeToken: string }>().challengeToken, code },
      on: 0,
    });
    expect(replayed.status).toBe(401);
  });

  describe('the journey, every step alternating between instances', () => {
    const teacher = () => journey.teacher;
    const journey = {} as {
      teacher: RoundRobinBrowser;
      dsp: RoundRobinBrowser;
      mash: RoundRobinBrowser;
      pupilId: string;
      concernId: string;
      referralId: string;
    };
    const summary = `Two instances, one concern ${randomUUID()}`;

    beforeAll(async () => {
      journey.teacher = newBrowser();
      journey.dsp = newBrowser();
      journey.mash = newBrowser();
      for (const [browser, email] of [
        [journey.teacher, TEACHER],
        [journey.dsp, DSP],
        [journey.mash, MASH],
      ] as const)
        expect((await browser.signIn(email)).posted.status).toBe(303);
    });

    it('records a teacher’s concern through the form opened on one instance and posted to the other', async () => {
      const pupils = await teacher().api('GET', '/api/pupils');
      expect(pupils.status).toBe(200);
      const pupil = pupils.json<{ items: Array<{ id: string }> }>().items[0];
      journey.pupilId = pupil.id;
      const { posted } = await teacher().submit(`/concerns/new?pupilId=${pupil.id}`, '/concerns', [
        ['pupilId', pupil.id],
        ['occurredDate', '2026-01-15'],
        ['occurredTime', '10:30'],
        ['summary', summary],
        ['evidenceBasis', 'observed'],
        ['category', 'neglect'],
        ['action', 'record'],
      ]);
      expect(posted.status).toBe(303);
      const match = /^\/concerns\/([0-9a-f-]{36})\?done=recorded$/.exec(posted.headers.get('location') ?? '');
      expect(match).not.toBeNull();
      journey.concernId = match![1];
      const read = await teacher().get(`/concerns/${journey.concernId}`);
      expect(read.status).toBe(200);
      expect(read.text).toContain(summary);
    });

    it('records one concern for the same form sent on one instance and again on the other', async () => {
      const pupilId = journey.pupilId;
      const page = await teacher().get(`/concerns/new?pupilId=${pupilId}`, 0);
      const key = submissionKeyOf(page.text, '/concerns')!;
      const twice = `Sent twice, once to each instance ${randomUUID()}`;
      const fields: Array<[string, string]> = [
        ['pupilId', pupilId],
        ['occurredDate', '2026-01-15'],
        ['occurredTime', '11:00'],
        ['summary', twice],
        ['evidenceBasis', 'observed'],
        ['category', 'wellbeing'],
        ['action', 'record'],
        ['submissionKey', key],
      ];
      const first = await teacher().postForm('/concerns', fields, csrfFieldOf(page.text), 0);
      const second = await teacher().postForm('/concerns', fields, csrfFieldOf(page.text), 1);
      expect([first.status, second.status]).toEqual([303, 303]);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect(await query('SELECT id FROM concerns WHERE summary = $1', [twice])).toHaveLength(1);
    });

    it('replays an API creation whose Idempotency-Key was first used on the other instance', async () => {
      const body = {
        pupilId: journey.pupilId,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        category: 'wellbeing',
        summary: `Retried through the other instance ${randomUUID()}`,
        evidenceBasis: 'observed',
      };
      const key = randomUUID();
      const first = await teacher().api('POST', '/api/concerns', body, { 'idempotency-key': key }, 0);
      const second = await teacher().api('POST', '/api/concerns', body, { 'idempotency-key': key }, 1);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
      expect(await query('SELECT id FROM concerns WHERE summary = $1', [body.summary])).toHaveLength(1);
    });

    it("puts it in the DSP's queue (API) and the DSP triages it and refers it to MASH (pages)", async () => {
      const { dsp } = journey;
      const queue = await dsp.api('GET', '/api/concerns?status=awaiting_triage&pageSize=100');
      expect(queue.status).toBe(200);
      expect(queue.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toContain(journey.concernId);
      const page = `/concerns/${journey.concernId}`;
      const decided = await dsp.submit(page, `${page}/decision`, [
        ['reasonableCause', 'yes'],
        ['outcome', 'mash'],
        ['rationale', 'Repeated neglect: refer to MASH today.'],
      ]);
      expect(decided.posted.status).toBe(303);
      const referred = await dsp.submit(page, `${page}/escalations`, [
        ['route', 'mash'],
        ['reasonableCause', 'yes'],
        ['consentSought', 'yes'],
        ['consentGiven', 'yes'],
        ['consentGivenBy', 'Mother'],
        ['householdMembers[0][name]', 'A Parent'],
        ['householdMembers[0][relationship]', 'Mother'],
        ['phonedDate', '2026-01-15'],
        ['phonedTime', '12:00'],
      ]);
      expect(referred.posted.status).toBe(303);
      expect(referred.posted.headers.get('location')).toBe(`${page}?done=referred#referrals`);
      const concern = await dsp.api('GET', `/api/concerns/${journey.concernId}`);
      const escalations = concern.json<{ escalations: Array<{ id: string; route: string; status: string }> }>()
        .escalations;
      expect(escalations).toEqual([expect.objectContaining({ route: 'mash', status: 'sent' })]);
      journey.referralId = escalations[0].id;
    });

    it('MASH finds it in the inbox (page and API), acknowledges it (page) and answers it (API)', async () => {
      const { mash, referralId } = journey;
      const inboxPage = await mash.get('/la/inbox');
      expect(inboxPage.status).toBe(200);
      expect(inboxPage.text).toContain(`/la/escalations/${referralId}`);
      const listed = await mash.api('GET', '/api/la/escalations?status=sent');
      expect(listed.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toContain(referralId);

      const page = `/la/escalations/${referralId}`;
      const acknowledged = await mash.submit(page, `${page}/acknowledge`, []);
      expect(acknowledged.posted.status).toBe(303);

      const key = randomUUID();
      const body = { outcome: 'strategy_discussion', note: 'Strategy discussion arranged for tomorrow.' };
      const answered = await mash.api('POST', `/api/la/escalations/${referralId}/outcome`, body, {
        'idempotency-key': key,
      });
      expect(answered.status).toBe(201);
      expect(answered.json()).toMatchObject({ id: referralId, status: 'decided' });
      // Sent again (a retry through the other instance): the stored answer, not a second outcome.
      const again = await mash.api(
        'POST',
        `/api/la/escalations/${referralId}/outcome`,
        body,
        { 'idempotency-key': key },
        1 - answered.instance,
      );
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it('tells the DSP once of the acknowledgement and once of the answer, and the DSP reads it on either instance', async () => {
      const { dsp, referralId, concernId } = journey;
      const notifications = await dsp.api('GET', '/api/notifications?unread=true');
      expect(notifications.status).toBe(200);
      const answered = notifications
        .json<{ items: Array<{ kind: string; link: string; title: string }> }>()
        .items.filter((item) => item.kind === 'referral_answered' && item.link === `/concerns/${concernId}`);
      expect(answered.map((item) => item.title).sort()).toEqual([
        'Your referral to MASH has an outcome: Strategy discussion',
        'Your referral to MASH has been acknowledged',
      ]);
      const dspId = (await dsp.api('GET', '/api/me')).json<{ id: string }>().id;
      const rows = await query<{ event_key: string }>(
        `SELECT event_key FROM notifications WHERE user_id = $1 AND kind = 'referral_answered' AND event_key LIKE $2`,
        [dspId, `${referralId}:%`],
      );
      expect(rows.map((row) => row.event_key).sort()).toEqual([`${referralId}:acknowledged`, `${referralId}:outcome`]);
      for (const on of [0, 1]) {
        const page = await dsp.get(`/concerns/${concernId}`, on);
        expect(page.status).toBe(200);
        expect(page.text).toContain('Strategy discussion arranged for tomorrow.');
      }
    });
  });

  it('ends with one audit chain holding every entry from both instances, verified against their checkpoints', async () => {
    // Everything committed is chained (the chainers of both instances share one lock and one head).
    const pending = async () => Number((await query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_pending'))[0].n);
    while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const seqs = (await query<{ seq: number }>('SELECT seq FROM audit_entries ORDER BY seq')).map((row) => row.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const actions = (await query<{ action: string }>('SELECT DISTINCT action FROM audit_entries')).map(
      (row) => row.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'concern.recorded',
        'concern.decided',
        'escalation.sent',
        'escalation.acknowledged',
        'escalation.outcome_recorded',
      ]),
    );
    // Stopping writes each instance's final checkpoint of the head into the shared file.
    for (const app of apps) await app.stop();
    const checkpoints = readFileSync(checkpointFile, 'utf8').trim().split('\n');
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    const verified = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/src/audit/verify-audit-chain.cli.js')], {
      cwd: PROJECT_ROOT,
      env: apps[0].env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain(`Audit chain intact: ${seqs.length} entries verified with the key`);
  });
});
