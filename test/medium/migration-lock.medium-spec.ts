import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { applyMigrations } from '../../src/database/migrate';
import { MIGRATIONS } from '../../src/database/migrations';
import { ensureBuilt, PROJECT_ROOT } from '../support/production-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/**
 * Several instances on one PostgreSQL database start at once after an upgrade (docs/operations.md,
 * "Upgrades"): each applies the pending migrations at start (database.module.ts), in turn under a
 * session-level advisory lock (database/migrate.ts), so the first applies them and the others find
 * nothing to do. Two connection pools here stand for two instances starting on a fresh database.
 * SQLite serves one instance, so this is PostgreSQL's.
 */
(onPostgres ? describe : describe.skip)('Migrations when two instances start at once (PostgreSQL)', () => {
  let database: TestDatabase;
  const instances: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const instance of instances) if (instance.isInitialized) await instance.destroy();
    await database?.drop();
  });

  it('applies every migration once, and both instances come up with none pending', async () => {
    const target = parseDatabaseUrl(database.url);
    for (let i = 0; i < 2; i++) instances.push(await new DataSource(dataSourceOptions(target)).initialize());

    await Promise.all(instances.map((instance) => applyMigrations(instance)));

    const applied = await instances[0].query<Array<{ name: string; times: string }>>(
      'SELECT name, COUNT(*) AS times FROM migrations GROUP BY name ORDER BY name',
    );
    expect(applied.map((row) => row.name).sort()).toEqual(MIGRATIONS.map((migration) => migration.name).sort());
    expect(applied.filter((row) => Number(row.times) !== 1)).toEqual([]);
    for (const instance of instances) expect(await instance.showMigrations()).toBe(false);
  });
});

/** `npm run migration:run` (the built src/database/migrate.cli.ts), on either engine. */
describe('npm run migration:run', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database?.drop());

  const migrationRun = () => {
    ensureBuilt();
    return spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/src/database/migrate.cli.js')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: database.url },
      encoding: 'utf8',
      timeout: 120_000,
    });
  };

  it('applies every migration on an empty database, then finds nothing to do', async () => {
    const first = migrationRun();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`Applied ${MIGRATIONS.length} migrations: ${MIGRATIONS[0].name}`);

    const again = migrationRun();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('No migrations to apply');

    const dataSource = await new DataSource(dataSourceOptions(parseDatabaseUrl(database.url))).initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
