import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  engine: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/**
 * A throwaway database for one test file, on the engine DATABASE_URL names: a fresh PostgreSQL
 * database on that server, or (by default) a fresh SQLite file. Dropped when the file is done.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL ?? '';
  // TEST_DB_TAG marks one run's databases, so a sweep after a crash drops only that run's.
  const tag = (process.env.TEST_DB_TAG ?? '').replace(/[^a-z0-9_]/g, '');
  const name = `sg_test_${tag}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (/^postgres(ql)?:\/\//.test(base)) {
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      engine: 'postgres',
      async drop() {
        const client = new Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = join(tmpdir(), 'sg-tests');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.sqlite`);
  return {
    url: `sqlite:${file}`,
    engine: 'sqlite',
    drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
      return Promise.resolve();
    },
  };
}

/**
 * One statement on a PostgreSQL test database from outside the app (for specs that run the built app as
 * child processes and look at what it stored), on a connection of its own.
 */
export async function queryPostgres<T = Record<string, unknown>>(
  url: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}
