import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProductionApp, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, queryPostgres, TestDatabase } from '../support/test-database';

/**
 * Issue 9, "What next" 4: the BUILT app with WEB_WORKERS=2 (docs/operations.md, Several worker
 * processes): one primary process that migrates and supervises, two workers sharing the port. Which
 * worker answered is read from the app's own log (each line carries the worker's pid and id), never
 * from a response. Every request below opens its own connection, so node:cluster hands them out in
 * turn; a keep-alive connection would stay with one worker.
 *
 * PostgreSQL only: WEB_WORKERS > 1 is refused on SQLite (config/app-config.ts, WEB_WORKERS_NEED_POSTGRES).
 */
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
if (!onPostgres)
  console.info('web-workers.e2e-spec: skipped, several worker processes run on PostgreSQL only (set DATABASE_URL).');

const PASSWORD = 'two workers, one port';
const DSP = 'dsp@riverside.example';
/** One of the ports this suite may use (a fixed one: the cluster's primary listens for its workers). */
const PORT = 4332;
/** Generous: the suite runs on a busy two-core machine. */
const PATIENCE_MS = 120_000;

interface LogLine {
  pid: number;
  worker?: number;
  context?: string;
  msg: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
}

interface Answer {
  status: number;
  json<T = Record<string, unknown>>(): T;
}

/** One request on a connection of its own (agent: false), so each may go to another worker. */
function send(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Answer> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (body) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: PORT, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: <T>() => JSON.parse(text) as T }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

(onPostgres ? describe : describe.skip)('WEB_WORKERS=2: two worker processes on one port', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  let app: ProductionApp;
  let token: string;
  const checkpointDir = join(tmpdir(), 'sg-tests');
  const checkpointFile = join(checkpointDir, `checkpoints-web-workers-${process.pid}-${Date.now()}.jsonl`);

  /** The app's JSON log lines so far (the workers' and the primary's). */
  const logLines = (): LogLine[] =>
    app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      // Some lines (the audit checkpoints) carry no message.
      .map((line) => ({ msg: '', ...(JSON.parse(line) as Partial<LogLine>) }) as LogLine);
  /** The workers serving, by pid, from their "Serving on" lines. */
  const serving = () =>
    new Map(logLines().flatMap((line) => (line.msg.startsWith('Serving on') ? [[line.pid, line.worker]] : [])));
  /** The pids whose request lines show `method path` answered. */
  const answeredBy = (method: string, path: string) =>
    new Set(
      logLines()
        .filter((line) => line.msg === 'request completed' && line.req?.method === method && line.req.path === path)
        .map((line) => line.pid),
    );
  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []) =>
    queryPostgres<T>(database.url, sql, parameters);

  beforeAll(async () => {
    mkdirSync(checkpointDir, { recursive: true });
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    app = await startProductionApp({
      databaseUrl: database.url,
      smtpUrl: inbox.url,
      port: PORT,
      // Both workers have started: two "Serving on" lines.
      readyWhen: /Serving on[\s\S]*Serving on/,
      extraEnv: {
        WEB_WORKERS: '2',
        SEED_DEMO: 'true',
        DEMO_PASSWORD: PASSWORD,
        REQUIRE_2FA: 'false',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        AUDIT_CHECKPOINT_FILE: checkpointFile,
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await inbox?.close();
    await database?.drop();
    rmSync(checkpointFile, { force: true });
  });

  it('migrates once in the primary, then starts two workers, each naming itself in its log lines', () => {
    const lines = logLines();
    const primary = lines.filter((line) => line.pid === app.pid);
    expect(primary.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Applied \d+ migrations$/), 'Started 2 workers on port 4332']),
    );
    const workers = serving();
    expect(workers.size).toBe(2);
    expect([...workers.values()].sort()).toEqual([1, 2]);
    expect(workers.has(app.pid)).toBe(false);
    // Every line a worker writes says which worker it is; no worker applied a migration.
    for (const line of lines.filter((line) => workers.has(line.pid))) expect(line.worker).toBe(workers.get(line.pid));
    expect(lines.filter((line) => /^Applied \d+ migrations/.test(line.msg))).toHaveLength(1);
  });

  it('signs in on one worker, records a concern and reads it back audited, each request served by either', async () => {
    const login = await send('POST', '/api/auth/login', { json: { email: DSP, password: PASSWORD } });
    expect(login.status).toBe(200);
    token = login.json<{ accessToken: string }>().accessToken;
    const pupils = await send('GET', '/api/pupils', { token });
    expect(pupils.status).toBe(200);
    const pupilId = pupils.json<{ items: Array<{ id: string }> }>().items[0].id;
    const summary = `Recorded through one of two workers ${randomUUID()}`;
    const created = await send('POST', '/api/concerns', {
      token,
      json: {
        pupilId,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        category: 'wellbeing',
        summary,
        evidenceBasis: 'observed',
      },
    });
    expect(created.status).toBe(201);
    const concernId = created.json<{ id: string }>().id;

    // Read it until both workers have answered a read (each read on a new connection, handed out in turn).
    const path = `/api/concerns/${concernId}`;
    const workers = [...serving().keys()];
    let reads = 0;
    await eventually('both workers to answer a read', async () => {
      const read = await send('GET', path, { token });
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({ id: concernId, summary });
      reads++;
      const by = answeredBy('GET', path);
      return workers.every((pid) => by.has(pid)) ? true : undefined;
    });
    expect(reads).toBeGreaterThanOrEqual(2);
    // Each read's audit entry, whichever worker wrote it, in the one chain.
    await eventually('the chainer to chain what is pending', async () =>
      Number((await query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_pending'))[0].n) === 0 ? true : undefined,
    );
    const viewed = await query(`SELECT seq FROM audit_entries WHERE action = 'concern.viewed' AND subject_id = $1`, [
      concernId,
    ]);
    expect(viewed).toHaveLength(reads);
    const seqs = (await query<{ seq: number }>('SELECT seq FROM audit_entries ORDER BY seq')).map((row) => row.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });

  it('starts another worker in place of one that is killed, and the app answers on the new one', async () => {
    const [killed, survivor] = [...serving().keys()];
    process.kill(killed, 'SIGKILL');
    const replacement = await eventually('a replacement worker', () =>
      [...serving().keys()].find((pid) => pid !== killed && pid !== survivor),
    );
    expect(serving().get(replacement)).toBe(3);
    expect(logLines().map((line) => line.msg)).toContain(
      `Worker ${serving().get(killed)} exited on SIGKILL; another starts in its place in 1 s`,
    );
    // The session signed by the killed worker holds on the others (they share the primary's secrets).
    await eventually('the replacement to answer', async () => {
      const me = await send('GET', '/api/me', { token });
      expect(me.status).toBe(200);
      expect(me.json()).toMatchObject({ email: DSP });
      return answeredBy('GET', '/api/me').has(replacement) ? true : undefined;
    });
  });

  it('on SIGTERM passes the signal to every worker, each drains and stops, and the primary exits 0', async () => {
    const live = [...serving().keys()].filter(isRunningNow).sort();
    expect(live).toHaveLength(2);
    app.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    const stopped = logLines().filter((line) => line.msg.startsWith('Stopped: requests finished'));
    expect(stopped.map((line) => line.pid).sort()).toEqual(live);
    for (const pid of live) expect(isRunningNow(pid)).toBe(false);
    expect(logLines().map((line) => line.msg)).toContain('Stopped: every worker stopped');
  });
});

/** Whether a process of this id is still running (signal 0 tests without sending). */
function isRunningNow(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
