/** Throwaway databases for the benches: made at the start of a run, dropped at its end. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The PostgreSQL server the benches make their throwaway databases on (BENCH_POSTGRES_URL to change). */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new, empty database on the engine: a temporary SQLite file, or `<prefix>_*` on the server. */
export async function throwawayDatabase(
  engine: 'sqlite' | 'postgres',
  server: string,
  prefix = 'sg_bench',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  if (engine === 'postgres') {
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const client = new Client({ connectionString: server });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const file = join(tmpdir(), `${name}.sqlite`);
  return {
    url: `sqlite:${file}`,
    drop: () => Promise.resolve(['', '-wal', '-shm'].forEach((suffix) => rmSync(file + suffix, { force: true }))),
  };
}
