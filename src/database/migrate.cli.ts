import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigurationError, loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { applyMigrations } from './migrate';

/**
 * `npm run migration:run`: applies the pending migrations without starting the app, as an app instance
 * does when it starts (database/migrate.ts: on PostgreSQL under the same advisory lock, so it may run
 * while instances start). Exits 0 having applied them (or finding none), 1 when one failed (each
 * migration is its own transaction: those before it stay applied), 2 on a bad configuration.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    return 2;
  }
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    const applied = await applyMigrations(dataSource);
    console.log(
      applied.length
        ? `Applied ${applied.length} migrations: ${applied.map((migration) => migration.name).join(', ')}`
        : 'No migrations to apply: the database is up to date.',
    );
    return 0;
  } catch (error) {
    console.error(`A migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

void main().then((code) => process.exit(code));
