import { DataSource } from 'typeorm';
import { DatabaseLock } from './unit-of-work';

/**
 * Applies pending migrations. On PostgreSQL several app instances may start at once, so they take
 * turns under a session-level advisory lock; the ones that come later find nothing to do.
 */
export async function applyMigrations(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [DatabaseLock.Migrations]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [DatabaseLock.Migrations]).catch(() => undefined);
    await runner.release();
  }
}
