/**
 * `npm run backup -- <file> [--force]`
 *
 * A consistent copy of the app's database (DATABASE_URL, read from the same validated configuration as
 * the app) taken while the app runs, and `<file>.json` beside it: when, which engine, the migration
 * head, the rows of every table and the audit chain's head, all of the same snapshot as the copy.
 *
 * - SQLite: `VACUUM INTO` a new file: one read transaction, so writers carry on (WAL) and the copy is
 *   the database as it stood when it began. The result is a plain SQLite file.
 * - PostgreSQL: `pg_dump --format=custom` (needs `pg_dump` on the PATH), run inside a snapshot that
 *   this script exported and counted in, so the manifest describes exactly what the dump holds.
 *
 * Never overwrites an existing file unless --force. Exit 0 when written; 2 when refused or it could not
 * run (nothing is left behind then).
 */
import 'reflect-metadata';
import {
  chmodSync,
  fsyncSync,
  linkSync,
  openSync,
  closeSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { checkpointDatabaseName } from '../src/audit/audit-checkpoints';
import { loadConfigOrExplain } from '../src/config/app-config';
import { DatabaseTarget } from '../src/config/database-url';
import {
  APP_MIGRATION_HEAD,
  auditAndMigrationState,
  BackupManifest,
  EXIT,
  isSqliteFile,
  listTables,
  manifestPath,
  onPath,
  openSqlite,
  postgresEnvironment,
  printCounts,
  Queryable,
  Refusal,
  rowCounts,
  runTool,
} from './backup-common';

const USAGE = 'Usage: npm run backup -- <file> [--force]';

type Snapshot = Pick<BackupManifest, 'createdAt' | 'rowCounts' | 'auditHead' | 'auditPending' | 'migrationHead'>;

async function describe(db: Queryable, engine: 'sqlite' | 'postgres', createdAt: string): Promise<Snapshot> {
  const tables = await listTables(db, engine);
  return { createdAt, rowCounts: await rowCounts(db, engine), ...(await auditAndMigrationState(db, tables)) };
}

/** SQLite: VACUUM INTO `temp`, then checked and counted from the copy itself. */
async function backupSqlite(target: Extract<DatabaseTarget, { kind: 'sqlite' }>, temp: string): Promise<Snapshot> {
  if (target.path === ':memory:') throw new Refusal('DATABASE_URL is sqlite::memory:, which has nothing to back up.');
  if (!existsSync(target.path) || !isSqliteFile(target.path))
    throw new Refusal(`There is no SQLite database at ${target.path} (DATABASE_URL).`);
  const createdAt = new Date().toISOString();
  const source = await openSqlite(target.path, 'readwrite');
  try {
    await source.query('VACUUM INTO ?', [temp]);
  } finally {
    await source.close();
  }
  // VACUUM INTO does not sync what it wrote; a backup that a crash could tear is no backup.
  const fd = openSync(temp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const copy = await openSqlite(temp, 'readonly');
  try {
    const [check] = await copy.query('PRAGMA integrity_check');
    if (Object.values(check)[0] !== 'ok')
      throw new Error(`The copy fails SQLite's integrity check: ${JSON.stringify(check)}`);
    return await describe(copy, 'sqlite', createdAt);
  } finally {
    await copy.close();
  }
}

/**
 * PostgreSQL: a read-only REPEATABLE READ transaction exports its snapshot; pg_dump dumps that very
 * snapshot (--snapshot) while this transaction counts the rows in it, and only then ends.
 */
async function backupPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>, temp: string): Promise<Snapshot> {
  if (!onPath('pg_dump'))
    throw new Refusal(
      'pg_dump is not on the PATH, so a PostgreSQL backup cannot be made. Install the PostgreSQL client tools ' +
        "of the server's major version or newer (Debian/Ubuntu: apt install postgresql-client) and run this again.",
    );
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ snapshot, at }] = (
      await client.query<{ snapshot: string; at: Date }>('SELECT pg_export_snapshot() AS snapshot, now() AS at')
    ).rows;
    const db: Queryable = {
      query: async (sql, parameters) => (await client.query<Record<string, unknown>>(sql, parameters)).rows,
    };
    const [snapshotDescription, dump] = await Promise.all([
      describe(db, 'postgres', at.toISOString()),
      runTool(
        'pg_dump',
        ['--format=custom', '--no-password', `--snapshot=${snapshot}`, `--file=${temp}`],
        postgresEnvironment(target),
      ),
    ]);
    if (dump.code !== 0) throw new Error(`pg_dump failed (exit code ${dump.code}); nothing was written.`);
    await client.query('COMMIT');
    return snapshotDescription;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  let file: string;
  let force: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { force: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new Error('Name one file to write the backup to.');
    file = resolve(positionals[0]);
    force = values.force === true;
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return EXIT.refused;
  }
  const config = loadConfigOrExplain(process.env);
  if (!config) return EXIT.refused;
  const target = config.database;
  const manifestFile = manifestPath(file);
  try {
    if (!force)
      for (const existing of [file, manifestFile])
        if (existsSync(existing))
          throw new Refusal(`${existing} already exists: choose another name, or add --force to replace it.`);
    if (target.kind === 'sqlite' && [target.path, `${target.path}-wal`, `${target.path}-shm`].includes(file))
      throw new Refusal('The backup cannot be written over the database it copies.');

    const temp = `${file}.partial-${process.pid}`;
    let snapshot: Snapshot;
    try {
      snapshot = target.kind === 'sqlite' ? await backupSqlite(target, temp) : await backupPostgres(target, temp);
      // Pupil data: readable by its owner only, whatever the umask.
      chmodSync(temp, 0o600);
      // In place only once whole: a link fails if the name was taken meanwhile; --force replaces it.
      if (force) renameSync(temp, file);
      else {
        linkSync(temp, file);
        rmSync(temp);
      }
    } finally {
      rmSync(temp, { force: true });
    }
    const manifest: BackupManifest = {
      format: 'cardiff-safeguarding-backup/1',
      createdAt: snapshot.createdAt,
      engine: target.kind,
      file: basename(file),
      method: target.kind === 'sqlite' ? 'sqlite VACUUM INTO' : 'pg_dump --format=custom',
      database: checkpointDatabaseName(target),
      migrationHead: snapshot.migrationHead,
      appMigrationHead: APP_MIGRATION_HEAD,
      rowCounts: snapshot.rowCounts,
      auditHead: snapshot.auditHead,
      auditPending: snapshot.auditPending,
    };
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { flag: force ? 'w' : 'wx', mode: 0o640 });

    const size = statSync(file).size;
    console.log(
      `Backed up ${manifest.database} as it stood at ${manifest.createdAt} to ${file} (${size} bytes, ${manifest.method}).`,
    );
    printCounts('Rows per table in the backup:', manifest.rowCounts);
    console.log(
      manifest.auditHead
        ? `Audit chain head in the backup: entry ${manifest.auditHead.seq}, HMAC ${manifest.auditHead.hash}` +
            (manifest.auditPending ? ` (and ${manifest.auditPending} entries waiting for the chain)` : '')
        : 'The backup holds no audit entries.',
    );
    console.log(`Manifest: ${manifestFile}`);
    console.log('The backup holds pupil data: encrypt it and keep copies off this machine (see docs/operations.md).');
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(error.message);
      return EXIT.refused;
    }
    console.error(`The backup could not be made: ${(error as Error).message}`);
    return EXIT.refused;
  }
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(EXIT.refused);
    },
  );
