import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernRepository } from '../../src/dsp/concerns/concern.repository';
import { concernStatus, ConcernStatusFacts, ConcernStatusSql } from '../../src/dsp/concerns/concern-status';
import { CONCERN_STATUSES } from '../../src/dsp/concerns/dto/list-concerns.dto';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationStateReader } from '../../src/dsp/escalations/escalation-state';
import {
  ESCALATION_STATUSES,
  referralStatus,
  ReferralStatusFacts,
  ReferralStatusSql,
} from '../../src/dsp/escalations/referral-status';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * Each derived status is defined once, as a code rule and the same rule in SQL side by side. Every
 * combination of the records it is derived from is built here, and the SQL must pick out exactly the
 * records the code names, on both engines.
 */
describe('derived statuses: the SQL and the code agree', () => {
  let testApp: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
  });

  afterAll(() => testApp.close());

  const bools = [false, true];

  it('a concern: awaiting triage, open, closed', async () => {
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsp = await factory.actor(school, 'dsp');
    const pupil = await factory.pupil(school);
    const expected = new Map<string, string>();
    for (const closed of bools)
      for (const decided of bools)
        for (const referred of bools) {
          const facts: ConcernStatusFacts = { closed, decided, referred };
          const concern = await factory.concern(pupil, dsp);
          if (decided) await factory.decision(concern, dsp);
          if (referred) await factory.escalation(concern, dsp);
          if (closed) await factory.closure(concern, dsp);
          expected.set(concern.id, concernStatus(facts));
        }
    expect(new Set(expected.values())).toEqual(new Set(CONCERN_STATUSES));

    for (const status of CONCERN_STATUSES) {
      const rows = await testApp.dataSource
        .getRepository(Concern)
        .createQueryBuilder('concern')
        .select('concern.id', 'id')
        .where('concern.pupil_id = :pupilId', { pupilId: pupil.id })
        .andWhere(ConcernStatusSql.is(status, 'concern'))
        .getRawMany<{ id: string }>();
      const byCode = [...expected].filter(([, s]) => s === status).map(([id]) => id);
      expect(rows.map((r) => r.id).sort()).toEqual(byCode.sort());
    }
    const ranks = await testApp.dataSource
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .select('concern.id', 'id')
      .addSelect(ConcernStatusSql.rank('concern'), 'rank')
      .where('concern.pupil_id = :pupilId', { pupilId: pupil.id })
      .getRawMany<{ id: string; rank: string | number }>();
    for (const row of ranks) expect(CONCERN_STATUSES[Number(row.rank)]).toBe(expected.get(row.id));

    const statuses = await testApp.app
      .get(ConcernRepository)
      .statusesOf(testApp.dataSource.manager, [...expected.keys()]);
    expect(Object.fromEntries(statuses)).toEqual(Object.fromEntries(expected));
  });

  it('a referral: sent, acknowledged, decided', async () => {
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsp = await factory.actor(school, 'dsp');
    const mash = await factory.actor(la, 'la_mash');
    const pupil = await factory.pupil(school);
    const concern = await factory.concern(pupil, dsp);
    const expected = new Map<string, string>();
    const escalations: Escalation[] = [];
    for (const acknowledged of bools)
      for (const decided of bools) {
        const facts: ReferralStatusFacts = { acknowledged, decided };
        const escalation = await factory.escalation(concern, dsp);
        if (acknowledged) await factory.acknowledgement(escalation, mash);
        if (decided) await factory.outcome(escalation, mash);
        expected.set(escalation.id, referralStatus(facts));
        escalations.push(escalation);
      }
    expect(new Set(expected.values())).toEqual(new Set(ESCALATION_STATUSES));

    for (const status of ESCALATION_STATUSES) {
      const rows = await testApp.dataSource
        .getRepository(Escalation)
        .createQueryBuilder('escalation')
        .select('escalation.id', 'id')
        .where('escalation.concern_id = :concernId', { concernId: concern.id })
        .andWhere(ReferralStatusSql.is(status, 'escalation'))
        .getRawMany<{ id: string }>();
      const byCode = [...expected].filter(([, s]) => s === status).map(([id]) => id);
      expect(rows.map((r) => r.id).sort()).toEqual(byCode.sort());
    }
    const withState = await testApp.app.get(EscalationStateReader).withState(testApp.dataSource.manager, escalations);
    for (const { escalation, status } of withState) expect(status).toBe(expected.get(escalation.id));
  });
});
