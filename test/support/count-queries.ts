import { DataSource, Logger } from 'typeorm';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';
import { DatabaseLock } from '../../src/database/unit-of-work';

/** A statement as the DataSource's logger saw it: its SQL and the query runner (transaction) it went on. */
type Logged = [sql: string, parameters?: unknown, runner?: unknown];

/**
 * Leaves out the timers' statements (the chainer's probe, the checkpoint's head) and, on PostgreSQL,
 * every statement of a chaining run: the chainer puts committed audit entries on the chain behind the
 * request (docs/architecture.md, "Audit log"), so a run asked for by this work, or by earlier work, or
 * by the sweep may send some of its statements while the work runs, and none of them is the work's.
 * A run is known by its transaction (query runner): one that takes the chain lock or moves entries,
 * or one that has only begun (a transaction of the work's own always commits before the work ends).
 */
function ofTheWork(calls: Logged[]): Logged[] {
  const lock = `SELECT pg_advisory_xact_lock(${DatabaseLock.AuditChain});`;
  const byRunner = new Map<unknown, string[]>();
  for (const [sql, , runner] of calls) if (runner) byRunner.set(runner, [...(byRunner.get(runner) ?? []), sql]);
  const chaining = new Set(
    [...byRunner]
      .filter(
        ([, sqls]) =>
          sqls.some(
            (sql) => sql.startsWith(lock) || sql.trimStart().startsWith('WITH moved AS (DELETE FROM audit_pending'),
          ) ||
          (sqls.length === 1 && sqls[0] === 'START TRANSACTION'),
      )
      .map(([runner]) => runner),
  );
  return calls.filter(
    ([sql, , runner]) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL && !chaining.has(runner),
  );
}

/**
 * Every SQL statement TypeORM sends while `work` runs (the DataSource's logger sees each one, logging on
 * or off; spied on its class, so the statements of SQLite's read-only connections, which UnitOfWork
 * opens with a logger of the same class, count too), except the audit chainer's once-a-second probe on PostgreSQL and the audit checkpoint's
 * once-a-minute read of the head, which timers send whenever they fire, not the work, and the chaining
 * runs that put audit entries on the chain behind the work on PostgreSQL (`ofTheWork`).
 */
export async function countQueries(
  dataSource: DataSource,
  work: () => Promise<unknown>,
  which: (sql: string) => boolean = () => true,
): Promise<number> {
  const loggerClass = Object.getPrototypeOf(dataSource.logger) as Logger;
  const spy = jest.spyOn(loggerClass, 'logQuery');
  try {
    await work();
    return ofTheWork(spy.mock.calls as Logged[]).filter(([sql]) => which(sql)).length;
  } finally {
    spy.mockRestore();
  }
}

/** The statements that read the records: SELECTs, not the audit entry's (its chain head, its counts). */
export const readsOfRecords = (sql: string) => /^\s*SELECT\b/i.test(sql) && !/\baudit_/i.test(sql);

/** One statement TypeORM sent, and the query runner (connection, transaction) it was sent on. */
export interface SentStatement {
  sql: string;
  runner: unknown;
}

/**
 * Every statement sent while `work` runs, in order, with its query runner (the same exceptions as
 * `countQueries`): a test can then tell a transaction's statements from the reads around it.
 */
export async function statementsSent(dataSource: DataSource, work: () => Promise<unknown>): Promise<SentStatement[]> {
  const loggerClass = Object.getPrototypeOf(dataSource.logger) as Logger;
  const spy = jest.spyOn(loggerClass, 'logQuery');
  try {
    await work();
    return ofTheWork(spy.mock.calls as Logged[]).map(([sql, , runner]) => ({ sql, runner }));
  } finally {
    spy.mockRestore();
  }
}
