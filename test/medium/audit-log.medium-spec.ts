import { rebuildAuditPupilIds } from '../../src/audit/audit-pupil-column';
import { AuditService } from '../../src/audit/audit.service';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditCaughtUp, auditEntries } from '../support/audit-chain';

describe(AuditService.name, () => {
  let testApp: TestApp;
  let audit: AuditService;
  let unitOfWork: UnitOfWork;
  let dsp: Actor;
  let head: Actor;
  let pupil: Pupil;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    audit = testApp.app.get(AuditService);
    unitOfWork = testApp.app.get(UnitOfWork);
    const factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    dsp = await factory.actor(school, 'dsp', { name: 'Dana Ellis' });
    head = await factory.actor(school, 'head_teacher');
    pupil = await factory.pupil(school);
  });

  afterAll(() => testApp.close());

  it('records who opened a pupil, and the head teacher can see it', async () => {
    await testApp.app.get(PupilsService).get(dsp, pupil.id);
    const entries = await audit.list(head, { subjectType: 'pupil', subjectId: pupil.id });
    expect(entries[0]).toEqual(
      expect.objectContaining({
        action: 'pupil.viewed',
        subjectId: pupil.id,
        actor: { id: dsp.userId, name: 'Dana Ellis', role: 'dsp' },
      }),
    );
  });

  it("filters by pupil: the pupil's own record and every entry naming them, by id or by name, also for entries written before the column", async () => {
    const factory = new Factory(testApp.dataSource);
    const other = await factory.pupil(null);
    const concernId = '5c0e0e0e-0000-4000-8000-000000000001';
    await unitOfWork.run(async (manager) => {
      await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: pupil.id });
      await audit.record(manager, dsp, 'concern.viewed', { type: 'concern', id: concernId }, { pupilId: pupil.id });
      await audit.record(manager, dsp, 'concern.viewed', { type: 'concern', id: concernId }, { pupilId: other.id });
      await audit.record(
        manager,
        dsp,
        'pupil_list.viewed',
        { type: 'pupil_list', id: dsp.organisationId },
        {
          pupilIds: [pupil.id],
        },
      );
    });
    const about = async (input: { pupilId?: string; pupil?: string }) =>
      (await audit.page(head, input)).items.map((item) => `${item.action}:${item.pupil?.id ?? '-'}`);
    const expected = [`concern.viewed:${pupil.id}`, `pupil.viewed:${pupil.id}`];
    expect((await about({ pupilId: pupil.id })).slice(0, 2)).toEqual(expected);
    expect(await about({ pupilId: pupil.id })).not.toContain(`concern.viewed:${other.id}`);
    expect((await about({ pupil: pupil.firstName })).slice(0, 2)).toEqual(expected);
    const total = (await audit.page(head, { pupilId: pupil.id })).total;
    // Entries from before the column (or a raw bulk load) are found once the backfill has run, and the chain still verifies.
    await testApp.dataSource.query('UPDATE audit_entries SET pupil_id = NULL');
    expect((await audit.page(head, { pupilId: pupil.id })).total).toBe(0);
    await rebuildAuditPupilIds(testApp.dataSource.manager);
    expect((await audit.page(head, { pupilId: pupil.id })).total).toBe(total);
    expect((await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key })).broken).toBeNull();
  });

  it('writes nothing when the change it belongs to is rolled back', async () => {
    const before = await (await auditEntries(testApp)).count();
    await expect(
      unitOfWork.run(async (manager) => {
        await audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: pupil.id });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await (await auditEntries(testApp)).count()).toBe(before);
    expect((await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key })).broken).toBeNull();
  });

  it('keeps one gap-free chain when many requests write at once', async () => {
    await Promise.all(
      Array.from({ length: 25 }, () =>
        unitOfWork.run((manager) => audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: pupil.id })),
      ),
    );
    await auditCaughtUp(testApp);
    const { checked, broken } = await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key });
    expect(broken).toBeNull();
    expect(checked).toBe(await (await auditEntries(testApp)).count());
    expect(checked).toBeGreaterThanOrEqual(26);
  });

  it('names the first altered entry, and notices a removed one', async () => {
    await testApp.dataSource.query(`UPDATE audit_entries SET subject_id = 'someone-else' WHERE seq = 3`);
    expect((await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key })).broken).toEqual(
      expect.objectContaining({ seq: 3, problem: expect.stringMatching(/altered/) }),
    );
    await testApp.dataSource.query(`DELETE FROM audit_entries WHERE seq = 3`);
    expect((await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key })).broken).toEqual(
      expect.objectContaining({ seq: 4, problem: expect.stringMatching(/removed/) }),
    );
  });
});
