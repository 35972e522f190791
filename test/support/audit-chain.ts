import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, Repository } from 'typeorm';
import { AuditChainer } from '../../src/audit/audit-chainer';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DatabaseLock } from '../../src/database/unit-of-work';
import { queryPostgres } from './test-database';

/**
 * Waits until every audit entry committed before the call is on the chain (`audit_entries`), so a test
 * may read the chain straight after a request. On PostgreSQL a request's entries wait in
 * `audit_pending` and the chainer puts them on the chain behind the request: this awaits a chaining
 * run that starts after the call (the one the audit page awaits). On SQLite entries are chained in the
 * writer's own transaction, and this returns at once.
 */
export async function auditCaughtUp(testApp: { app: INestApplication }): Promise<void> {
  await testApp.app.get(AuditChainer).chainSoon();
}

/** The chain (`audit_entries`) once it has caught up (`auditCaughtUp`), to read straight after a request. */
export async function auditEntries(testApp: {
  app: INestApplication;
  dataSource: DataSource;
}): Promise<Repository<AuditEntry>> {
  await auditCaughtUp(testApp);
  return testApp.dataSource.getRepository(AuditEntry);
}

/**
 * The same for the built app running in other processes on a PostgreSQL database (specs that start it
 * as child processes): asks again until `audit_pending` is empty, which the instances' chainers make it
 * within a second of the last commit. Only once the writes the test waits for have been answered; a
 * hang is caught by the tier's timeout. On SQLite (no `audit_pending` rows) it returns at once.
 */
export async function untilAuditChained(databaseUrl: string): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return;
  for (;;) {
    const [{ n }] = await queryPostgres<{ n: string }>(databaseUrl, 'SELECT COUNT(*) AS n FROM audit_pending');
    if (Number(n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sessions holding the chain lock for `whileChainLocked`. */
const lockers = new Set<Client>();

/**
 * Runs `work` while a session of its own holds the audit chain's advisory lock on this PostgreSQL
 * database (as another instance's chaining run would), then releases it: no chaining run can finish
 * meanwhile, so work that waited for one would never end. A test using it calls `releaseChainLocks` in
 * `afterEach`, so a test that timed out inside `work` does not leave the lock held (and the app's
 * shutdown waiting for it).
 */
export async function whileChainLocked<T>(databaseUrl: string, work: (locker: Client) => Promise<T>): Promise<T> {
  const locker = new Client({ connectionString: databaseUrl });
  await locker.connect();
  lockers.add(locker);
  try {
    await locker.query('BEGIN');
    await locker.query('SELECT pg_advisory_xact_lock($1)', [DatabaseLock.AuditChain]);
    const result = await work(locker);
    await locker.query('COMMIT');
    return result;
  } finally {
    lockers.delete(locker);
    await locker.end();
  }
}

/** Ends every session `whileChainLocked` still holds (its lock goes with it). */
export async function releaseChainLocks(): Promise<void> {
  for (const locker of [...lockers]) {
    lockers.delete(locker);
    await locker.end();
  }
}
