import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { Repository } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AuditChainer, SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import {
  auditCaughtUp,
  auditEntries,
  releaseChainLocks,
  whileChainLocked as lockedChain,
} from '../support/audit-chain';
import { statementsSent } from '../support/count-queries';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/** Asks `check` again, without a fixed wait, until it holds (a hang is caught by the tier's timeout). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * The audit append's cost and its guard. On SQLite the writer chains a transaction's entries onto the
 * head it last committed without reading it, in one insert that inserts nothing unless that is still
 * the head; anything else writing to the chain (a script, a second instance) must never fork it.
 */
describe('audit append', () => {
  let testApp: TestApp;
  let audit: AuditService;
  let unitOfWork: UnitOfWork;
  let dsp: Actor;
  /** A head teacher of the DSP's school: reads the audit page of the school's staff's actions. */
  let head: Actor;
  /** A second app on the same database, as a script (`admin:create`) or a second instance would be. */
  let other: INestApplication;

  const entries = async () => (await auditEntries(testApp)).find({ order: { seq: 'ASC' } });
  async function expectWholeChain(): Promise<AuditEntry[]> {
    const all = await entries();
    const { checked, broken } = await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key });
    expect(broken).toBeNull();
    expect(checked).toBe(all.length);
    expect(all.map((entry) => entry.seq)).toEqual(all.map((_, i) => i + 1));
    return all;
  }
  /** An audited read of nothing but its entries, as every audited read ends. */
  const read = (app: INestApplication, ...ids: string[]) =>
    app.get(UnitOfWork).read(async (manager) => {
      for (const id of ids) await app.get(AuditService).record(manager, dsp, 'pupil.viewed', { type: 'pupil', id });
    });
  const write = (app: INestApplication, id: string) =>
    app
      .get(UnitOfWork)
      .run((manager) => app.get(AuditService).record(manager, dsp, 'pupil.viewed', { type: 'pupil', id }));

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    audit = testApp.app.get(AuditService);
    unitOfWork = testApp.app.get(UnitOfWork);
    const factory = new Factory(testApp.dataSource);
    const school = await factory.school(await factory.localAuthority());
    dsp = await factory.actor(school, 'dsp');
    head = await factory.actor(school, 'head_teacher');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(testApp.config)] }).compile();
    other = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await other.init();
  });

  const whileChainLocked = <T>(work: (locker: Client) => Promise<T>) => lockedChain(testApp.database.url, work);
  afterEach(() => releaseChainLocks());

  afterAll(async () => {
    await other.close();
    await testApp.close();
  });

  /** The DSP's organisation's `pupil.viewed` entries, as `audit_counts` has them in all. */
  const viewsCounted = async () => {
    const rows = await testApp.dataSource.query<Array<{ n: unknown }>>(
      `SELECT n FROM audit_counts WHERE organisation_id = ${onPostgres ? '$1' : '?'} AND span = 'all' AND action = 'pupil.viewed'`,
      [dsp.organisationId],
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('writes an audited read’s entry, counted, with one statement on SQLite’s writer', async () => {
    await read(testApp.app, 'before counting');
    await auditCaughtUp(testApp); // PostgreSQL: counted once chained, behind the request
    const countedBefore = await viewsCounted();
    if (onPostgres) {
      // The request's own statements, and nothing it waits for: with the chain lock held elsewhere no
      // chaining run can finish, and the read answers all the same. (The run its commit asks for sends
      // its BEGIN and its lock on a connection of its own, blocked: `statementsSent` leaves runs out.)
      const sent = await whileChainLocked(() => statementsSent(testApp.dataSource, () => read(testApp.app, 'counted')));
      expect(sent.map(({ sql }) => sql)).toEqual([
        'START TRANSACTION',
        expect.stringMatching(/^INSERT INTO "audit_pending"/),
        'COMMIT',
      ]);
      // Chained (moved and counted in one statement) behind the request.
      await auditCaughtUp(testApp);
    } else {
      // The writer's statements (its logger; the read itself ran on a read-only connection): the guarded
      // insert alone, no BEGIN or COMMIT around one statement, and the trigger counts.
      const spy = jest.spyOn(testApp.dataSource.logger, 'logQuery');
      await read(testApp.app, 'counted');
      const sent = spy.mock.calls
        .map(([sql]) => sql)
        .filter((sql) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
      spy.mockRestore();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^INSERT INTO audit_entries .* WHERE \(SELECT hash FROM audit_entries WHERE seq = \?\)/s);
    }
    const all = await expectWholeChain();
    expect(all[all.length - 1].subjectId).toBe('counted');
    expect(await viewsCounted()).toBe(countedBefore + 1);
  });

  // SQLite only: PostgreSQL has no writer queue for reads to wait in.
  (onPostgres ? it.skip : it)(
    'appends the entries of every read waiting for the writer with one statement',
    async () => {
      await read(testApp.app, 'before waiting');
      // Hold the writer, let five reads finish on the read connections and queue behind it, then let go.
      let release: (() => void) | undefined;
      const held = unitOfWork.run(() => new Promise<void>((resolve) => (release = resolve)));
      const reads = Array.from({ length: 5 }, (_, i) => read(testApp.app, `waiting ${i} a`, `waiting ${i} b`));
      const queued = () => (unitOfWork as unknown as { readSteps: unknown[] }).readSteps?.length ?? 0;
      while (queued() < 5 || !release) await new Promise((resolve) => setTimeout(resolve, 5));
      const spy = jest.spyOn(testApp.dataSource.logger, 'logQuery');
      release();
      await Promise.all([held, ...reads]);
      const sent = spy.mock.calls
        .map(([sql]) => sql)
        .filter((sql) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
      spy.mockRestore();
      // The held transaction's COMMIT, then one guarded insert of all ten entries.
      expect(sent.map((sql) => sql.split(' ')[0])).toEqual(['COMMIT', 'INSERT']);
      // Each read's two entries together, the reads in the order they finished.
      const last = (await expectWholeChain()).slice(-10).map((entry) => entry.subjectId);
      const pairs = Array.from({ length: 5 }, (_, i) => last.slice(2 * i, 2 * i + 2));
      expect(pairs.map(([a, b]) => b === a.replace(/ a$/, ' b'))).toEqual(Array(5).fill(true));
      expect(pairs.map(([a]) => a).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `waiting ${i} a`));
    },
  );

  it('chains a read’s entry in a transaction when the head it guessed has moved (SQLite)', async () => {
    await read(testApp.app, 'before the other');
    await write(other, 'other, behind this one’s back');
    const spy = jest.spyOn(testApp.dataSource.logger, 'logQuery');
    await read(testApp.app, 'after the other');
    const sent = spy.mock.calls
      .map(([sql]) => sql)
      .filter((sql) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
    spy.mockRestore();
    if (!onPostgres)
      // The guarded insert inserts nothing; then BEGIN, the write lock (a delete of nothing), the head,
      // the insert onto it, COMMIT.
      expect(sent.map((sql) => sql.split(' ')[0])).toEqual(['INSERT', 'BEGIN', 'DELETE', 'SELECT', 'INSERT', 'COMMIT']);
    const all = await expectWholeChain();
    expect(all.slice(-3).map((entry) => entry.subjectId)).toEqual([
      'before the other',
      'other, behind this one’s back',
      'after the other',
    ]);
  });

  (onPostgres ? it : it.skip)(
    'answers an audited read while another session holds the chain lock; the audit page then shows its entry',
    async () => {
      const subject = 'read while the chain is locked';
      await whileChainLocked(async (locker) => {
        // Before: the request waited for a chaining run, which waited for this lock: it never answered.
        await read(testApp.app, subject);
        // Durable already: committed in the queue, not yet on the chain.
        const pending = await locker.query('SELECT position FROM audit_pending WHERE subject_id = $1', [subject]);
        expect(pending.rows).toHaveLength(1);
        const chained = await locker.query('SELECT seq FROM audit_entries WHERE subject_id = $1', [subject]);
        expect(chained.rows).toHaveLength(0);
      });
      // The page chains what is pending before it reads: the entry is there without waiting for a sweep.
      const listing = await audit.page(head, { actorId: dsp.userId, pageSize: 1 });
      expect(listing.items.map((item) => item.subjectId)).toEqual([subject]);
      const all = await expectWholeChain();
      expect(all[all.length - 1].subjectId).toBe(subject);
    },
  );

  (onPostgres ? it : it.skip)(
    'chains what is pending before the audit page reads, whichever instance committed it',
    async () => {
      // Nothing else chains meanwhile: neither instance's sweep, nor the run a commit asks for.
      const quiet = [testApp.app, other].flatMap((app) => {
        const chainer = app.get(AuditChainer);
        return [
          jest.spyOn(chainer as unknown as { sweep: () => Promise<void> }, 'sweep').mockResolvedValue(undefined),
          jest.spyOn(chainer, 'chainLater').mockImplementation(() => undefined),
        ];
      });
      const before = (await audit.page(head, { actorId: dsp.userId })).total;
      try {
        await read(testApp.app, 'pending, this instance');
        await write(other, 'pending, the other instance');
        const [{ n }] = await testApp.dataSource.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM audit_pending');
        expect(Number(n)).toBe(2);
        const listing = await audit.page(head, { actorId: dsp.userId, pageSize: 2 });
        expect(listing.items.map((item) => item.subjectId)).toEqual([
          'pending, the other instance',
          'pending, this instance',
        ]);
        // The counts the page shows are the chain's, so they include them too.
        expect(listing.total).toBe(before + 2);
        expect((await audit.page(head, {})).total).toBe((await audit.page(head, { actorId: dsp.userId })).total);
      } finally {
        for (const spy of quiet) spy.mockRestore();
      }
      await expectWholeChain();
    },
  );

  (onPostgres ? it : it.skip)('keeps a pending entry through a failed chaining run; the sweep chains it', async () => {
    const chainer = testApp.app.get(AuditChainer);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // Every chaining run fails until restored: this app's and the other instance's (whose sweep would
    // otherwise chain the entry, as it should).
    const failing = [chainer, other.get(AuditChainer)].map((instance) =>
      jest
        .spyOn(instance as unknown as { chainBatch: () => Promise<number> }, 'chainBatch')
        .mockRejectedValue(new Error('the database went away')),
    );
    const subject = 'survives a failed run';
    try {
      await read(testApp.app, subject);
      // The run the commit asked for fails; the read has answered all the same.
      await expect(chainer.chainSoon()).rejects.toThrow('the database went away');
      await until(() => logged.mock.calls.some(([message]) => String(message).includes('the database went away')));
      const [{ n }] = await testApp.dataSource.query<Array<{ n: string }>>(
        'SELECT COUNT(*) AS n FROM audit_pending WHERE subject_id = $1',
        [subject],
      );
      expect(Number(n)).toBe(1);
    } finally {
      for (const spy of failing) spy.mockRestore();
    }
    // Nobody asks again: the sweep (every second) finds it and chains it.
    await until(async () => {
      const rows = await testApp.dataSource.query<unknown[]>('SELECT 1 FROM audit_pending LIMIT 1');
      return rows.length === 0;
    });
    process.off('unhandledRejection', onUnhandled);
    logged.mockRestore();
    expect(unhandled).toEqual([]);
    const all = await expectWholeChain();
    expect(all[all.length - 1].subjectId).toBe(subject);
  });

  it('keeps each read’s entries together when many reads share the writer’s transaction', async () => {
    const before = (await entries()).length;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => read(testApp.app, `read ${i} a`, `read ${i} b`, `read ${i} c`)),
    );
    const all = (await expectWholeChain()).slice(before);
    expect(all).toHaveLength(36);
    for (let i = 0; i < all.length; i += 3)
      expect(all.slice(i, i + 3).map((entry) => entry.subjectId)).toEqual(
        ['a', 'b', 'c'].map((suffix) => all[i].subjectId.replace(/a$/, suffix)),
      );
  });

  it('chains onto what another process appended behind the head it last wrote', async () => {
    await read(testApp.app, 'this, first');
    await write(other, 'other, behind this one’s back');
    await read(other, 'other, a read');
    await read(testApp.app, 'this, after the other');
    await write(testApp.app, 'this, a write');
    await write(other, 'other, again');
    await read(testApp.app, 'this, last');
    const all = await expectWholeChain();
    expect(all.slice(-7).map((entry) => entry.subjectId)).toEqual([
      'this, first',
      'other, behind this one’s back',
      'other, a read',
      'this, after the other',
      'this, a write',
      'other, again',
      'this, last',
    ]);
  });

  // SQLite only: PostgreSQL's reads are transactions of their own (`run`), not queued for a writer.
  (onPostgres ? it.skip : it)(
    'never answers a read whose entries a failed writer transaction took with it (SQLite)',
    async () => {
      await read(testApp.app, 'before the failure');
      // The head moves behind this process's back, so the read's guarded insert inserts nothing and its
      // entries go in a transaction, whose insert fails once (a busy database, a full disk).
      await write(other, 'other, behind this one’s back');
      const insert = jest
        .spyOn(Repository.prototype, 'insert')
        .mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
      const outcome = await read(testApp.app, 'after the failure').then(
        () => 'answered',
        () => 'failed',
      );
      expect(insert).toHaveBeenCalled(); // the failure happened
      insert.mockRestore();
      // The unit of work retries the read alone: it must append the read's entries again, not an empty
      // queue the failed transaction had emptied (answering without the entry on the chain).
      expect(outcome).toBe('answered');
      const all = await expectWholeChain();
      expect(all.slice(-2).map((entry) => entry.subjectId)).toEqual([
        'other, behind this one’s back',
        'after the failure',
      ]);
    },
  );

  // SQLite only, as above: several reads waiting for the writer, their shared transaction failing once.
  (onPostgres ? it.skip : it)(
    'appends every read’s entries when their shared writer transaction failed and each is retried alone (SQLite)',
    async () => {
      await read(testApp.app, 'before the shared failure');
      await write(other, 'other, before the shared failure'); // no guarded insert: the transaction runs
      let release: (() => void) | undefined;
      const held = unitOfWork.run(() => new Promise<void>((resolve) => (release = resolve)));
      const reads = ['shared 0', 'shared 1', 'shared 2'].map((id) => read(testApp.app, id));
      const queued = () => (unitOfWork as unknown as { readSteps: unknown[] }).readSteps?.length ?? 0;
      while (queued() < 3 || !release) await new Promise((resolve) => setTimeout(resolve, 5));
      const insert = jest
        .spyOn(Repository.prototype, 'insert')
        .mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
      release();
      await Promise.all([held, ...reads]);
      expect(insert).toHaveBeenCalled(); // the failure happened: the retries' inserts came after it
      insert.mockRestore();
      const last = (await expectWholeChain()).slice(-3).map((entry) => entry.subjectId);
      expect(last.sort()).toEqual(['shared 0', 'shared 1', 'shared 2']);
    },
  );

  it('chains onto the real head after a transaction that appended rolled back', async () => {
    await read(testApp.app, 'before the rollback');
    await expect(
      unitOfWork.run(async (manager) => {
        await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: 'rolled back' });
        unitOfWork.beforeCommit(manager, {}, () => ({
          run: () => Promise.reject(new Error('failed after the append')),
        }));
      }),
    ).rejects.toThrow('failed after the append');
    await read(testApp.app, 'after the rollback');
    const all = await expectWholeChain();
    expect(all.slice(-2).map((entry) => entry.subjectId)).toEqual(['before the rollback', 'after the rollback']);
  });

  it('keeps one chain while two instances read and write at once', async () => {
    const before = (await entries()).length;
    const apps = [testApp.app, other];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 3 ? read(apps[i % 2], `both ${i} a`, `both ${i} b`) : write(apps[i % 2], `both ${i}`),
      ),
    );
    const all = await expectWholeChain();
    expect(all.length - before).toBe(20 + 13);
  });
});
