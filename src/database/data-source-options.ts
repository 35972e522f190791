import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseTarget } from '../config/database-url';
import { MIGRATIONS } from './migrations';

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
    };
  }
  return {
    ...shared,
    type: 'postgres',
    url: target.url,
    extra: { max: 10 },
  };
}
