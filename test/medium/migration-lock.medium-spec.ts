import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { applyMigrations } from '../../src/database/migrate';
import { MIGRATIONS } from '../../src/database/migrations';
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
