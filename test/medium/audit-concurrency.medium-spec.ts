import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/** Many transactions at once on a shared 2-core machine take a while; speed is not what is tested here. */
const MANY_AT_ONCE_MS = 120_000;

/**
 * The audit chain under concurrent writers: entries are queued on their transaction and appended under
 * the chain lock only as its last step before commit, so the chain stays one gap-free hash-chained order
 * and a rolled-back transaction leaves neither an entry nor a gap.
 */
describe('audit chain under concurrent writers', () => {
  let testApp: TestApp;
  let audit: AuditService;
  let unitOfWork: UnitOfWork;
  let concerns: ConcernsService;
  let dsp: Actor;
  let pupils: Pupil[];

  const draft = (pupil: Pupil, summary: string): RecordConcernDto => ({
    pupilId: pupil.id,
    occurredAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    category: 'wellbeing',
    summary,
    evidenceBasis: 'observed',
  });
  const entries = async () => (await auditEntries(testApp)).find({ order: { seq: 'ASC' } });
  async function expectWholeChain(): Promise<AuditEntry[]> {
    const all = await entries();
    const { checked, broken } = await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key });
    expect(broken).toBeNull();
    expect(checked).toBe(all.length);
    expect(all.map((entry) => entry.seq)).toEqual(all.map((_, i) => i + 1));
    return all;
  }

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    audit = testApp.app.get(AuditService);
    unitOfWork = testApp.app.get(UnitOfWork);
    concerns = testApp.app.get(ConcernsService);
    const factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
    pupils = [];
    for (let i = 0; i < 4; i += 1) pupils.push(await factory.pupil(school));
  });

  afterAll(() => testApp.close());

  it(
    'keeps one gap-free chain through many concurrent audited writes and reads, some rolled back',
    async () => {
      const before = (await entries()).length;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 60 }, async (_, i) => {
          const pupil = pupils[i % pupils.length];
          if (i % 5 === 0) {
            // A change that records a concern and its audit entry, then fails: both must go.
            return unitOfWork.run(async (manager) => {
              await audit.record(manager, dsp, 'concern.recorded', { type: 'concern', id: `rolled-back-${i}` });
              await manager.getRepository(Concern).count();
              throw new Error(`rolled back ${i}`);
            });
          }
          if (i % 5 === 1) return testApp.app.get(PupilsService).get(dsp, pupil.id); // an audited read
          return concerns.record(dsp, draft(pupil, `Concurrent concern ${i}`));
        }),
      );
      const failures = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [(outcome.reason as Error).message] : [],
      );
      expect(failures).toEqual(Array.from({ length: 12 }, (_, k) => `rolled back ${k * 5}`));

      const all = await expectWholeChain();
      const added = all.slice(before);
      expect(added).toHaveLength(48);
      expect(added.filter((entry) => entry.subjectId.startsWith('rolled-back-'))).toEqual([]);
      expect(added.filter((entry) => entry.action === 'pupil.viewed')).toHaveLength(12);
      const recorded = added.filter((entry) => entry.action === 'concern.recorded').map((entry) => entry.subjectId);
      const stored = await testApp.dataSource
        .getRepository(Concern)
        .find({ where: pupils.map((pupil) => ({ pupilId: pupil.id })), select: { id: true } });
      expect(recorded.sort()).toEqual(stored.map((concern) => concern.id).sort());
    },
    MANY_AT_ONCE_MS,
  );

  it(
    'appends one transaction’s entries together and in the order they were recorded',
    async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, t) =>
          unitOfWork.run(async (manager) => {
            for (let n = 0; n < 5; n += 1) {
              await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: `t${t}-n${n}` });
              await manager.getRepository(Pupil).count(); // let the other transactions interleave
            }
          }),
        ),
      );
      const all = await expectWholeChain();
      const mine = all.filter((entry) => /^t\d-n\d$/.test(entry.subjectId));
      expect(mine).toHaveLength(40);
      for (let start = 0; start < 40; start += 5) {
        const block = mine.slice(start, start + 5);
        const t = block[0].subjectId.split('-')[0];
        expect(block.map((entry) => entry.subjectId)).toEqual([0, 1, 2, 3, 4].map((n) => `${t}-n${n}`));
        expect(block[4].seq - block[0].seq).toBe(4);
      }
    },
    MANY_AT_ONCE_MS,
  );

  it('leaves neither an entry nor a gap when the transaction fails after its entries were appended', async () => {
    const before = await entries();
    await expect(
      unitOfWork.run(async (manager) => {
        await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: 'appended-then-failed' });
        // Registered after the audit log's step, so it runs after the append, just before COMMIT.
        unitOfWork.beforeCommit(manager, {}, () => ({
          run: () => Promise.reject(new Error('failed after the append')),
        }));
      }),
    ).rejects.toThrow('failed after the append');
    await unitOfWork.run((manager) =>
      audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: 'the next one' }),
    );
    const all = await expectWholeChain();
    expect(all).toHaveLength(before.length + 1);
    expect(all[all.length - 1]).toEqual(expect.objectContaining({ subjectId: 'the next one', seq: before.length + 1 }));
  });

  it('still appends at once in a transaction that is not a unit of work', async () => {
    await testApp.dataSource.transaction((manager) =>
      audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: 'outside a unit of work' }),
    );
    const all = await expectWholeChain();
    expect(all[all.length - 1].subjectId).toBe('outside a unit of work');
  });

  // On SQLite the unit of work queues whole transactions on its one connection, so this is PostgreSQL's.
  (onPostgres ? it : it.skip)(
    'does not hold the chain while a request is still working: a later writer commits first',
    async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let recorded!: () => void;
      const slowHasRecorded = new Promise<void>((resolve) => (recorded = resolve));
      const slow = unitOfWork.run(async (manager) => {
        await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: 'slow request' });
        recorded();
        await gate; // still working (guidance queries, say) after recording
      });
      await slowHasRecorded;
      // With the chain lock taken at `record`, this would wait for the slow request and never finish.
      await concerns.record(dsp, draft(pupils[0], 'Recorded while another request works'));
      release();
      await slow;
      const all = await expectWholeChain();
      expect(all.slice(-2).map((entry) => entry.subjectId)).toEqual([expect.any(String), 'slow request']);
      expect(all[all.length - 2].action).toBe('concern.recorded');
    },
  );
});
