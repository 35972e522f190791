/**
 * `npm run restore -- <file>`
 *
 * Restores a backup made by `npm run backup` into the database DATABASE_URL names (the same validated
 * configuration as the app), which must be EMPTY: a SQLite file that does not exist or has no tables,
 * or a PostgreSQL database with no tables. Anything else is refused and left as it was. Stop the app
 * (every instance) on the target first.
 *
 * - SQLite: the backup is copied beside the target, checked (`PRAGMA integrity_check`), and only then
 *   moved into place.
 * - PostgreSQL: `pg_restore --no-owner --no-privileges --single-transaction --exit-on-error` (needs
 *   `pg_restore` on the PATH): all of it or none of it.
 *
 * Then it checks what it restored: the audit chain verifies with AUDIT_KEY (the same key as where the
 * backup was made), against the chain head recorded in the backup's manifest and the source database's
 * checkpoints up to it; and the rows of every table equal the manifest's (printed either way).
 * Exit 0 when restored and verified; 1 when restored but a check fails (the output says which);
 * 2 when refused or it could not run (nothing changed).
 */
import 'reflect-metadata';
import { constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditCheckpoint, checkpointDatabaseName, readCheckpoints } from '../src/audit/audit-checkpoints';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../src/audit/verify-audit-chain';
import { AppConfig, loadConfigOrExplain } from '../src/config/app-config';
import { DatabaseTarget } from '../src/config/database-url';
import { dataSourceOptions } from '../src/database/data-source-options';
import {
  APP_MIGRATION_HEAD,
  BackupManifest,
  countDifferences,
  EXIT,
  isSqliteFile,
  listTables,
  onPath,
  openSqlite,
  postgresEnvironment,
  printCounts,
  readManifest,
  Refusal,
  rowCounts,
  runTool,
} from './backup-common';

const USAGE = 'Usage: npm run restore -- <file>';

const NOT_EMPTY = (where: string, tables: string[]) =>
  `${where} is not empty (${tables.length} tables, e.g. ${tables.slice(0, 3).join(', ')}): a backup is restored ` +
  'only into an empty database, so nothing was changed. Point DATABASE_URL at a new database (or remove this one ' +
  'deliberately, after keeping a copy) and run the restore again.';

/** SQLite: the target is absent or has no tables; the backup is checked in a copy beside it, then moved in. */
async function restoreSqlite(target: Extract<DatabaseTarget, { kind: 'sqlite' }>, file: string): Promise<void> {
  if (target.path === ':memory:') throw new Refusal('DATABASE_URL is sqlite::memory:, which cannot be restored into.');
  if (!isSqliteFile(file)) throw new Refusal(`${file} is not a SQLite database (a backup made on SQLite is one).`);
  if (resolve(file) === target.path) throw new Refusal('The backup is the database DATABASE_URL names.');
  const tablesOf = async () => {
    if (!existsSync(target.path)) return [];
    if (statSync(target.path).size > 0 && !isSqliteFile(target.path))
      throw new Refusal(`${target.path} (DATABASE_URL) exists and is not a SQLite database: nothing was changed.`);
    const existing = await openSqlite(target.path, 'readwrite');
    try {
      return await listTables(existing, 'sqlite');
    } finally {
      await existing.close();
    }
  };
  const before = await tablesOf();
  if (before.length) throw new Refusal(NOT_EMPTY(target.path, before));

  const temp = `${target.path}.restoring-${process.pid}`;
  mkdirSync(dirname(target.path), { recursive: true });
  try {
    copyFileSync(file, temp, constants.COPYFILE_EXCL);
    const copy = await openSqlite(temp, 'readwrite');
    try {
      const rows = await copy.query('PRAGMA integrity_check');
      const result = rows.map((row) => String(Object.values(row)[0]));
      if (result.join() !== 'ok')
        throw new Refusal(`${file} fails SQLite's integrity check, so nothing was changed:\n  ${result.join('\n  ')}`);
    } finally {
      await copy.close();
    }
    // Checked again just before the move: an empty file's stale WAL must not be replayed over the copy.
    const now = await tablesOf();
    if (now.length) throw new Refusal(NOT_EMPTY(target.path, now));
    for (const suffix of ['-wal', '-shm', '-journal', '']) rmSync(`${target.path}${suffix}`, { force: true });
    renameSync(temp, target.path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** PostgreSQL: the target has no tables; pg_restore in one transaction, stopping at the first error. */
async function restorePostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>, file: string): Promise<void> {
  if (!onPath('pg_restore'))
    throw new Refusal(
      'pg_restore is not on the PATH, so a PostgreSQL backup cannot be restored. Install the PostgreSQL client ' +
        "tools of the server's major version or newer (Debian/Ubuntu: apt install postgresql-client) and run this again.",
    );
  const env = postgresEnvironment(target);
  // A custom-format archive lists its contents; anything else (a SQLite backup, a damaged file) does not.
  const list = await runTool('pg_restore', ['--list', '--file=/dev/null', file], env);
  if (list.code !== 0) throw new Refusal(`${file} is not a pg_dump custom-format archive: nothing was changed.`);
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    const tables = await listTables(
      { query: async (sql) => (await client.query<Record<string, unknown>>(sql)).rows },
      'postgres',
    );
    if (tables.length) throw new Refusal(NOT_EMPTY(`The database ${target.database}`, tables));
  } finally {
    await client.end();
  }
  const restore = await runTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--dbname=${target.database}`,
      file,
    ],
    env,
  );
  if (restore.code !== 0)
    throw new Refusal(`pg_restore failed (exit code ${restore.code}); its one transaction was rolled back.`);
}

/**
 * The checks after a restore: rows per table against the manifest, and the audit chain with the key
 * against the manifest's head and the source's checkpoints up to it. True when all hold.
 */
async function verifyRestored(config: AppConfig, manifest: BackupManifest | null): Promise<boolean> {
  const target = config.database;
  const dataSource = await new DataSource(dataSourceOptions(target, [AuditEntry])).initialize();
  let ok = true;
  try {
    const counts = await rowCounts(dataSource, target.kind);
    printCounts('Rows per table restored:', counts);
    if (manifest) {
      const differences = countDifferences(manifest.rowCounts, counts);
      if (differences.length) {
        ok = false;
        console.error(`The restored rows differ from the backup's manifest:\n  ${differences.join('\n  ')}`);
      } else console.log(`Every table has the rows the manifest records (backup of ${manifest.createdAt}).`);
      if (manifest.migrationHead && manifest.migrationHead !== APP_MIGRATION_HEAD)
        console.log(
          `The backup's newest migration is ${manifest.migrationHead}; this app's is ${APP_MIGRATION_HEAD}. ` +
            'Starting the app applies its newer migrations; a backup from a newer app needs that app.',
        );
    } else console.log('No manifest beside the backup: the counts above cannot be compared with it.');

    // The source's checkpoints up to the backup's head (those after it describe entries made after the
    // backup, which it cannot hold), and the head the manifest recorded, as one more checkpoint.
    const checkpoints: AuditCheckpoint[] = [];
    let later: AuditCheckpoint[] = [];
    if (manifest) {
      const file = await readCheckpoints(config.audit.checkpointFile, manifest.database);
      const head = manifest.auditHead?.seq ?? 0;
      checkpoints.push(...file.checkpoints.filter((checkpoint) => checkpoint.seq <= head));
      later = file.checkpoints.filter((checkpoint) => checkpoint.seq > head);
      if (manifest.auditHead)
        checkpoints.push({
          type: 'audit_checkpoint',
          database: manifest.database,
          seq: manifest.auditHead.seq,
          hash: manifest.auditHead.hash,
          at: manifest.createdAt,
        });
    }
    // Entries waiting for the chain in the backup are chained when the app starts: not overdue here.
    const result = await verifyAuditChain(dataSource, {
      key: config.audit.key,
      checkpoints,
      boundMs: Number.POSITIVE_INFINITY,
    });
    if (result.problems.length) {
      ok = false;
      console.error(
        'The restored audit chain does NOT verify with AUDIT_KEY (is it the key of the installation the backup ' +
          'came from?). Problems:',
      );
      for (const { from, to, problem } of result.problems.slice(0, 20))
        console.error(`  - ${from === to ? `entry ${from}` : `entries ${from}-${to}`}: ${problem}`);
    } else
      console.log(
        `Audit chain intact: ${result.checked} entries verified with the key` +
          (result.head ? `, head at entry ${result.head.seq}` : '') +
          (manifest?.auditHead ? ', as the backup recorded' : '') +
          (checkpoints.length > 1
            ? `, agreeing with ${checkpoints.length - 1} checkpoints of ${manifest!.database}`
            : '') +
          (result.unchained
            ? `; ${result.unchained} entries wait for the chain (the app chains them when it starts).`
            : '.'),
      );
    if (later.length) {
      const newest = later.reduce((top, c) => (c.seq > top.seq ? c : top));
      console.log(
        `NOTE: ${config.audit.checkpointFile} has checkpoints of ${manifest!.database} up to entry ${newest.seq} ` +
          `(${newest.at}): entries after ${manifest!.auditHead?.seq ?? 0} were made after this backup and are not in it.`,
      );
      if (checkpointDatabaseName(target) === manifest!.database)
        console.log(
          'The restore went to the same database name, so `npm run audit:verify` will report those entries as ' +
            'removed: keep that checkpoint file as the record of them, and give the app a new AUDIT_CHECKPOINT_FILE.',
        );
    }
  } finally {
    await dataSource.destroy();
  }
  return ok;
}

async function main(): Promise<number> {
  let file: string;
  try {
    const { positionals } = parseArgs({ args: process.argv.slice(2), options: {}, allowPositionals: true });
    if (positionals.length !== 1) throw new Error('Name the one backup file to restore.');
    file = resolve(positionals[0]);
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return EXIT.refused;
  }
  const config = loadConfigOrExplain(process.env);
  if (!config) return EXIT.refused;
  const target = config.database;
  try {
    if (!existsSync(file)) throw new Refusal(`There is no backup at ${file}.`);
    const manifest = readManifest(file);
    if (manifest && manifest.engine !== target.kind)
      throw new Refusal(
        `The backup is of a ${manifest.engine} database and DATABASE_URL names a ${target.kind} one: nothing was changed.`,
      );
    if (target.kind === 'sqlite') await restoreSqlite(target, file);
    else await restorePostgres(target, file);
    console.log(`Restored ${file} into ${checkpointDatabaseName(target)}.`);
    let verified: boolean;
    try {
      verified = await verifyRestored(config, manifest);
    } catch (error) {
      console.error(`Restored, but checking it failed: ${(error as Error).message}`);
      verified = false;
    }
    if (!verified) {
      console.error(
        'Restored, but the checks above failed: do not put this database into service before finding out why.',
      );
      return EXIT.unverified;
    }
    console.log('Restored and verified.');
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(error.message);
      return EXIT.refused;
    }
    console.error(`The restore could not run: ${(error as Error).message}`);
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
