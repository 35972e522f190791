import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

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
  /** A second app on the same database, as a script (`admin:create`) or a second instance would be. */
  let other: INestApplication;

  const entries = () => testApp.dataSource.getRepository(AuditEntry).find({ order: { seq: 'ASC' } });
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
    dsp = await factory.actor(await factory.school(await factory.localAuthority()), 'dsp');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(testApp.config)] }).compile();
    other = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await other.init();
  });

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
    const countedBefore = await viewsCounted();
    const spy = jest.spyOn(testApp.dataSource.logger, 'logQuery');
    await read(testApp.app, 'counted');
    // Every statement the writer sent but the timers' (the chainer's probe, the checkpoint's head).
    const sent = spy.mock.calls
      .map(([sql]) => sql)
      .filter((sql) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
    spy.mockRestore();
    if (onPostgres) {
      // The request's transaction inserts the entry into the queue; the chaining run it waits for moves
      // and counts it in one statement (a timer's run may share it, so its statements are not counted).
      expect(sent.filter((sql) => sql.startsWith('INSERT INTO "audit_pending"'))).toHaveLength(1);
      expect(sent.filter((sql) => /^\s*INSERT INTO audit_counts/.test(sql))).toHaveLength(0);
      expect(sent.filter((sql) => sql.includes('counted AS (INSERT INTO audit_counts'))).toHaveLength(1);
    } else {
      // The guarded insert alone: no BEGIN or COMMIT around one statement, and the trigger counts
      // (the read itself ran on a read-only connection).
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
      // The guarded insert inserts nothing; then BEGIN, the head, the insert onto it, COMMIT.
      expect(sent.map((sql) => sql.split(' ')[0])).toEqual(['INSERT', 'BEGIN', 'SELECT', 'INSERT', 'COMMIT']);
    const all = await expectWholeChain();
    expect(all.slice(-3).map((entry) => entry.subjectId)).toEqual([
      'before the other',
      'other, behind this one’s back',
      'after the other',
    ]);
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
