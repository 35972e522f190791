import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { FormSubmission } from '../../src/dsp/submissions/form-submission.entity';
import { claimSubmission, oncePerToken, SubmissionReplayedError } from '../../src/dsp/submissions/form-submissions';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * A page form posted twice at once (a double click) records once, on SQLite and on PostgreSQL
 * (DATABASE_URL): the one-use token is claimed in the record's own transaction, under a primary key.
 */
describe('one-use form tokens', () => {
  let testApp: TestApp;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let factory: Factory;
  let school: Organisation;
  let dsp: Actor;
  let pupil: Pupil;

  const count = (entity: typeof ConcernDecision | typeof ConcernClosure | typeof Escalation, concern: Concern) =>
    testApp.dataSource.getRepository(entity).count({ where: { concernId: concern.id } });
  const auditCount = (action: string) => testApp.dataSource.getRepository(AuditEntry).count({ where: { action } });

  /** Both outcomes of two calls started together: one records, the other is told it is a replay. */
  const bothAtOnce = async (call: () => Promise<unknown>) => {
    const results = await Promise.allSettled([call(), call()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(SubmissionReplayedError);
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    school = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
    pupil = await factory.pupil(school);
  });

  afterAll(() => testApp.close());

  it('records one decision, with one audit entry, for two identical concurrent posts; a new token records again', async () => {
    const concern = await factory.concern(pupil, dsp);
    const auditBefore = await auditCount('concern.decided');
    const token = newId();
    const dto = { outcome: 'monitor' as const, rationale: 'Keep an eye on attendance.' };
    await bothAtOnce(() => concerns.decide(dsp, concern.id, dto, token));
    expect(await count(ConcernDecision, concern)).toBe(1);
    expect(await auditCount('concern.decided')).toBe(auditBefore + 1);

    // A new page load records anew (a different decision; the same one within a minute is the one already made).
    await concerns.decide(dsp, concern.id, { ...dto, rationale: 'Attendance fell again.' }, newId());
    await concerns.decide(dsp, concern.id, { ...dto, rationale: 'And again.' });
    expect(await count(ConcernDecision, concern)).toBe(3);
  });

  it('sends one referral and closes once for two identical concurrent posts', async () => {
    const concern = await factory.concern(pupil, dsp);
    const referral = {
      route: 'mash' as const,
      reasonForRoute: 'The child disclosed being hit at home last night.',
      consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
    };
    const token = newId();
    await bothAtOnce(() => escalations.send(dsp, concern.id, referral, token));
    expect(await count(Escalation, concern)).toBe(1);

    const closeToken = newId();
    await bothAtOnce(() => concerns.close(dsp, concern.id, { rationale: 'MASH took it on.' }, closeToken));
    expect(await count(ConcernClosure, concern)).toBe(1);
  });

  it('lets only one of two transactions racing for a token claim it, even without the row lock (the primary key)', async () => {
    const concern = await factory.concern(pupil, dsp);
    const unitOfWork = testApp.app.get(UnitOfWork);
    const token = newId();
    const claim = () =>
      oncePerToken(token, () =>
        unitOfWork.run((manager) => claimSubmission(manager, dsp, token, { kind: 'decision', concernId: concern.id })),
      );
    await bothAtOnce(claim);
    expect(await testApp.dataSource.getRepository(FormSubmission).count({ where: { token } })).toBe(1);
  });

  it("refuses a token used for another concern's form as invalid input, recording nothing", async () => {
    const first = await factory.concern(pupil, dsp);
    const second = await factory.concern(pupil, dsp);
    const token = newId();
    const dto = { outcome: 'monitor' as const, rationale: 'Keep an eye on attendance.' };
    await concerns.decide(dsp, first.id, dto, token);
    await expect(concerns.decide(dsp, second.id, dto, token)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await count(ConcernDecision, second)).toBe(0);
  });
});
