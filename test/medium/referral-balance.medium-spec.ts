import { Actor } from '../../src/common/actor';
import { DECISION_OUTCOMES } from '../../src/guidance/codes';
import { Organisation } from '../../src/organisations/organisation.entity';
import {
  ReferralBalanceCounts,
  ReferralBalanceItem,
  ReferralBalanceService,
} from '../../src/reports/referral-balance.service';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

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
const counts = (overrides: Partial<ReferralBalanceCounts> = {}): ReferralBalanceCounts => ({
  concerns: 0,
  mashRedirectedToEarlyHelp: 0,
  mashNoFurtherAction: 0,
  againstRecommendation: 0,
  ...overrides,
  decisions: { ...zeroDecisions, ...overrides.decisions } as ReferralBalanceCounts['decisions'],
  escalations: { ...zeroRoutes, ...overrides.escalations },
});
const countsOf = ({
  organisationId: _id,
  name: _name,
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
    const mashRedirected = await factory.escalation(first, riversideDsp, {
      route: 'mash',
      sentAt: IN_PERIOD,
      againstRecommendation: true,
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
    await factory.escalation(first, riversideDsp, {
      route: 'designated_officer',
      sentAt: IN_PERIOD,
      againstRecommendation: true,
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
    decisions: { ...zeroDecisions, mash: 1, early_help: 1 } as ReferralBalanceCounts['decisions'],
    escalations: { mash: 3, early_help: 1, designated_officer: 1, police: 1 },
    mashRedirectedToEarlyHelp: 1,
    mashNoFurtherAction: 1,
    againstRecommendation: 2,
  });
  const hillcrestExpected = counts({ concerns: 1, escalations: { ...zeroRoutes, mash: 1 } });
  const bridgeExpected = counts({
    concerns: 1,
    decisions: { ...zeroDecisions, no_further_action: 1 } as ReferralBalanceCounts['decisions'],
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
    expect(item.againstRecommendation).toBe(2);
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
      { organisationId: bridge.id, name: 'Bridge PRU', kind: 'pru', ...bridgeExpected },
    ]);
  });

  it('shows the LA lead every school and PRU of their local authority, by name, with totals summed over them', async () => {
    const result = await report(lead);
    expect(result.items.map((item) => [item.name, item.kind])).toEqual([
      ['Bridge PRU', 'pru'],
      ['Hillcrest High', 'school'],
      ['Riverside Primary', 'school'],
    ]);
    expect(result.items.map(countsOf)).toEqual([bridgeExpected, hillcrestExpected, riversideExpected]);
    expect(result.totals).toEqual(
      counts({
        concerns: 4,
        decisions: {
          ...zeroDecisions,
          mash: 1,
          early_help: 1,
          no_further_action: 1,
        } as ReferralBalanceCounts['decisions'],
        escalations: { mash: 4, early_help: 1, designated_officer: 1, police: 1 },
        mashRedirectedToEarlyHelp: 1,
        mashNoFurtherAction: 1,
        againstRecommendation: 2,
      }),
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
        return spy.mock.calls.map(([query]) => String(query)).filter((query) => /^\s*SELECT/i.test(query)).length;
      } finally {
        spy.mockRestore();
      }
    };
    const forOne = await queriesDuring(riversideDsp);
    expect(forOne).toBeGreaterThan(0);
    expect(await queriesDuring(lead)).toBe(forOne);
  });

  it('reports zeros, not missing keys, for an organisation with nothing in the period', async () => {
    const result = await report(riversideDsp, { from: '2024-01-01', to: '2024-12-31' });
    expect(countsOf(result.items[0])).toEqual(counts());
  });
});
