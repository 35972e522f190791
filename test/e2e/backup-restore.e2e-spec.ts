import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ensureBuilt, PROJECT_ROOT, ProductionApp, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const DEMO_PASSWORD = 'backup-restore demo password 2026';

interface Manifest {
  engine: string;
  rowCounts: Record<string, number>;
  auditHead: { seq: number; hash: string } | null;
}

/** A built script (`dist/scripts/<name>.js` or another path under dist/), run without blocking the writers. */
function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', script), ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Rows per table and the concerns' ids of a database, read directly (not through the scripts under test). */
async function inspect(url: string): Promise<{ counts: Record<string, number>; concernIds: Set<string> }> {
  const target = parseDatabaseUrl(url);
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    const tables: Array<{ name: string }> =
      target.kind === 'sqlite'
        ? await dataSource.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
          )
        : await dataSource.query(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
          );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [{ count }]: Array<{ count: number | string }> = await dataSource.query(
        `SELECT COUNT(*) AS count FROM "${name}"`,
      );
      counts[name] = Number(count);
    }
    const concerns: Array<{ id: string }> = await dataSource.query('SELECT id FROM concerns');
    return { counts, concernIds: new Set(concerns.map(({ id }) => id)) };
  } finally {
    await dataSource.destroy();
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Issue 14, item 4 ("CI runs a backup while writes go on, restores it elsewhere and compares row counts
 * and the chain"): the BUILT app in production mode takes concerns from several clients at once while
 * `npm run backup` copies its database; the copy is restored with `npm run restore` into a new, empty
 * database, whose audit chain verifies with the same AUDIT_KEY, whose rows are those the backup's
 * manifest counted, and which holds every concern acknowledged before the backup began. On whichever
 * engine DATABASE_URL names (SQLite by default), as the rest of the suite.
 */
describe('Backup and restore while the app takes writes (the built scripts)', () => {
  let source: TestDatabase;
  let restored: TestDatabase;
  let inbox: SmtpInbox;
  let app: ProductionApp;
  const dir = join(tmpdir(), 'sg-tests', `backup-${process.pid}-${Date.now().toString(36)}`);
  const backupFile = join(dir, 'safeguarding.backup');
  let manifest: Manifest;
  let ackedBeforeBackup: string[];
  let restore: { code: number | null; stdout: string; stderr: string };
  let headers: Record<string, string>;
  let pupils: { items: Array<{ id: string }> };

  const restoreEnv = () => ({ ...app.env, DATABASE_URL: restored.url });

  beforeAll(async () => {
    ensureBuilt(['backup', 'restore']);
    mkdirSync(dir, { recursive: true });
    source = await createTestDatabase();
    restored = await createTestDatabase();
    inbox = await SmtpInbox.start();
    app = await startProductionApp({
      databaseUrl: source.url,
      smtpUrl: inbox.url,
      readyWhen: /Serving on/,
      extraEnv: { SEED_DEMO: 'true', DEMO_PASSWORD, REQUIRE_2FA: 'false' },
    });

    const login = await fetch(`${app.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dsp@riverside.example', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    pupils = (await (await fetch(`${app.base}/api/pupils`, { headers })).json()) as { items: Array<{ id: string }> };
    expect(pupils.items.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await app?.stop();
    await inbox?.close();
    await source?.drop();
    await restored?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while four clients record concerns, and restores the copy into a new, empty database (exit 0)', async () => {
    // Four clients record concerns one after another until told to stop; each acknowledged id is kept.
    const acknowledged: string[] = [];
    let writing = true;
    let written = 0;
    const failures: string[] = [];
    const writer = async (client: number) => {
      for (let n = 0; writing && failures.length === 0; n++) {
        const response = await fetch(`${app.base}/api/concerns`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            pupilId: pupils.items[(client + n) % pupils.items.length].id,
            occurredAt: new Date(Date.now() - 3600_000).toISOString(),
            category: 'wellbeing',
            summary: `Client ${client}, concern ${n}: seemed withdrawn at break.`,
            evidenceBasis: 'observed',
          }),
        });
        if (response.status === 201) {
          acknowledged.push(((await response.json()) as { id: string }).id);
          written++;
        } else failures.push(`${response.status} ${await response.text()}`);
      }
    };
    const waitFor = async (condition: () => boolean) => {
      while (!condition() && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const writers = [0, 1, 2, 3].map((client) =>
      writer(client).catch((error: Error) => void failures.push(`client ${client}: ${error.message}`)),
    );

    await waitFor(() => written >= 8);
    ackedBeforeBackup = [...acknowledged];
    const backup = await run('scripts/backup.js', [backupFile], app.env);
    // Some writes after the backup began, so the source has moved on from the copy.
    const afterBackup = written;
    await waitFor(() => written >= afterBackup + 4);
    writing = false;
    await Promise.all(writers);
    expect(failures).toEqual([]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    manifest = JSON.parse(readFileSync(`${backupFile}.json`, 'utf8')) as Manifest;

    restore = await run('scripts/restore.js', [backupFile], restoreEnv());
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('Restored and verified.');
    expect(manifest.engine).toBe(source.engine);
    expect(manifest.auditHead).not.toBeNull();
  });

  it("restores exactly the rows the backup's manifest counted, fewer concerns than the source has by now", async () => {
    const copy = await inspect(restored.url);
    expect(copy.counts).toEqual(manifest.rowCounts);
    const original = await inspect(source.url);
    expect(Object.keys(copy.counts).sort()).toEqual(Object.keys(original.counts).sort());
    expect(copy.counts.concerns).toBeLessThan(original.counts.concerns);
  });

  it('holds every concern acknowledged before the backup began', async () => {
    const copy = await inspect(restored.url);
    expect(ackedBeforeBackup.filter((id) => !copy.concernIds.has(id))).toEqual([]);
  });

  it('verifies the restored audit chain with the same AUDIT_KEY (npm run audit:verify), and not with another', async () => {
    const verify = await run('src/audit/verify-audit-chain.cli.js', [], restoreEnv());
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('Audit chain intact');
    const otherKey = await run('src/audit/verify-audit-chain.cli.js', [], {
      ...restoreEnv(),
      AUDIT_KEY: 'another-installation-audit-key-0123456789abcdef',
    });
    expect(otherKey.code).toBe(1);
  });

  it('refuses to restore into a database that is not empty (exit 2), changing nothing', async () => {
    const before = await inspect(restored.url);
    const again = await run('scripts/restore.js', [backupFile], restoreEnv());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty');
    expect((await inspect(restored.url)).counts).toEqual(before.counts);
  });

  it('refuses to write a backup over an existing file without --force (exit 2), and replaces it with --force', async () => {
    const before = sha256(backupFile);
    const refused = await run('scripts/backup.js', [backupFile], app.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(sha256(backupFile)).toBe(before);

    const forced = await run('scripts/backup.js', [backupFile, '--force'], app.env);
    expect(forced.code).toBe(0);
    const replaced = JSON.parse(readFileSync(`${backupFile}.json`, 'utf8')) as Manifest;
    expect(replaced.rowCounts.concerns).toBe((await inspect(source.url)).counts.concerns);
  });
});
