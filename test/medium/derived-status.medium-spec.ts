import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { ConcernState } from '../../src/dsp/concern-states/concern-state.entity';
import { rebuildConcernStates } from '../../src/dsp/concern-states/concern-states';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { InboxService } from '../../src/local-authority/inbox.service';
import { ConcernRepository } from '../../src/dsp/concerns/concern.repository';
import {
  concernStatus,
  ConcernStatusFacts,
  ConcernStatusSql,
  statusOfRank,
} from '../../src/dsp/concerns/concern-status';
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

  it('the stored concern state agrees with the rule after each kind of append, and with a rebuild', async () => {
    const concerns = testApp.app.get(ConcernsService);
    const escalations = testApp.app.get(EscalationsService);
    const inbox = testApp.app.get(InboxService);
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsp = await factory.actor(school, 'dsp');
    const teacher = await factory.actor(school, 'staff');
    const mash = await factory.actor(la, 'la_mash');
    const pupil = await factory.pupil(school);
    const manager = testApp.dataSource.manager;

    /** The stored row against concernStatus over the records, and the latest decision. */
    const agrees = async (concernId: string) => {
      const state = await manager.getRepository(ConcernState).findOneByOrFail({ concernId });
      const decisions = await manager
        .getRepository(ConcernDecision)
        .find({ where: { concernId }, order: { decidedAt: 'DESC', id: 'DESC' } });
      const facts: ConcernStatusFacts = {
        closed: await manager.getRepository(ConcernClosure).exists({ where: { concernId } }),
        decided: decisions.length > 0,
        referred: await manager.getRepository(Escalation).exists({ where: { concernId } }),
      };
      expect(statusOfRank(state.statusRank)).toBe(concernStatus(facts));
      expect(state.decisionId).toBe(decisions[0]?.id ?? null);
      return state;
    };
    const physical = {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      category: 'physical' as const,
      indicators: ['injury_suspected_non_accidental' as const],
      summary: 'Bruises on both upper arms',
      evidenceBasis: 'observed' as const,
    };
    const consent = { sought: false, reasonNotSought: 'The parent is the alleged abuser' };

    // Recorded: awaiting triage; an emergency indicator puts it first in the queue.
    const emergency = await concerns.record(teacher, { ...physical, indicators: ['immediate_danger'] });
    expect(await agrees(emergency.id)).toMatchObject({ statusRank: 0, emergency: true, triageRank: 0 });
    // A member of staff reports it when no DSP can be reached: open (referred), no decision.
    await escalations.send(teacher, emergency.id, { route: 'police', consent, dspUnavailable: true });
    expect(await agrees(emergency.id)).toMatchObject({ statusRank: 1, referred: true, decisionId: null });

    const concern = await concerns.record(teacher, physical);
    expect(await agrees(concern.id)).toMatchObject({ statusRank: 0, emergency: false, triageRank: 1 });
    // Decided to refer, phoned: open, the written referral due.
    const phonedAt = new Date(Date.now() - 600_000).toISOString();
    await concerns.decide(dsp, concern.id, { outcome: 'mash', rationale: 'Refer', phonedAt });
    expect(await agrees(concern.id)).toMatchObject({ statusRank: 1, referralPending: 'phoned' });
    // The referral sent on that route: nothing pending.
    const sent = await escalations.send(dsp, concern.id, { route: 'mash', consent });
    expect(await agrees(concern.id)).toMatchObject({ statusRank: 1, referralPending: null, referred: true });
    // MASH redirects it to early help (a referral the local authority appends on the concern).
    await inbox.acknowledge(mash, sent.id);
    await inbox.recordOutcome(mash, sent.id, { outcome: 'redirect_early_help', note: 'Family help fits' });
    expect(await manager.getRepository(Escalation).count({ where: { concernId: concern.id } })).toBe(2);
    await agrees(concern.id);
    // A later decision is the current one.
    const later = await concerns.decide(dsp, concern.id, {
      outcome: 'monitor',
      rationale: 'Watch for now',
      reasonForRoute: 'Early help already working with the family',
    });
    expect(await agrees(concern.id)).toMatchObject({
      decisionId: later.id,
      decisionOutcome: 'monitor',
      decisionBelowGuidance: true,
    });
    // Closed: last in the list, most recent first.
    await concerns.close(dsp, concern.id, { rationale: 'Family engaged' });
    expect(await agrees(concern.id)).toMatchObject({ statusRank: 2, referralPending: null });

    // Kept incrementally, the rows are exactly what a rebuild from the records gives.
    const all = () => manager.getRepository(ConcernState).find({ order: { concernId: 'ASC' } });
    const kept = await all();
    await testApp.dataSource.transaction((tx) => rebuildConcernStates(tx));
    expect(await all()).toEqual(kept);
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
