import { Actor } from '../../src/common/actor';
import {
  DECISION_OUTCOMES,
  DESIGNATED_OFFICER_OUTCOMES,
  EARLY_HELP_OUTCOMES,
  MASH_OUTCOMES,
} from '../../src/guidance/codes';
import { Organisation } from '../../src/organisations/organisation.entity';
import {
  ReferralBalanceCounts,
  ReferralBalanceItem,
  ReferralBalanceService,
} from '../../src/reports/referral-balance.service';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';

/**
 * The referral-balance counts on a real database (SQLite, or PostgreSQL with DATABASE_URL), with every
 * row placed by the Factory at known instants. The period is 1 September – 31 December 2025 (London):
 * it starts in BST (00:00 on 1 September is 23:00Z on 31 August) and ends in GMT.
 */
const PERIOD = { from: '2025-09-01', to: '2025-12-31' };
const FIRST_INSTANT = new Date('2025-08-31T23:00:00.000Z');
const JUST_BEFORE = new Date('2025-08-31T22:59:59.999Z');
const LAST_INSTANT = new Date('2025-12-31T23:59:59.999Z');
const JUST_AFTER = new Date('2026-01-01T00:00:00.000Z');
const IN_PERIOD = new Date('2025-10-15T10:00:00.000Z');
const NOW = new Date('2026-03-15T12:00:00.000Z');

const zeroDecisions = Object.fromEntries(DECISION_OUTCOMES.map((outcome) => [outcome, 0]));
const zeroRoutes = { mash: 0, early_help: 0, designated_officer: 0, police: 0 };
const zeroMash = Object.fromEntries(MASH_OUTCOMES.map((outcome) => [outcome, 0]));
const zeroEarlyHelp = Object.fromEntries(EARLY_HELP_OUTCOMES.map((outcome) => [outcome, 0]));
const zeroOfficer = Object.fromEntries(DESIGNATED_OFFICER_OUTCOMES.map((outcome) => [outcome, 0]));
type CountsInput = Partial<Omit<ReferralBalanceCounts, 'decisions' | 'mashOutcomes' | 'earlyHelpOutcomes'>> & {
  decisions?: Partial<ReferralBalanceCounts['decisions']>;
  mashOutcomes?: Partial<ReferralBalanceCounts['mashOutcomes']>;
  earlyHelpOutcomes?: Partial<ReferralBalanceCounts['earlyHelpOutcomes']>;
};
/** Every figure, zero unless given; the single MASH and early-help figures follow their outcomes. */
const counts = (overrides: CountsInput = {}): ReferralBalanceCounts => {
  const mashOutcomes = { ...zeroMash, ...overrides.mashOutcomes } as ReferralBalanceCounts['mashOutcomes'];
  const earlyHelpOutcomes = {
    ...zeroEarlyHelp,
    ...overrides.earlyHelpOutcomes,
  } as ReferralBalanceCounts['earlyHelpOutcomes'];
  return {
    concerns: 0,
    decisionsBelowGuidance: 0,
    levelFourOrZeroNotReferred: 0,
    againstRecommendation: 0,
    designatedOfficerOutcomes: zeroOfficer as ReferralBalanceCounts['designatedOfficerOutcomes'],
    ...overrides,
    decisions: { ...zeroDecisions, ...overrides.decisions } as ReferralBalanceCounts['decisions'],
    escalations: { ...zeroRoutes, ...overrides.escalations },
    mashOutcomes,
    earlyHelpOutcomes,
    mashRedirectedToEarlyHelp: mashOutcomes.redirect_early_help,
    mashNoFurtherAction: mashOutcomes.no_further_action,
    earlyHelpSteppedUpToMash: earlyHelpOutcomes.stepped_up_to_mash,
  };
};
/** The same figures as the local authority lead reads them: with the above-guidance figure. */
const forLead = (figures: ReferralBalanceCounts, aboveGuidance = 0): ReferralBalanceCounts => ({
  ...figures,
  aboveGuidance,
});
const countsOf = ({
  organisationId: _id,
  name: _name,
  nameCy: _nameCy,
  kind: _kind,
  ...rest
}: ReferralBalanceItem): ReferralBalanceCounts => rest;

describe(ReferralBalanceService.name, () => {
  let testApp: TestApp;
  let service: ReferralBalanceService;
  let factory: Factory;
  let la: Organisation;
  let riverside: Organisation;
  let hillcrest: Organisation;
  let bridge: Organisation;
  let elsewhereSchool: Organisation;
  let riversideDsp: Actor;
  let riversideHead: Actor;
  let hillcrestDsp: Actor;
  let bridgeDsp: Actor;
  let lead: Actor;
  let mashOfficer: Actor;
  let earlyHelpOfficer: Actor;
  let elsewhereLead: Actor;
  let riversidePupil: Pupil;
  let hillcrestPupil: Pupil;

  const report = (actor: Actor, query: { from?: string; to?: string } = PERIOD) => service.report(actor, query, NOW);
  const itemFor = async (actor: Actor, organisation: Organisation) => {
    const found = (await report(actor)).items.find((item) => item.organisationId === organisation.id);
    if (!found) throw new Error(`${organisation.name} is not in the report`);
    return found;
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    service = testApp.app.get(ReferralBalanceService);
    factory = new Factory(testApp.dataSource);
    la = await factory.localAuthority({ name: 'Cardiff (test)' });
    // Names out of alphabetical order of creation, to see the report sort them.
    riverside = await factory.school(la, { name: 'Riverside Primary' });
    hillcrest = await factory.school(la, { name: 'Hillcrest High' });
    bridge = await factory.pru(la, { name: 'Bridge PRU' });
    const elsewhere = await factory.localAuthority({ name: 'Elsewhere' });
    elsewhereSchool = await factory.school(elsewhere, { name: 'Elsewhere School' });

    riversideDsp = await factory.actor(riverside, 'dsp');
    riversideHead = await factory.actor(riverside, 'head_teacher');
    hillcrestDsp = await factory.actor(hillcrest, 'dsp');
    bridgeDsp = await factory.actor(bridge, 'dsp');
    lead = await factory.actor(la, 'la_lead');
    mashOfficer = await factory.actor(la, 'la_mash');
    earlyHelpOfficer = await factory.actor(la, 'la_early_help');
    elsewhereLead = await factory.actor(elsewhere, 'la_lead');
    const elsewhereDsp = await factory.actor(elsewhereSchool, 'dsp');

    riversidePupil = await factory.pupil(riverside);
    hillcrestPupil = await factory.pupil(hillcrest);
    // Dual-registered at Bridge: Hillcrest's concerns about him stay Hillcrest's.
    await factory.enrol(hillcrestPupil, bridge, 'dual');
    const elsewherePupil = await factory.pupil(elsewhereSchool);

    // --- Riverside -------------------------------------------------------------------------------
    // Concerns at the period's edges (London midnight): two in, two out.
    const first = await factory.concern(riversidePupil, riversideDsp, {
      occurredAt: FIRST_INSTANT,
      recordedAt: FIRST_INSTANT,
    });
    const last = await factory.concern(riversidePupil, riversideDsp, {
      occurredAt: LAST_INSTANT,
      recordedAt: LAST_INSTANT,
    });
    const before = await factory.concern(riversidePupil, riversideDsp, {
      occurredAt: JUST_BEFORE,
      recordedAt: IN_PERIOD,
    });
    await factory.concern(riversidePupil, riversideDsp, { occurredAt: JUST_AFTER, recordedAt: JUST_AFTER });

    // `first` was monitored, then referred to MASH: only the latest decision counts.
    await factory.decision(first, riversideDsp, { outcome: 'monitor', decidedAt: new Date('2025-09-01T09:00:00Z') });
    await factory.decision(first, riversideDsp, { outcome: 'mash', decidedAt: new Date('2025-09-02T09:00:00Z') });
    // `last` has two decisions at the same instant: the tie goes to the greater id.
    const tie = new Date('2026-01-02T09:00:00Z');
    await factory.decision(last, riversideDsp, {
      id: '00000000-0000-4000-8000-00000000000b',
      outcome: 'early_help',
      decidedAt: tie,
    });
    await factory.decision(last, riversideDsp, {
      id: '00000000-0000-4000-8000-00000000000a',
      outcome: 'school_support',
      decidedAt: tie,
    });
    // `before` occurred before the period: its decision (made inside the period) does not count.
    await factory.decision(before, riversideDsp, { outcome: 'police', decidedAt: IN_PERIOD });

    // Referrals, counted by when they were sent (even for `before`, whose concern is out of the period).
    // Flagged "against" before issue 8 for going UP (MASH where the guidance said early help): going
    // up is never below the guidance, so it is not counted there, only in the lead's above figure.
    const mashRedirected = await factory.escalation(first, riversideDsp, {
      route: 'mash',
      sentAt: IN_PERIOD,
      againstRecommendation: true,
      recommendedLevel: 3,
      recommendedRoute: 'early_help',
      reasonForRoute: 'Against the guidance, for a reason.',
    });
    await factory.outcome(mashRedirected, mashOfficer, { outcome: 'redirect_early_help' });
    // The early-help referral MASH created is under Riverside, but it is not Riverside's own.
    const redirect = await factory.escalation(first, mashOfficer, {
      route: 'early_help',
      organisationId: riverside.id,
      sentAt: new Date('2025-10-16T10:00:00Z'),
      redirectedFromId: mashRedirected.id,
      // Never set by the app on a redirect; set here to prove only own referrals count.
      againstRecommendation: true,
    });
    await factory.outcome(redirect, earlyHelpOfficer, { outcome: 'family_help' });
    const mashNfa = await factory.escalation(before, riversideDsp, { route: 'mash', sentAt: FIRST_INSTANT });
    await factory.outcome(mashNfa, mashOfficer, { outcome: 'no_further_action' });
    const mashStrategy = await factory.escalation(first, riversideDsp, { route: 'mash', sentAt: LAST_INSTANT });
    await factory.outcome(mashStrategy, mashOfficer, { outcome: 'strategy_discussion' });
    await factory.escalation(last, riversideDsp, { route: 'early_help', sentAt: IN_PERIOD });
    await factory.escalation(first, riversideDsp, { route: 'police', sentAt: IN_PERIOD });
    // The designated officer for an emergency (level 0: call the police): below the guidance.
    await factory.escalation(first, riversideDsp, {
      route: 'designated_officer',
      sentAt: IN_PERIOD,
      againstRecommendation: true,
      recommendedLevel: 0,
      recommendedRoute: 'police',
      reasonForRoute: 'Below the recommended route.',
    });
    // Sent just outside the period (its MASH answer inside it): not counted anywhere.
    const outside = await factory.escalation(first, riversideDsp, { route: 'mash', sentAt: JUST_BEFORE });
    await factory.outcome(outside, mashOfficer, { outcome: 'redirect_early_help', decidedAt: IN_PERIOD });
    await factory.escalation(first, mashOfficer, {
      route: 'early_help',
      organisationId: riverside.id,
      sentAt: IN_PERIOD,
      redirectedFromId: outside.id,
    });
    const late = await factory.escalation(last, riversideDsp, { route: 'mash', sentAt: JUST_AFTER });
    await factory.outcome(late, mashOfficer, { outcome: 'no_further_action' });

    // --- Hillcrest: one concern, no decision, one MASH referral with no answer yet ------------------
    const hillcrestConcern = await factory.concern(hillcrestPupil, hillcrestDsp, { occurredAt: IN_PERIOD });
    await factory.escalation(hillcrestConcern, hillcrestDsp, { route: 'mash', sentAt: IN_PERIOD });

    // --- Bridge: a concern about the dual-registered pupil, recorded by Bridge -------------------
    const bridgeConcern = await factory.concern(hillcrestPupil, bridgeDsp, { occurredAt: IN_PERIOD });
    await factory.decision(bridgeConcern, bridgeDsp, { outcome: 'no_further_action', decidedAt: IN_PERIOD });

    // --- Another local authority's school: never in Cardiff's figures -----------------------------
    const elsewhereConcern = await factory.concern(elsewherePupil, elsewhereDsp, { occurredAt: IN_PERIOD });
    await factory.escalation(elsewhereConcern, elsewhereDsp, { route: 'mash', sentAt: IN_PERIOD });
  });

  afterAll(() => testApp.close());

  const riversideExpected = counts({
    concerns: 2,
    decisions: { ...zeroDecisions, mash: 1, early_help: 1 },
    escalations: { mash: 3, early_help: 1, designated_officer: 1, police: 1 },
    mashOutcomes: { redirect_early_help: 1, no_further_action: 1, strategy_discussion: 1 },
    againstRecommendation: 1,
  });
  const hillcrestExpected = counts({ concerns: 1, escalations: { ...zeroRoutes, mash: 1 } });
  const bridgeExpected = counts({
    concerns: 1,
    decisions: { ...zeroDecisions, no_further_action: 1 },
  });

  it("counts a school's concerns, latest decisions, own referrals and MASH's answers by the rules", async () => {
    expect(countsOf(await itemFor(riversideDsp, riverside))).toEqual(riversideExpected);
  });

  it('counts concerns from London midnight on the first day to the end of the last day', async () => {
    expect((await itemFor(riversideDsp, riverside)).concerns).toBe(2);
    // One day later at each end: the concern at the first instant drops out, the one just after comes in.
    expect((await report(riversideDsp, { from: '2025-09-02', to: '2026-01-01' })).items[0].concerns).toBe(2);
    expect((await report(riversideDsp, { from: '2025-08-31', to: '2026-01-01' })).items[0].concerns).toBe(4);
  });

  it('counts only the latest decision of each concern in the period, with every outcome present', async () => {
    const { decisions } = await itemFor(riversideDsp, riverside);
    expect(Object.keys(decisions).sort()).toEqual([...DECISION_OUTCOMES].sort());
    expect(decisions).toMatchObject({ mash: 1, early_help: 1, monitor: 0, school_support: 0, police: 0 });
  });

  it("counts an early-help referral made by a MASH redirect only as a redirect, never as the school's own", async () => {
    const item = await itemFor(riversideDsp, riverside);
    expect(item.escalations.early_help).toBe(1);
    expect(item.mashRedirectedToEarlyHelp).toBe(1);
    // Of the two flagged "against", only the one below the guidance counts.
    expect(item.againstRecommendation).toBe(1);
  });

  it('counts a concern under the organisation that recorded it, not every organisation the pupil attends', async () => {
    expect(countsOf(await itemFor(hillcrestDsp, hillcrest))).toEqual(hillcrestExpected);
    expect(countsOf(await itemFor(bridgeDsp, bridge))).toEqual(bridgeExpected);
  });

  it('shows a DSP and a head teacher their own organisation only', async () => {
    for (const actor of [riversideDsp, riversideHead]) {
      const result = await report(actor);
      expect(result.items.map((item) => item.organisationId)).toEqual([riverside.id]);
      expect(result.totals).toEqual(riversideExpected);
    }
    expect((await report(bridgeDsp)).items).toEqual([
      { organisationId: bridge.id, name: 'Bridge PRU', nameCy: null, kind: 'pru', ...bridgeExpected },
    ]);
  });

  it('shows the LA lead every school and PRU of their local authority, by name, with totals summed over them', async () => {
    const result = await report(lead);
    expect(result.items.map((item) => [item.name, item.kind])).toEqual([
      ['Bridge PRU', 'pru'],
      ['Hillcrest High', 'school'],
      ['Riverside Primary', 'school'],
    ]);
    expect(result.items.map(countsOf)).toEqual([
      forLead(bridgeExpected),
      forLead(hillcrestExpected),
      forLead(riversideExpected, 1),
    ]);
    expect(result.totals).toEqual(
      forLead(
        counts({
          concerns: 4,
          decisions: {
            ...zeroDecisions,
            mash: 1,
            early_help: 1,
            no_further_action: 1,
          },
          escalations: { mash: 4, early_help: 1, designated_officer: 1, police: 1 },
          mashOutcomes: { redirect_early_help: 1, no_further_action: 1, strategy_discussion: 1 },
          againstRecommendation: 1,
        }),
        1,
      ),
    );
    expect(result.period).toEqual(PERIOD);
    const elsewhere = await report(elsewhereLead);
    expect(elsewhere.items.map((item) => item.organisationId)).toEqual([elsewhereSchool.id]);
    expect(elsewhere.totals.escalations.mash).toBe(1);
  });

  it('is counts only: nothing that names a pupil, concern or referral', async () => {
    const text = JSON.stringify(await report(lead));
    expect(text).not.toContain(riversidePupil.id);
    expect(text).not.toContain(riversidePupil.lastName);
    expect(text).not.toContain(hillcrestPupil.upn);
  });

  it('refuses every other role (403)', async () => {
    for (const role of ['staff', 'la_mash', 'la_early_help', 'admin'] as const) {
      const actor = await factory.actor(role.startsWith('la_') || role === 'admin' ? la : riverside, role);
      await expect(report(actor)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('answers invalid dates, and a start after the end, with errors keyed from / to', async () => {
    await expect(report(riversideDsp, { from: '2025-02-30' })).rejects.toMatchObject({
      code: 'invalid_input',
      errors: { from: [expect.any(String)] },
    });
    await expect(report(riversideDsp, { to: 'soon' })).rejects.toMatchObject({
      code: 'invalid_input',
      errors: { to: [expect.any(String)] },
    });
    await expect(report(riversideDsp, { from: '2025-12-01', to: '2025-11-30' })).rejects.toMatchObject({
      code: 'invalid_input',
      errors: { to: [expect.any(String)] },
    });
  });

  it('defaults to the 12 months up to today (London)', async () => {
    const result = await report(riversideDsp, {});
    expect(result.period).toEqual({ from: '2025-03-16', to: '2026-03-15' });
    // Every Riverside concern falls in those 12 months.
    expect(result.items[0].concerns).toBe(4);
  });

  it('runs a fixed number of queries, however many organisations it covers', async () => {
    const logger = testApp.dataSource.logger;
    const queriesDuring = async (actor: Actor) => {
      const spy = jest.spyOn(logger, 'logQuery');
      try {
        await report(actor);
        // The audit chainer's once-a-second probe (PostgreSQL) is a timer's, not the report's.
        return spy.mock.calls
          .map(([query]) => String(query))
          .filter((query) => /^\s*SELECT/i.test(query) && query !== SWEEP_PROBE_SQL).length;
      } finally {
        spy.mockRestore();
      }
    };
    const forOne = await queriesDuring(riversideDsp);
    expect(forOne).toBeGreaterThan(0);
    expect(await queriesDuring(lead)).toBe(forOne);
  });

  describe('both directions (issue 8), in another local authority', () => {
    let oakfield: Organisation;
    let ashgrove: Organisation;
    let oakfieldDsp: Actor;
    let oakfieldStaff: Actor;
    let ashgroveDsp: Actor;
    let valleysLead: Actor;
    let valleysMash: Actor;
    let valleysEarlyHelp: Actor;

    beforeAll(async () => {
      const valleys = await factory.localAuthority({ name: 'Valleys (test)' });
      oakfield = await factory.school(valleys, { name: 'Oakfield Primary' });
      ashgrove = await factory.school(valleys, { name: 'Ashgrove High' });
      oakfieldDsp = await factory.actor(oakfield, 'dsp');
      oakfieldStaff = await factory.actor(oakfield, 'staff');
      ashgroveDsp = await factory.actor(ashgrove, 'dsp');
      valleysLead = await factory.actor(valleys, 'la_lead');
      valleysMash = await factory.actor(valleys, 'la_mash');
      valleysEarlyHelp = await factory.actor(valleys, 'la_early_help');
      const pupil = await factory.pupil(oakfield);
      const concern = () => factory.concern(pupil, oakfieldDsp, { occurredAt: IN_PERIOD });
      const decide = (
        on: Awaited<ReturnType<typeof concern>>,
        outcome: 'no_further_action' | 'monitor' | 'early_help' | 'mash' | 'designated_officer' | 'police',
        guidanceLevel: 0 | 1 | 2 | 3 | 4 | null,
        belowGuidance = false,
        decidedAt = IN_PERIOD,
      ) => factory.decision(on, oakfieldDsp, { outcome, guidanceLevel, belowGuidance, decidedAt });
      const later = new Date('2025-10-20T10:00:00Z');

      // Level 4 or 0 with no report (counted): a level-4 concern monitored below the guidance, with
      // no referral at all;
      const monitored = await concern();
      await decide(monitored, 'monitor', 4, true);
      // an emergency sent to early help below the guidance, which early help stepped up to MASH;
      const emergency = await concern();
      await decide(emergency, 'early_help', 0, true);
      const steppedUp = await factory.escalation(emergency, oakfieldDsp, {
        route: 'early_help',
        sentAt: IN_PERIOD,
        recommendedLevel: 0,
        recommendedRoute: 'police',
        againstRecommendation: true,
      });
      await factory.outcome(steppedUp, valleysEarlyHelp, { outcome: 'stepped_up_to_mash' });
      // no decision yet: the level recorded with its (early-help) referral, 4;
      const undecided = await concern();
      const familyHelp = await factory.escalation(undecided, oakfieldDsp, {
        route: 'early_help',
        sentAt: IN_PERIOD,
        recommendedLevel: 4,
        againstRecommendation: true,
      });
      await factory.outcome(familyHelp, valleysEarlyHelp, { outcome: 'family_help' });
      // a decision from before the level was stored: the referral's level, 0.
      const legacy = await concern();
      await decide(legacy, 'early_help', null);
      await factory.escalation(legacy, oakfieldDsp, {
        route: 'early_help',
        sentAt: IN_PERIOD,
        recommendedLevel: 0,
        recommendedRoute: 'police',
        againstRecommendation: true,
      });

      // Not counted there: level 4 and reported to MASH (four MASH answers, one redirect that early
      // help then stepped up, which is MASH's redirect and not the school's own early-help referral);
      const reported = await concern();
      await decide(reported, 'mash', 4);
      for (const outcome of ['care_and_support_assessment', 'strategy_discussion', 'redirect_early_help'] as const) {
        const mash = await factory.escalation(reported, oakfieldDsp, { route: 'mash', sentAt: IN_PERIOD });
        await factory.outcome(mash, valleysMash, { outcome });
        if (outcome === 'redirect_early_help') {
          const redirected = await factory.escalation(reported, valleysMash, {
            route: 'early_help',
            organisationId: oakfield.id,
            sentAt: later,
            redirectedFromId: mash.id,
          });
          await factory.outcome(redirected, valleysEarlyHelp, { outcome: 'stepped_up_to_mash' });
        }
      }
      // level 3, early help (at the guidance);
      await decide(await concern(), 'early_help', 3);
      // level 4 first, then level 3 below nothing: the latest decision decides;
      const reconsidered = await concern();
      await decide(reconsidered, 'monitor', 4, true, new Date('2025-10-15T11:00:00Z'));
      await decide(reconsidered, 'early_help', 3, false, new Date('2025-10-15T12:00:00Z'));
      // level 4 to the designated officer, and level 0 to the police;
      const allegation = await concern();
      await decide(allegation, 'designated_officer', 4);
      const officer = await factory.escalation(allegation, oakfieldDsp, {
        route: 'designated_officer',
        sentAt: IN_PERIOD,
      });
      await factory.outcome(officer, valleysMash, { outcome: 'investigation' });
      const danger = await concern();
      await decide(danger, 'police', 0);
      await factory.escalation(danger, oakfieldDsp, { route: 'police', sentAt: IN_PERIOD, recommendedLevel: 0 });
      // level 4 sent to MASH by a member of staff because no DSP could be reached;
      const staffReport = await concern();
      const byStaff = await factory.escalation(staffReport, oakfieldStaff, {
        route: 'mash',
        sentAt: IN_PERIOD,
        dspUnavailable: true,
      });
      await factory.outcome(byStaff, valleysMash, { outcome: 'information_advice_assistance' });
      // no stored guidance at all (no decision, no referral);
      await concern();
      // level 4 with no report, but it happened before the period.
      await decide(await factory.concern(pupil, oakfieldDsp, { occurredAt: JUST_BEFORE }), 'monitor', 4, true);

      // Going UP (MASH where the guidance said level 1 to 3): counted only in the lead's figure, never
      // below the guidance even when an older row was flagged "against".
      const upgrade = await concern();
      await decide(upgrade, 'mash', 3);
      const above = await factory.escalation(upgrade, oakfieldDsp, {
        route: 'mash',
        sentAt: IN_PERIOD,
        recommendedLevel: 3,
        recommendedRoute: 'early_help',
        aboveGuidance: true,
      });
      await factory.outcome(above, valleysMash, { outcome: 'no_further_action' });
      const olderUpgrade = await concern();
      await decide(olderUpgrade, 'mash', 2);
      await factory.escalation(olderUpgrade, oakfieldDsp, {
        route: 'mash',
        sentAt: IN_PERIOD,
        recommendedLevel: 2,
        recommendedRoute: 'school_support',
        againstRecommendation: true,
        reasonForRoute: 'Flagged by the rules before issue 8.',
      });
    });

    const oakfieldExpected = () =>
      counts({
        concerns: 13,
        decisions: { monitor: 1, early_help: 4, mash: 3, designated_officer: 1, police: 1 },
        decisionsBelowGuidance: 2,
        levelFourOrZeroNotReferred: 4,
        escalations: { mash: 6, early_help: 3, designated_officer: 1, police: 1 },
        mashOutcomes: {
          strategy_discussion: 1,
          care_and_support_assessment: 1,
          redirect_early_help: 1,
          information_advice_assistance: 1,
          no_further_action: 1,
        },
        earlyHelpOutcomes: { stepped_up_to_mash: 1, family_help: 1 },
        designatedOfficerOutcomes: { investigation: 1, no_further_action: 0 },
        againstRecommendation: 3,
      });

    it('counts concerns at guidance level 4 or 0 with no referral to MASH, the designated officer or the police', async () => {
      expect((await itemFor(oakfieldDsp, oakfield)).levelFourOrZeroNotReferred).toBe(4);
    });

    it('counts latest decisions below the guidance, not earlier ones', async () => {
      expect((await itemFor(oakfieldDsp, oakfield)).decisionsBelowGuidance).toBe(2);
    });

    it("counts the school's own early-help referrals stepped up to MASH, not MASH's redirects", async () => {
      const item = await itemFor(oakfieldDsp, oakfield);
      expect(item.earlyHelpSteppedUpToMash).toBe(1);
      expect(item.earlyHelpOutcomes).toMatchObject({ stepped_up_to_mash: 1, family_help: 1 });
    });

    it('counts every MASH outcome, keeping the single redirect and no-further-action figures', async () => {
      const item = await itemFor(oakfieldDsp, oakfield);
      expect(item.mashOutcomes).toEqual({
        strategy_discussion: 1,
        care_and_support_assessment: 1,
        redirect_early_help: 1,
        information_advice_assistance: 1,
        no_further_action: 1,
      });
      expect(item.mashRedirectedToEarlyHelp).toBe(1);
      expect(item.mashNoFurtherAction).toBe(1);
    });

    it('counts as against the recommendation only referrals below the guidance, never going up', async () => {
      expect((await itemFor(oakfieldDsp, oakfield)).againstRecommendation).toBe(3);
    });

    it('gives the above-guidance figure to the LA lead only, and never to a school', async () => {
      const lead = await report(valleysLead);
      expect(lead.items.map((item) => [item.name, item.aboveGuidance])).toEqual([
        ['Ashgrove High', 0],
        ['Oakfield Primary', 2],
      ]);
      expect(lead.totals.aboveGuidance).toBe(2);
      const own = await report(oakfieldDsp);
      expect(own.items[0]).not.toHaveProperty('aboveGuidance');
      expect(own.totals).not.toHaveProperty('aboveGuidance');
    });

    it('adds every figure up for a school, and the LA totals over its schools', async () => {
      expect(countsOf(await itemFor(oakfieldDsp, oakfield))).toEqual(oakfieldExpected());
      expect(countsOf(await itemFor(ashgroveDsp, ashgrove))).toEqual(counts());
      expect((await report(valleysLead)).totals).toEqual(forLead(oakfieldExpected(), 2));
    });

    it("opens one school's figures for its own DSP and the lead, and 404 for anyone else's", async () => {
      const own = await service.organisation(oakfieldDsp, oakfield.id, PERIOD, NOW);
      expect(countsOf(own.item)).toEqual(oakfieldExpected());
      expect(own.wholeAuthority).toBe(false);
      const lead = await service.organisation(valleysLead, oakfield.id, PERIOD, NOW);
      expect(lead.item.aboveGuidance).toBe(2);
      expect(lead.wholeAuthority).toBe(true);
      await expect(service.organisation(ashgroveDsp, oakfield.id, PERIOD, NOW)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(service.organisation(valleysLead, riverside.id, PERIOD, NOW)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(service.organisation(valleysMash, oakfield.id, PERIOD, NOW)).rejects.toMatchObject({
        code: 'forbidden',
      });
    });
  });

  it('reports zeros, not missing keys, for an organisation with nothing in the period', async () => {
    const result = await report(riversideDsp, { from: '2024-01-01', to: '2024-12-31' });
    expect(countsOf(result.items[0])).toEqual(counts());
  });
});
