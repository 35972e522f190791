import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { IdempotencyKey } from '../../src/dsp/submissions/idempotency-key.entity';
import {
  IDEMPOTENCY_KEY_LIFETIME_MS,
  IdempotencyKeyReusedError,
  IdempotentRequest,
} from '../../src/dsp/submissions/idempotency';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

/**
 * A creation sent twice under one key (a double-submitted form, a client's retry) creates once, on
 * SQLite and on PostgreSQL (DATABASE_URL): the key is claimed in the creation's own transaction under
 * the primary key (user, key), and the repeat answers the stored answer.
 */
describe('idempotent creations', () => {
  let testApp: TestApp;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let factory: Factory;
  let school: Organisation;
  let dsp: Actor;
  let otherDsp: Actor;
  let pupil: Pupil;

  /** A request under `key`, as the API's header makes it; `replays` counts the answers given from the store. */
  const request = (key: string, route: string, bodyHash: string | null = 'body-1') => {
    const made = { key, route, bodyHash, replays: 0, replayed: () => void made.replays++ };
    return made satisfies IdempotentRequest;
  };
  const concernDto = (summary: string): RecordConcernDto => ({
    pupilId: pupil.id,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    category: 'wellbeing',
    summary,
    evidenceBasis: 'observed',
  });
  const concernsWithSummary = (summary: string) =>
    testApp.dataSource.getRepository(Concern).count({ where: { summary } });
  const count = (entity: typeof ConcernDecision | typeof ConcernClosure | typeof Escalation, concern: Concern) =>
    testApp.dataSource.getRepository(entity).count({ where: { concernId: concern.id } });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    school = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
    otherDsp = await factory.actor(school, 'dsp');
    pupil = await factory.pupil(school);
  });

  afterAll(() => testApp.close());

  it('records one concern for two identical requests at once, both answered with it; the repeat is audited as a view', async () => {
    const summary = `Sent twice at once ${newId()}`;
    const key = newId();
    const first = request(key, 'POST /api/concerns');
    const second = request(key, 'POST /api/concerns');
    const answers = await Promise.all([
      concerns.record(dsp, concernDto(summary), first),
      concerns.record(dsp, concernDto(summary), second),
    ]);
    expect(await concernsWithSummary(summary)).toBe(1);
    expect(answers[1].id).toBe(answers[0].id);
    expect(JSON.parse(JSON.stringify(answers[1]))).toEqual(JSON.parse(JSON.stringify(answers[0])));
    expect(first.replays + second.replays).toBe(1);
    const audit = await auditEntries(testApp);
    expect(await audit.count({ where: { action: 'concern.recorded', subjectId: answers[0].id } })).toBe(1);
    const views = await audit.find({ where: { action: 'concern.viewed', subjectId: answers[0].id } });
    expect(views.map((entry) => entry.details)).toEqual([{ pupilId: pupil.id, replayed: true }]);
  });

  it('records one decision, one referral and one closure for two identical requests at once', async () => {
    const concern = await factory.concern(pupil, dsp);
    const decisionRoute = `POST /api/concerns/${concern.id}/decision`;
    const dto = { outcome: 'monitor' as const, rationale: 'Keep an eye on attendance.' };
    const key = newId();
    await Promise.all([
      concerns.decide(dsp, concern.id, dto, request(key, decisionRoute)),
      concerns.decide(dsp, concern.id, dto, request(key, decisionRoute)),
    ]);
    expect(await count(ConcernDecision, concern)).toBe(1);

    const referral = {
      route: 'mash' as const,
      reasonForRoute: 'The child disclosed being hit at home last night.',
      consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
    };
    const referRoute = `POST /api/concerns/${concern.id}/escalations`;
    const referKey = newId();
    const sent = await Promise.all([
      escalations.send(dsp, concern.id, referral, request(referKey, referRoute)),
      escalations.send(dsp, concern.id, referral, request(referKey, referRoute)),
    ]);
    expect(sent[1].id).toBe(sent[0].id);
    expect(await count(Escalation, concern)).toBe(1);

    // The second close would break "already closed" (422): as a repeat it is answered as the first was.
    const closeRoute = `POST /api/concerns/${concern.id}/close`;
    const closeKey = newId();
    const closed = await Promise.all([
      concerns.close(dsp, concern.id, { rationale: 'MASH took it on.' }, request(closeKey, closeRoute)),
      concerns.close(dsp, concern.id, { rationale: 'MASH took it on.' }, request(closeKey, closeRoute)),
    ]);
    expect(closed[1]).toEqual(closed[0]);
    expect(await count(ConcernClosure, concern)).toBe(1);
  });

  it('refuses the same key for a different body or route (422 idempotency_key_reused), creating nothing', async () => {
    const key = newId();
    const summary = `First under the key ${newId()}`;
    await concerns.record(dsp, concernDto(summary), request(key, 'POST /api/concerns', 'body-1'));
    const other = `Second under the key ${newId()}`;
    await expect(
      concerns.record(dsp, concernDto(other), request(key, 'POST /api/concerns', 'body-2')),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    const concern = await factory.concern(pupil, dsp);
    await expect(
      concerns.close(dsp, concern.id, { rationale: 'Done.' }, request(key, `POST /api/concerns/${concern.id}/close`)),
    ).rejects.toMatchObject({ rule: 'idempotency_key_reused' });
    expect(await concernsWithSummary(other)).toBe(0);
    expect(await count(ConcernClosure, concern)).toBe(0);
  });

  it("keeps keys per person: another DSP's same key creates their own record", async () => {
    const key = newId();
    const summary = `Same key, two people ${newId()}`;
    const mine = await concerns.record(dsp, concernDto(summary), request(key, 'POST /api/concerns'));
    const theirs = await concerns.record(otherDsp, concernDto(summary), request(key, 'POST /api/concerns'));
    expect(theirs.id).not.toBe(mine.id);
    expect(await concernsWithSummary(summary)).toBe(2);
  });

  it('forgets a key after 24 hours: the expired row is deleted and the same key creates anew', async () => {
    const key = newId();
    const summary = `Retried a day later ${newId()}`;
    await concerns.record(dsp, concernDto(summary), request(key, 'POST /api/concerns'));
    const keys = testApp.dataSource.getRepository(IdempotencyKey);
    const dayAgo = new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_MS - 60_000);
    await keys.update({ userId: dsp.userId, key }, { createdAt: dayAgo });
    const staleOfSomeoneElse = newId();
    await keys.insert({
      userId: otherDsp.userId,
      key: staleOfSomeoneElse,
      route: 'POST /api/concerns',
      bodyHash: 'x',
      status: 201,
      body: '{}',
      subjectType: null,
      subjectId: null,
      pupilId: null,
      createdAt: dayAgo,
    });

    const replay = request(key, 'POST /api/concerns');
    await concerns.record(dsp, concernDto(summary), replay);
    expect(replay.replays).toBe(0);
    expect(await concernsWithSummary(summary)).toBe(2);
    expect(await keys.count({ where: { userId: otherDsp.userId, key: staleOfSomeoneElse } })).toBe(0);
  });

  it('lets a page form (no body hash) replay whatever the repeat carries, landing on the first record', async () => {
    const key = newId();
    const summary = `Page form ${newId()}`;
    const first = await concerns.record(dsp, concernDto(summary), request(key, 'POST /concerns', null));
    const again = await concerns.record(dsp, concernDto(`${summary} edited`), request(key, 'POST /concerns', null));
    expect(again.id).toBe(first.id);
    expect(await concernsWithSummary(`${summary} edited`)).toBe(0);
  });

  it('claims nothing when the creation fails, so a corrected repeat under the same key records', async () => {
    const concern = await factory.concern(pupil, dsp);
    await factory.closure(concern, dsp);
    const route = `POST /api/concerns/${concern.id}/decision`;
    const key = newId();
    const dto = { outcome: 'monitor' as const, rationale: 'Too late: it is closed.' };
    await expect(concerns.decide(dsp, concern.id, dto, request(key, route))).rejects.toMatchObject({
      rule: 'concern_closed',
    });
    expect(await testApp.dataSource.getRepository(IdempotencyKey).count({ where: { userId: dsp.userId, key } })).toBe(
      0,
    );
  });
});
