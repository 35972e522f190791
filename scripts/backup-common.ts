/**
 * What `npm run backup` and `npm run restore` share (scripts/backup.ts, scripts/restore.ts): the
 * manifest written beside a backup, the row counts, the audit chain's head, the PostgreSQL client
 * environment (credentials in PG* variables, never in a process's arguments), and a few SQLite helpers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { DatabaseTarget } from '../src/config/database-url';
import { MIGRATIONS } from '../src/database/migrations';

/** Exit codes of both scripts: done; done but the result does not verify; refused or could not run. */
export const EXIT = { ok: 0, unverified: 1, refused: 2 } as const;

/** An operator-facing refusal: printed as it is, exit 2, nothing changed. */
export class Refusal extends Error {}

/** Anything that answers SQL with rows: a TypeORM DataSource, a pg Client wrapper, a raw SQLite handle. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** `<backup>.json`: what the backup holds, so a restore (or an operator) can compare. */
export interface BackupManifest {
  format: 'cardiff-safeguarding-backup/1';
  /** When the copy was taken (its snapshot began), ISO 8601. */
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** The backup's own file name (not its path), and how it is made. */
  file: string;
  method: 'sqlite VACUUM INTO' | 'pg_dump --format=custom';
  /** The source database as the audit checkpoints name it (no credentials). */
  database: string;
  /** The newest migration applied in the copy, and the newest this build of the app knows. */
  migrationHead: string | null;
  appMigrationHead: string;
  /** Rows per table in the copy, tables in name order. */
  rowCounts: Record<string, number>;
  /** The audit chain's last entry in the copy (null: no entries). */
  auditHead: { seq: number; hash: string } | null;
  /** Audit entries committed but not yet chained in the copy (PostgreSQL's audit_pending). */
  auditPending: number;
}

export const APP_MIGRATION_HEAD = MIGRATIONS[MIGRATIONS.length - 1].name;

export function manifestPath(backupFile: string): string {
  return `${backupFile}.json`;
}

/** The manifest beside `backupFile`, if there is one (a missing one is allowed; a broken one is refused). */
export function readManifest(backupFile: string): BackupManifest | null {
  let text: string;
  try {
    text = readFileSync(manifestPath(backupFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const manifest = value as BackupManifest | null;
  if (!manifest || manifest.format !== 'cardiff-safeguarding-backup/1' || typeof manifest.rowCounts !== 'object')
    throw new Refusal(`${manifestPath(backupFile)} is not a backup manifest; move it away to restore without one.`);
  return manifest;
}

/** The user tables of the connected database, in name order (SQLite's own and TypeORM's query cache left out). */
export async function listTables(db: Queryable, engine: 'sqlite' | 'postgres'): Promise<string[]> {
  const rows =
    engine === 'sqlite'
      ? await db.query(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
      : await db.query(
          "SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_schema, table_name",
        );
  return rows.map((row) =>
    engine === 'postgres' && row.schema !== 'public' ? `${String(row.schema)}.${String(row.name)}` : String(row.name),
  );
}

function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** Rows per user table, counted in whatever snapshot `db` reads. */
export async function rowCounts(db: Queryable, engine: 'sqlite' | 'postgres'): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await listTables(db, engine)) {
    const [row] = await db.query(`SELECT COUNT(*) AS count FROM ${quoteIdentifier(table)}`);
    counts[table] = Number(row.count);
  }
  return counts;
}

/** The chain's head, the newest applied migration and the unchained entries, in the same snapshot as the counts. */
export async function auditAndMigrationState(
  db: Queryable,
  tables: string[],
): Promise<Pick<BackupManifest, 'auditHead' | 'auditPending' | 'migrationHead'>> {
  const head = tables.includes('audit_entries')
    ? (await db.query('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1'))[0]
    : undefined;
  const pending = tables.includes('audit_pending')
    ? Number((await db.query('SELECT COUNT(*) AS count FROM audit_pending'))[0].count)
    : 0;
  const migration = tables.includes('migrations')
    ? (await db.query('SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1'))[0]
    : undefined;
  return {
    auditHead: head ? { seq: Number(head.seq), hash: String(head.hash) } : null,
    auditPending: pending,
    migrationHead: migration ? String(migration.name) : null,
  };
}

/** Prints the counts as an operator compares them: one table a line, aligned. */
export function printCounts(title: string, counts: Record<string, number>): void {
  console.log(title);
  const width = Math.max(0, ...Object.keys(counts).map((name) => name.length));
  for (const [table, count] of Object.entries(counts)) console.log(`  ${table.padEnd(width)}  ${count}`);
}

/** The tables whose counts differ between two sets (a table on one side only counts as a difference). */
export function countDifferences(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return tables
    .filter((table) => expected[table] !== actual[table])
    .map((table) => `${table}: ${expected[table] ?? 'absent'} in the backup, ${actual[table] ?? 'absent'} restored`);
}

/**
 * The libpq environment for a postgres:// URL: the client tools (pg_dump, pg_restore) read host, port,
 * user, password, database and SSL settings from it, so no password appears in their arguments (which
 * any user of the machine can list).
 */
export function postgresEnvironment(target: Extract<DatabaseTarget, { kind: 'postgres' }>): NodeJS.ProcessEnv {
  const url = new URL(target.url);
  const env: NodeJS.ProcessEnv = { PGDATABASE: target.database };
  if (url.hostname) env.PGHOST = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.port) env.PGPORT = url.port;
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const parameters: Record<string, string> = {
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    host: 'PGHOST',
    port: 'PGPORT',
    user: 'PGUSER',
    password: 'PGPASSWORD',
    application_name: 'PGAPPNAME',
    connect_timeout: 'PGCONNECT_TIMEOUT',
  };
  for (const [name, value] of url.searchParams) if (parameters[name]) env[parameters[name]] = value;
  return env;
}

/** Whether a client tool (pg_dump, pg_restore) can be run from the PATH. */
export function onPath(tool: string): boolean {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

/**
 * Runs a client tool with `env` added to this process's environment (the PG* connection variables
 * among them); resolves with its exit code and what it printed on stderr. Its own output is passed on.
 */
export function runTool(
  tool: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** A raw SQLite connection (no WAL switch, no TypeORM), closed by `close()`. */
export interface SqliteHandle extends Queryable {
  close(): Promise<void>;
}

export function openSqlite(path: string, mode: 'readonly' | 'readwrite'): Promise<SqliteHandle> {
  const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE;
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, flags, (error) => {
      if (error) return reject(error);
      db.configure('busyTimeout', 5000);
      resolve({
        query: (sql, parameters = []) =>
          new Promise((done, fail) =>
            db.all(sql, parameters, (err, rows: Array<Record<string, unknown>>) => (err ? fail(err) : done(rows))),
          ),
        close: () => new Promise((done, fail) => db.close((err) => (err ? fail(err) : done()))),
      });
    });
  });
}

/** A file starts with SQLite's header (the first 16 bytes of every database file). */
export function isSqliteFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\u0000';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
