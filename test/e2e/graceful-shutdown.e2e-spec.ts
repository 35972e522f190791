import { rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { checkpointDatabaseName, readCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ProductionApp, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const DEMO_PASSWORD = 'graceful-shutdown-demo-password';
const CLIENTS = 4;
/** Concerns acknowledged before SIGTERM is sent: the stream is well under way, on every client. */
const BEFORE_SIGNAL = 24;

/**
 * Issue 14, "Graceful shutdown": the built app in production mode takes a stream of concern creations
 * from several clients at once; SIGTERM arrives mid-stream. Every creation answered 2xx must be stored
 * with its audit entry, on a chain that verifies and that the final checkpoint covers; the process exits
 * 0. Two requests are held in flight across the signal (their headers sent, acknowledged by the server's
 * `100 Continue`, their bodies not yet): a readiness probe, which then answers 503 (shutting down), and
 * a concern, which is still stored and answered. Nothing here waits on a clock: the signal follows a
 * count of answers, and the held requests finish once new connections are refused.
 */
describe('Graceful shutdown (the built app, SIGTERM during a stream of writes)', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  let app: ProductionApp | undefined;
  let streaming = true;
  let authorization: string;
  let pupilId: string;
  /** The ids of the concerns answered 201. */
  const acknowledged: string[] = [];
  const checkpointFile = join(tmpdir(), 'sg-tests', `checkpoints-graceful-${process.pid}-${Date.now()}.jsonl`);

  const start = () =>
    startProductionApp({
      databaseUrl: database.url,
      smtpUrl: inbox.url,
      readyWhen: /Serving on/,
      extraEnv: {
        SEED_DEMO: 'true',
        DEMO_PASSWORD,
        REQUIRE_2FA: 'false',
        AUDIT_CHECKPOINT_FILE: checkpointFile,
        // Far longer than the test needs: the held requests finish when the test sends their bodies.
        SHUTDOWN_GRACE_SECONDS: '300',
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    app = await start();
    const login = await fetch(`${app.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dsp@riverside.example', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    authorization = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
    const pupils = await fetch(`${app.base}/api/pupils`, { headers: { authorization } });
    pupilId = ((await pupils.json()) as { items: Array<{ id: string }> }).items[0].id;
  });

  afterAll(async () => {
    streaming = false;
    // A process that did not stop on SIGTERM (the test has failed) must not outlive the run.
    app?.kill('SIGKILL');
    await app?.stop();
    await inbox?.close();
    await database?.drop();
    rmSync(checkpointFile, { force: true });
  });

  it('finishes what is in flight, refuses what comes after, and exits 0', async () => {
    const { base } = app!;
    const port = Number(new URL(base).port);
    const concern = (n: string) =>
      JSON.stringify({
        pupilId,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        summary: `Graceful shutdown stream ${n}`,
        evidenceBasis: 'observed',
      });
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    // Two requests in flight across the signal, each waiting for its body.
    const readyProbe = await heldRequest(port, 'GET', '/health/ready', {}, '{}');
    const heldConcern = await heldRequest(port, 'POST', '/api/concerns', { authorization }, concern('held'));

    // The stream: each client creates concerns one after another until the server stops answering.
    const refused: string[] = [];
    const unexpected: string[] = [];
    let reachedSignalCount: () => void = () => undefined;
    const signalCountReached = new Promise<void>((resolve) => (reachedSignalCount = resolve));
    const client = async (c: number) => {
      for (let i = 0; streaming; i++) {
        let response: Response;
        try {
          response = await fetch(`${base}/api/concerns`, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body: concern(`${c}.${i}`),
          });
        } catch (error) {
          refused.push(String((error as { cause?: { code?: string } }).cause?.code ?? error));
          return;
        }
        const body = await response.text();
        if (response.status !== 201) {
          unexpected.push(`${response.status} ${body}`);
          return;
        }
        acknowledged.push((JSON.parse(body) as { id: string }).id);
        if (acknowledged.length >= BEFORE_SIGNAL) reachedSignalCount();
      }
    };
    const stream = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    await signalCountReached;
    app!.kill('SIGTERM');
    await until(async () => !(await accepts(port)));

    // The probe held across the signal answers 503, naming the shutdown, and closes its connection.
    const probe = await readyProbe.finish();
    expect(probe.status).toBe(503);
    expect(probe.head).toMatch(/^connection: close$/im);
    expect(JSON.parse(probe.body)).toMatchObject({
      status: 'error',
      error: { shutdown: { status: 'down', message: 'shutting down' } },
    });
    // The concern held across the signal is still taken and answered.
    const held = await heldConcern.finish();
    expect(held.status).toBe(201);
    acknowledged.push((JSON.parse(held.body) as { id: string }).id);

    await stream;
    expect(unexpected).toEqual([]);
    // Every client stopped because the server no longer took its request.
    expect(refused).toHaveLength(CLIENTS);
    expect(await app!.exited()).toBe(0);
    expect(app!.output()).toMatch(/SIGTERM: no new connections/);
    expect(app!.output()).toMatch(/Stopped: requests finished, audit checkpoint written, database closed/);
  });

  it('has stored every acknowledged concern with its audit entry, on a chain the final checkpoint covers', async () => {
    // Every acknowledged concern is stored, with its audit entry on a chain that verifies, and the final
    // checkpoint (written at shutdown) is the chain's head.
    const target = parseDatabaseUrl(database.url);
    const dataSource = await new DataSource(dataSourceOptions(target, [AuditEntry])).initialize();
    try {
      const stored = new Set(
        (await dataSource.query<Array<{ id: string }>>('SELECT id FROM concerns')).map((row) => row.id),
      );
      const audited = new Set(
        (
          await dataSource.query<Array<{ subject_id: string }>>(
            "SELECT subject_id FROM audit_entries WHERE action = 'concern.recorded'",
          )
        ).map((row) => row.subject_id),
      );
      expect(await app!.exited()).toBe(0);
      expect(acknowledged.length).toBeGreaterThan(BEFORE_SIGNAL);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      expect(acknowledged.filter((id) => !audited.has(id))).toEqual([]);
      if (database.engine === 'postgres')
        // The chainer chained everything before the final checkpoint.
        expect(await dataSource.query('SELECT position FROM audit_pending')).toEqual([]);
      const file = await readCheckpoints(checkpointFile, checkpointDatabaseName(target));
      const verification = await verifyAuditChain(dataSource, {
        key: app!.env.AUDIT_KEY!,
        checkpoints: file.checkpoints,
        unreadable: file.unreadable,
      });
      expect(verification.problems).toEqual([]);
      expect(verification.unchained).toBe(0);
      expect(verification.lastCheckpoint?.seq).toBe(verification.head?.seq);
    } finally {
      await dataSource.destroy();
    }
  });
});

/** Whether the port takes a TCP connection now (the connection is closed at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * A request whose headers are sent, with `Expect: 100-continue`, and whose body waits: resolves once
 * the server has answered `100 Continue` (it has taken the request and its handlers wait for the body);
 * `finish` sends the body and reads the answer to the end of the connection.
 */
async function heldRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ finish(): Promise<{ status: number; head: string; body: string }> }> {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const ended = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.once('end', resolve);
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Expect: 100-continue',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  await until(() => Promise.resolve(/^HTTP\/1\.1 100 Continue\r\n\r\n/.test(received)));
  return {
    async finish() {
      socket.write(body);
      await ended;
      const answer = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const split = answer.indexOf('\r\n\r\n');
      const head = answer.slice(0, split);
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: answer.slice(split + 4) };
    },
  };
}
