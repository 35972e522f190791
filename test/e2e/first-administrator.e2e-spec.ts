import { generate } from 'otplib';
import { rmSync } from 'node:fs';
import { ProductionApp, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const PASSWORD = 'a county of castles and coal 1974';

/**
 * API.md, "First administrator": the BUILT app (dist/) started as production would start it, on an
 * empty database with the demo off, says what to do next; `npm run admin:create` (also from dist/)
 * makes the local authority and its administrator and prints a one-time link; following it sets the
 * password, and the administrator signs in. Real processes, real HTTP, production's own password cost.
 */
describe('Starting a local authority from nothing (the built app in production mode)', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  let app: ProductionApp;
  let base: string;

  const adminCreate = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    app.runScript('admin-create', args, extraEnv);

  beforeAll(async () => {
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    // Serving once the empty-database notice (logged after listening) has been written.
    app = await startProductionApp({
      databaseUrl: database.url,
      smtpUrl: inbox.url,
      readyWhen: /no organisations and no accounts yet/,
    });
    base = app.base;
  });

  afterAll(async () => {
    await app?.stop();
    await inbox?.close();
    await database?.drop();
  });

  it('starts on an empty database without the demo and says to run admin:create', async () => {
    expect(app.output()).toContain('npm run admin:create');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@cardiff.example', password: 'demo-password' }),
    });
    expect(login.status).toBe(401);
  });

  it('creates the authority and its administrator, whose printed link sets the password once; then they sign in', async () => {
    const created = await adminCreate([
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
    const signedIn = (await login.json()) as {
      accessToken: string;
      user: { role: string };
      twoFactorSetupRequired?: boolean;
    };
    expect(signedIn.user.role).toBe('admin');
    // Production requires two-factor of every account but staff (REQUIRE_2FA): nothing else until it is on.
    expect(signedIn.twoFactorSetupRequired).toBe(true);
    const as = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const gated = await as(signedIn.accessToken, '/api/organisations');
    expect(gated.status).toBe(403);
    expect(((await gated.json()) as { code: string }).code).toBe('two_factor_setup_required');

    const { secret } = (await (await as(signedIn.accessToken, '/api/auth/2fa/setup', { method: 'POST' })).json()) as {
      secret: string;
    };
    const enabled = await as(signedIn.accessToken, '/api/auth/2fa/enable', {
      method: 'POST',
      body: JSON.stringify({ code: await generate({ secret }) }),
    });
    expect(enabled.status).toBe(200);

    // Signing in again now takes the code, and the session can do an administrator's work.
    const challenge = (await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ceri.admin@la.example', password: PASSWORD }),
      })
    ).json()) as { twoFactorRequired: boolean; challengeToken: string };
    expect(challenge.twoFactorRequired).toBe(true);
    const second = await fetch(`${base}/api/auth/login/2fa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        challengeToken: challenge.challengeToken,
        code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }),
      }),
    });
    expect(second.status).toBe(200);
    const { accessToken } = (await second.json()) as { accessToken: string };
    const organisations = (await (await as(accessToken, '/api/organisations')).json()) as {
      items: Array<{ name: string; code: string; kind: string }>;
    };
    expect(organisations.items).toEqual([
      expect.objectContaining({ name: 'Cardiff Council', code: '681', kind: 'local_authority' }),
    ]);
  });

  it('refuses an email that already has an account (exit 1, saying so) and creates nothing', async () => {
    const again = await adminCreate(['--email', 'ceri.admin@la.example', '--name', 'X', '--authority', 'Another LA']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const missing = await adminCreate(['--email', 'someone@la.example']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--name is required/);
  });

  it('applies the migrations itself on a database the app has never started on', async () => {
    const fresh = await createTestDatabase();
    try {
      const created = await adminCreate(
        ['--email', 'first@other.example', '--name', 'First', '--authority', 'Other LA'],
        {
          DATABASE_URL: fresh.url,
          AUDIT_CHECKPOINT_FILE: `${app.env.AUDIT_CHECKPOINT_FILE!}.fresh`,
        },
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('/invite/');
    } finally {
      await fresh.drop();
      rmSync(`${app.env.AUDIT_CHECKPOINT_FILE!}.fresh`, { force: true });
    }
  });
});
