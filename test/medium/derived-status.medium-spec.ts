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
  REFERRAL_STATUS_RANK,
  referralStatus,
  ReferralStatusFacts,
  ReferralStatusSql,
} from '../../src/dsp/escalations/referral-status';
import { ReferralState } from '../../src/dsp/escalations/referral-state.entity';
import {
  REBUILD_REFERRAL_STATES_SQL,
  rebuildReferralStates,
} from '../../src/dsp/escalations/referral-state-projection';
import { BACKFILL_REFERRAL_STATES_SQL } from '../../src/database/migrations/1764640100000-ReferralStates';
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

/**
 * A referral's status is also stored (referral_states), written by EscalationRepository.append in the
 * transaction of every append. After each kind of append, through the services that make it, the
 * stored row must be what the rule in code derives from the records, and rebuilding every row from the
 * records (the migration's backfill, the dataset generator's rebuildReferralStates) must change nothing.
 */
describe('stored referral states: what the rule derives, after every kind of append', () => {
  let testApp: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
  });

  afterAll(() => testApp.close());

  type StoredState = Omit<ReferralState, 'sentAt' | 'dueBy' | 'acknowledgedAt' | 'decidedAt'> & {
    sentAt: string;
    dueBy: string;
    acknowledgedAt: string | null;
    decidedAt: string | null;
  };
  const iso = (at: Date | null) => (at ? at.toISOString() : null);
  const storedStates = async (): Promise<StoredState[]> =>
    (await testApp.dataSource.getRepository(ReferralState).find({ order: { escalationId: 'ASC' } })).map((row) => ({
      ...row,
      sentAt: row.sentAt.toISOString(),
      dueBy: row.dueBy.toISOString(),
      acknowledgedAt: iso(row.acknowledgedAt),
      decidedAt: iso(row.decidedAt),
    }));

  /** Every referral's stored state agrees with `referralStatus` over its own records. */
  const expectStoredStatesFollowTheRule = async () => {
    const escalations = await testApp.dataSource.getRepository(Escalation).find();
    const derived = await testApp.app.get(EscalationStateReader).withState(testApp.dataSource.manager, escalations);
    const stored = new Map((await storedStates()).map((row) => [row.escalationId, row]));
    expect(stored.size).toBe(escalations.length);
    for (const { escalation, acknowledgement, outcome } of derived) {
      const status = referralStatus({ acknowledged: acknowledgement !== null, decided: outcome !== null });
      expect(stored.get(escalation.id)).toMatchObject({
        statusRank: REFERRAL_STATUS_RANK[status],
        route: escalation.route,
        localAuthorityId: escalation.localAuthorityId,
        organisationId: escalation.organisationId,
        pupilId: escalation.pupilId,
        concernId: escalation.concernId,
        sentAt: escalation.sentAt.toISOString(),
        dueBy: escalation.dueBy.toISOString(),
        acknowledgedAt: iso(acknowledgement?.acknowledgedAt ?? null),
        decidedAt: iso(outcome?.decidedAt ?? null),
      });
      for (const s of ESCALATION_STATUSES) {
        const [row] = await testApp.dataSource.query<Array<{ n: string | number }>>(
          `SELECT COUNT(*) AS n FROM escalations e WHERE e.id = '${escalation.id}' AND ${ReferralStatusSql.is(s, 'e')}`,
        );
        expect([s, Number(row.n)]).toEqual([s, s === status ? 1 : 0]);
      }
    }
    return stored;
  };

  it('sent by a DSP, reported by staff, acknowledged, decided, and redirected by MASH to early help', async () => {
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsp = await factory.actor(school, 'dsp');
    const teacher = await factory.actor(school, 'staff');
    const mash = await factory.actor(la, 'la_mash');
    const earlyHelpTeam = await factory.actor(la, 'la_early_help');
    const concerns = testApp.app.get(ConcernsService);
    const escalations = testApp.app.get(EscalationsService);
    const inbox = testApp.app.get(InboxService);
    const concernAbout = async (recorder = dsp) =>
      concerns.record(recorder, {
        pupilId: (await factory.pupil(school)).id,
        occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
        category: 'wellbeing',
        indicators: ['disclosure_of_abuse'],
        summary: 'What was seen',
        evidenceBasis: 'observed',
      });
    const toMash = { route: 'mash' as const, consent: { sought: true, given: true, givenBy: 'Mother' } };

    const sent = await escalations.send(dsp, (await concernAbout()).id, toMash);
    const reported = await escalations.send(teacher, (await concernAbout(teacher)).id, {
      ...toMash,
      dspUnavailable: true,
    });
    const toAcknowledge = await escalations.send(dsp, (await concernAbout()).id, toMash);
    const toDecide = await escalations.send(dsp, (await concernAbout()).id, toMash);
    const toRedirect = await escalations.send(dsp, (await concernAbout()).id, toMash);
    let stored = await expectStoredStatesFollowTheRule();
    for (const id of [sent.id, reported.id, toDecide.id]) expect(stored.get(id)).toMatchObject({ statusRank: 0 });

    await inbox.acknowledge(mash, toAcknowledge.id);
    stored = await expectStoredStatesFollowTheRule();
    expect(stored.get(toAcknowledge.id)).toMatchObject({ statusRank: 1, decidedAt: null });

    // An outcome on a referral nobody acknowledged acknowledges it too: two appends, one state.
    await inbox.recordOutcome(mash, toDecide.id, { outcome: 'strategy_discussion', note: 'Meeting booked' });
    stored = await expectStoredStatesFollowTheRule();
    expect(stored.get(toDecide.id)).toMatchObject({ statusRank: 2, acknowledgedAt: expect.any(String) });

    const redirected = await inbox.recordOutcome(mash, toRedirect.id, { outcome: 'redirect_early_help', note: 'EH' });
    stored = await expectStoredStatesFollowTheRule();
    const earlyHelpId = redirected.earlyHelpEscalationId!;
    expect(stored.get(toRedirect.id)).toMatchObject({ statusRank: 2 });
    expect(stored.get(earlyHelpId)).toMatchObject({ statusRank: 0, route: 'early_help' });

    await inbox.recordOutcome(earlyHelpTeam, earlyHelpId, { outcome: 'family_help', note: 'Family help' });
    await expectStoredStatesFollowTheRule();

    // A refused append (a second acknowledgement) changes no state.
    const before = await storedStates();
    await expect(inbox.acknowledge(mash, toAcknowledge.id)).rejects.toMatchObject({ code: 'rule_broken' });
    expect(await storedStates()).toEqual(before);

    // Rebuilt from the records, every row is what the appends wrote.
    await testApp.dataSource.transaction((manager) => rebuildReferralStates(manager));
    expect(await storedStates()).toEqual(before);
  });

  it('rebuilds with the statement the migration backfilled with', () => {
    expect(REBUILD_REFERRAL_STATES_SQL[1]).toBe(BACKFILL_REFERRAL_STATES_SQL);
  });
});
