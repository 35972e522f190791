import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { DatabaseTarget } from '../config/database-url';
import { MIGRATIONS } from './migrations';

/**
 * The sqlite3 module as TypeORM should load it. TypeORM calls `sqlite3.verbose()`, which wraps every
 * call to capture a stack trace and format its arguments (long stack traces for debugging): measured,
 * a fifth of the app's CPU time per audited write. Here `verbose()` hands back the plain module.
 */
const QUIET_SQLITE3: unknown = Object.create(sqlite3, { verbose: { value: () => sqlite3 } });

/**
 * The same migrations on both engines; only the connection differs. Never synchronize. The database
 * knows no entity: in the app each module registers its own (`TypeOrmModule.forFeature`, collected by
 * `autoLoadEntities`); a standalone DataSource (a script, the audit check) names the ones it reads.
 * Migrations need none.
 */
export function dataSourceOptions(
  target: DatabaseTarget,
  entities: NonNullable<DataSourceOptions['entities']> = [],
): DataSourceOptions {
  const shared = {
    entities,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    return {
      ...shared,
      type: 'sqlite',
      database: target.path,
      // WAL lets readers carry on during a write; the busy timeout waits out another process's lock.
      enableWAL: target.path !== ':memory:',
      busyTimeout: 5000,
      driver: QUIET_SQLITE3,
    };
  }
  return {
    ...shared,
    type: 'postgres',
    url: target.url,
    extra: { max: 10 },
  };
}
