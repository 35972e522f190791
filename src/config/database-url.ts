import { isAbsolute, resolve } from 'node:path';

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; database: string };

/** `sqlite:relative/path`, `sqlite:/abs/path`, `sqlite::memory:` or `postgres://user@host:port/db`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === ':memory:') return { kind: 'sqlite', path };
    if (!path) throw new Error('DATABASE_URL sqlite: needs a file path');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(process.cwd(), path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) throw new Error('DATABASE_URL for PostgreSQL must name a database');
    return { kind: 'postgres', url, database };
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
