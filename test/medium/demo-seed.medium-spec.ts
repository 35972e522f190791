import { DemoSeedService } from '../../src/seed/demo-seed.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Enrolment } from '../../src/school/enrolment.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { isValidUpn } from '../../src/school/upn';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationOutcome } from '../../src/dsp/escalations/escalation-outcome.entity';
import { bootTestApp, TestApp } from '../support/test-app';

describe(DemoSeedService.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: true });
  });

  afterAll(() => testApp.close());

  it('seeds the organisations of API.md under one local authority', async () => {
    const organisations = await testApp.dataSource.getRepository(Organisation).find();
    const la = organisations.find((o) => o.kind === 'local_authority')!;
    expect(la.name).toBe('Cardiff (demo)');
    expect(
      organisations
        .filter((o) => o.kind !== 'local_authority')
        .map((o) => [o.name, o.kind, o.localAuthorityId])
        .sort(),
    ).toEqual([
      ['Bridge PRU', 'pru', la.id],
      ['Hillcrest High', 'school', la.id],
      ['Riverside Primary', 'school', la.id],
    ]);
  });

  it('gives each school at least ten pupils with valid UPNs, siblings, and one Hillcrest pupil dual-registered at Bridge', async () => {
    const organisations = await testApp.dataSource.getRepository(Organisation).find();
    const idOf = (name: string) => organisations.find((o) => o.name === name)!.id;
    const enrolments = await testApp.dataSource.getRepository(Enrolment).find();
    const pupils = await testApp.dataSource.getRepository(Pupil).find();
    for (const school of ['Riverside Primary', 'Hillcrest High']) {
      expect(
        enrolments.filter((e) => e.organisationId === idOf(school) && e.type === 'main').length,
      ).toBeGreaterThanOrEqual(10);
    }
    expect(pupils.every((p) => isValidUpn(p.upn))).toBe(true);
    const dual = enrolments.filter((e) => e.type === 'dual');
    expect(dual).toHaveLength(1);
    expect(dual[0].organisationId).toBe(idOf('Bridge PRU'));
    expect(enrolments.find((e) => e.pupilId === dual[0].pupilId && e.type === 'main')!.organisationId).toBe(
      idOf('Hillcrest High'),
    );
    const households = new Map<string, number>();
    for (const p of pupils) if (p.householdId) households.set(p.householdId, (households.get(p.householdId) ?? 0) + 1);
    expect([...households.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(2);
  });

  it('gives a few pupils at each school a realistic history (a referral and its answer included) and leaves at least six per school without one', async () => {
    const organisations = await testApp.dataSource.getRepository(Organisation).find();
    const enrolments = await testApp.dataSource.getRepository(Enrolment).find();
    const concerns = await testApp.dataSource.getRepository(Concern).find();
    const withHistory = new Set(concerns.map((c) => c.pupilId));
    for (const school of ['Riverside Primary', 'Hillcrest High']) {
      const roll = enrolments
        .filter((e) => e.organisationId === organisations.find((o) => o.name === school)!.id && e.type === 'main')
        .map((e) => e.pupilId);
      expect(roll.filter((id) => withHistory.has(id)).length).toBeGreaterThanOrEqual(2);
      expect(roll.filter((id) => !withHistory.has(id)).length).toBeGreaterThanOrEqual(6);
    }
    expect(await testApp.dataSource.getRepository(EscalationOutcome).count()).toBeGreaterThanOrEqual(2);
    expect(await testApp.dataSource.getRepository(Escalation).countBy({ route: 'early_help' })).toBeGreaterThanOrEqual(
      2,
    );
    expect((await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key })).broken).toBeNull();
  });

  it('seeds only an empty database, so a restart or a second instance changes nothing', async () => {
    const before = await testApp.dataSource.getRepository(Pupil).count();
    await expect(testApp.app.get(DemoSeedService).seedIfEmpty()).resolves.toBe(false);
    expect(await testApp.dataSource.getRepository(Pupil).count()).toBe(before);
  });
});
