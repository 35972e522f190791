import { DataSource, Logger } from 'typeorm';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';

/**
 * Every SQL statement TypeORM sends while `work` runs (the DataSource's logger sees each one, logging on
 * or off; spied on its class, so the statements of SQLite's read-only connections, which UnitOfWork
 * opens with a logger of the same class, count too), except the audit chainer's once-a-second probe on PostgreSQL and the audit checkpoint's
 * once-a-minute read of the head, which timers send whenever they fire, not the work.
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
    return spy.mock.calls.filter(([sql]) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL && which(sql))
      .length;
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
    return spy.mock.calls
      .map(([sql, , runner]) => ({ sql, runner }))
      .filter(({ sql }) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
  } finally {
    spy.mockRestore();
  }
}
