import { DataSource } from 'typeorm';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';

/**
 * Every SQL statement TypeORM sends while `work` runs (the DataSource's logger sees each one, logging on
 * or off), except the audit chainer's once-a-second probe on PostgreSQL and the audit checkpoint's
 * once-a-minute read of the head, which timers send whenever they fire, not the work.
 */
export async function countQueries(dataSource: DataSource, work: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(dataSource.logger, 'logQuery');
  try {
    await work();
    return spy.mock.calls.filter(([sql]) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL).length;
  } finally {
    spy.mockRestore();
  }
}
