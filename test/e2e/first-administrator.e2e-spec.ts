import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const PROJECT_ROOT = join(__dirname, '../..');
const MAIN = join(PROJECT_ROOT, 'dist/src/main.js');
const ADMIN_CREATE = join(PROJECT_ROOT, 'dist/scripts/admin-create.js');
const PASSWORD = 'a county of castles and coal 1974';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * API.md, "First administrator": the BUILT app (dist/) started as production would start it, on an
 * empty database with the demo off, says what to do next; `npm run admin:create` (also from dist/)
 * makes the local authority and its administrator and prints a one-time link; following it sets the
 * password, and the administrator signs in. Real processes, real HTTP, production's own password cost.
 */
describe('Starting a local authority from nothing (the built app in production mode)', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  let app: ChildProcess | null = null;
  let output = '';
  let env: NodeJS.ProcessEnv;
  let base: string;

  const adminCreate = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = spawnSync(process.execPath, [ADMIN_CREATE, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  beforeAll(async () => {
    if (!existsSync(MAIN) || !existsSync(ADMIN_CREATE)) {
      // A fresh clone has no dist/; build it once, as `npm run build` would (without emptying dist/ first).
      const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`Could not build the app:\n${build.stdout}${build.stderr}`);
    }
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: database.url,
      JWT_SECRET: 'first-administrator-test-jwt-secret-0123456789',
      SIGN_IN_DEVICE_SECRET: 'first-administrator-test-device-secret-0123456789',
      AUDIT_KEY: 'first-administrator-test-audit-key-0123456789',
      AUDIT_CHECKPOINT_FILE: join(tmpdir(), 'sg-tests', `checkpoints-first-admin-${port}.jsonl`),
      APP_URL: base,
      SMTP_URL: inbox.url,
      MAIL_FROM: 'safeguarding@test.example',
    };
    app = spawn(process.execPath, [MAIN], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // Serving once the empty-database notice (logged after listening) has been written.
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (/no organisations and no accounts yet/.test(output)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
      app!.on('exit', (code) => {
        clearInterval(check);
        reject(new Error(`The app stopped (${code}):\n${output}`));
      });
    });
  });

  afterAll(async () => {
    if (app && app.exitCode === null) {
      const stopped = new Promise((resolve) => app!.once('exit', resolve));
      app.kill('SIGTERM');
      await stopped;
    }
    await inbox?.close();
    await database?.drop();
    rmSync(env?.AUDIT_CHECKPOINT_FILE ?? '', { force: true });
  });

  it('starts on an empty database without the demo and says to run admin:create', async () => {
    expect(output).toContain('npm run admin:create');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@cardiff.example', password: 'demo-password' }),
    });
    expect(login.status).toBe(401);
  });

  it('creates the authority and its administrator, whose printed link sets the password once; then they sign in', async () => {
    const created = adminCreate([
      '--email',
      'Ceri.Admin@LA.example',
      '--name',
      'Ceri Admin',
      '--authority',
      'Cardiff Council',
      '--authority-code',
      '681',
    ]);
    expect(created.code).toBe(0);
    const link = /https?:\/\/\S+\/invite\/\S+/.exec(created.stdout)?.[0];
    expect(link?.startsWith(`${base}/invite/`)).toBe(true);

    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Cardiff Council');

    const token = link!.split('/invite/')[1];
    const accept = () =>
      fetch(`${base}/api/invitations/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: PASSWORD }),
      });
    expect((await accept()).status).toBe(204);
    expect((await accept()).status).toBe(404);

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ceri.admin@la.example', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { role: string } };
    expect(user.role).toBe('admin');
    const organisations = (await (
      await fetch(`${base}/api/organisations`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as { items: Array<{ name: string; code: string; kind: string }> };
    expect(organisations.items).toEqual([
      expect.objectContaining({ name: 'Cardiff Council', code: '681', kind: 'local_authority' }),
    ]);
  });

  it('refuses an email that already has an account (exit 1, saying so) and creates nothing', () => {
    const again = adminCreate(['--email', 'ceri.admin@la.example', '--name', 'X', '--authority', 'Another LA']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const missing = adminCreate(['--email', 'someone@la.example']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--name is required/);
  });

  it('applies the migrations itself on a database the app has never started on', async () => {
    const fresh = await createTestDatabase();
    try {
      const created = adminCreate(['--email', 'first@other.example', '--name', 'First', '--authority', 'Other LA'], {
        DATABASE_URL: fresh.url,
        AUDIT_CHECKPOINT_FILE: `${env.AUDIT_CHECKPOINT_FILE!}.fresh`,
      });
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('/invite/');
    } finally {
      await fresh.drop();
      rmSync(`${env.AUDIT_CHECKPOINT_FILE!}.fresh`, { force: true });
    }
  });
});
