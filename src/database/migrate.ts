import { DataSource, Migration } from 'typeorm';
import { DatabaseLock } from './unit-of-work';

/**
 * Applies pending migrations and answers those it applied. On PostgreSQL several app instances (or an
 * instance and `npm run migration:run`) may start at once, so they take turns under a session-level
 * advisory lock; the ones that come later find nothing to do.
 */
export async function applyMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [DatabaseLock.Migrations]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [DatabaseLock.Migrations]).catch(() => undefined);
    await runner.release();
  }
}
