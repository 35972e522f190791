import { londonDateOf } from '../../src/calendar/london-time';
import { Actor } from '../../src/common/actor';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { SendEscalationDto } from '../../src/dsp/escalations/dto/send-escalation.dto';
import { REFERRAL_BALANCE_COLUMNS } from '../../src/database/migrations/1764640200000-ReferralBalanceCounts';
import { bucketRanges } from '../../src/dsp/referral-balance-counter';
import { rebuildReferralBalanceCounts } from '../../src/dsp/referral-balance-count-writer';
import { InboxService } from '../../src/local-authority/inbox.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { ReferralBalanceService } from '../../src/reports/referral-balance.service';
import { reportPeriod } from '../../src/reports/report-period';
import { Factory } from '../support/factory';
import { figuresFromHistory } from '../support/referral-balance-oracle';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * The referral balance reads counts kept as records are written (issue 9). Whatever mix of appends
 * happened (through the services as people make them, and rows placed at London midnights in summer
 * and winter time), the report must give exactly the figures counted from the whole history (the
 * report's old queries, kept as the oracle), for any period; and counting everything again from the
 * records (the migration's backfill) must give the same rows. On SQLite, or PostgreSQL with DATABASE_URL.
 */
const REASON = 'The family has refused every offer of support this term';
const NOW = new Date('2026-11-15T12:00:00.000Z');

describe('referral balance counts kept as records are written', () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let inbox: InboxService;
  let service: ReferralBalanceService;
  let la: Organisation;
  let schools: Organisation[];
  let lead: Actor;
  let dsps: Actor[];
  let staff: Actor;
  let mashOfficer: Actor;
  let earlyHelpOfficer: Actor;

  const LEVEL = {
    1: { category: 'wellbeing' },
    2: { category: 'wellbeing', issues: ['bullying'] },
    3: { category: 'wellbeing', issues: ['self_harm'] },
    4: { category: 'wellbeing', indicators: ['disclosure_of_abuse'] },
    0: { category: 'wellbeing', indicators: ['immediate_danger'] },
  } as const satisfies Record<number, Partial<RecordConcernDto>>;

  /** A concern about a fresh pupil (no history raises its level), recorded through the service. */
  const recorded = async (recorder: Actor, school: Organisation, level: keyof typeof LEVEL) => {
    const pupil = await factory.pupil(school);
    return concerns.record(recorder, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      summary: 'What was seen',
      evidenceBasis: 'observed',
      ...LEVEL[level],
    });
  };
  const send = (
    actor: Actor,
    concernId: string,
    dto: Partial<SendEscalationDto> & { route: SendEscalationDto['route'] },
  ) => escalations.send(actor, concernId, { consent: { sought: true, given: true, givenBy: 'Mother' }, ...dto });

  /** Every figure of every school, from the counts (the report) and from the history (the oracle). */
  const expectSameAsHistory = async (query: { from?: string; to?: string }) => {
    const answer = await service.report(lead, query, NOW);
    const period = reportPeriod(query, NOW);
    const history = await figuresFromHistory(
      testApp.dataSource.manager,
      schools.map((school) => school.id),
      period,
      true,
    );
    for (const item of answer.items) {
      const { organisationId, name: _name, nameCy: _nameCy, kind: _kind, ...figures } = item;
      expect({ period: query, organisationId, figures }).toEqual({
        period: query,
        organisationId,
        figures: history.get(organisationId),
      });
    }
    return answer;
  };

  /** The counts as stored, zeros left out (a count that went up and down again stays as a 0). */
  const storedCounts = async (): Promise<string[]> => {
    const rows: Array<Record<string, string | number>> = await testApp.dataSource.query(
      'SELECT * FROM referral_balance_counts',
    );
    return rows
      .flatMap((row) =>
        REFERRAL_BALANCE_COLUMNS.filter((column) => Number(row[column.name]) !== 0).map((column) =>
          [row.organisation_id, row.span, row.bucket, column.name, Number(row[column.name])].join('|'),
        ),
      )
      .sort();
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    inbox = testApp.app.get(InboxService);
    service = testApp.app.get(ReferralBalanceService);
    la = await factory.localAuthority({ name: 'Counted LA' });
    schools = [await factory.school(la, { name: 'A School' }), await factory.pru(la, { name: 'B PRU' })];
    lead = await factory.actor(la, 'la_lead');
    mashOfficer = await factory.actor(la, 'la_mash');
    earlyHelpOfficer = await factory.actor(la, 'la_early_help');
    dsps = [await factory.actor(schools[0], 'dsp'), await factory.actor(schools[1], 'dsp')];
    staff = await factory.actor(schools[0], 'staff');
  });

  afterAll(() => testApp.close());

  it('splits a period into whole London months and the days at either end', () => {
    expect(bucketRanges({ from: '2025-09-01', to: '2025-12-31' })).toEqual([
      { span: 'month', first: '2025-09', last: '2025-12' },
    ]);
    expect(bucketRanges({ from: '2025-09-15', to: '2026-02-10' })).toEqual([
      { span: 'day', first: '2025-09-15', last: '2025-09-30' },
      { span: 'month', first: '2025-10', last: '2026-01' },
      { span: 'day', first: '2026-02-01', last: '2026-02-10' },
    ]);
    expect(bucketRanges({ from: '2024-03-16', to: '2024-04-14' })).toEqual([
      { span: 'day', first: '2024-03-16', last: '2024-04-14' },
    ]);
    expect(bucketRanges({ from: '2024-02-01', to: '2024-02-29' })).toEqual([
      { span: 'month', first: '2024-02', last: '2024-02' },
    ]);
  });

  it('agrees with the history after concerns, re-decisions, referrals, staff reports, outcomes and redirects', async () => {
    const [school, pru] = schools;
    const [dsp, pruDsp] = dsps;

    // Through the services, as people make them.
    const atFour = await recorded(dsp, school, 4);
    await concerns.decide(dsp, atFour.id, { outcome: 'monitor', rationale: 'Watch first', reasonForRoute: REASON });
    await concerns.decide(dsp, atFour.id, { outcome: 'mash', rationale: 'Refer after all' }); // replaces monitor
    const toMash = await send(dsp, atFour.id, { route: 'mash' });
    await inbox.recordOutcome(mashOfficer, toMash.id, { outcome: 'redirect_early_help', note: 'Early help fits' });

    const atFourKept = await recorded(dsp, school, 4);
    await concerns.decide(dsp, atFourKept.id, {
      outcome: 'school_support',
      rationale: 'In school',
      reasonForRoute: REASON,
    });

    const atThree = await recorded(pruDsp, pru, 3);
    await concerns.decide(pruDsp, atThree.id, { outcome: 'early_help', rationale: 'Family support' });
    const toEarlyHelp = await send(pruDsp, atThree.id, { route: 'early_help' });
    await inbox.recordOutcome(earlyHelpOfficer, toEarlyHelp.id, { outcome: 'stepped_up_to_mash', note: 'More needed' });

    const atTwo = await recorded(dsp, school, 2);
    const upToMash = await send(dsp, atTwo.id, { route: 'mash' }); // above the guidance
    await inbox.recordOutcome(mashOfficer, upToMash.id, { outcome: 'no_further_action', note: 'Nothing more' });

    const atZero = await recorded(staff, school, 0);
    await send(staff, atZero.id, { route: 'police', dspUnavailable: true }); // a staff report

    const atOne = await recorded(dsp, school, 1);
    await concerns.decide(dsp, atOne.id, { outcome: 'monitor', rationale: 'Watch' });
    await concerns.decide(dsp, atOne.id, { outcome: 'no_further_action', rationale: 'All well now' });
    await recorded(pruDsp, pru, 4); // undecided, unreported

    // Rows placed at London midnights: 1 September 2025 starts at 23:00Z (summer time), 1 January 2026
    // at 00:00Z (winter), 29 March 2026 at 00:00Z (clocks go forward at 01:00Z), 30 March at 23:00Z.
    const edges = [
      '2025-08-31T22:59:59.999Z',
      '2025-08-31T23:00:00.000Z',
      '2025-10-26T00:59:59.999Z',
      '2025-10-26T01:00:00.000Z',
      '2025-12-31T23:59:59.999Z',
      '2026-01-01T00:00:00.000Z',
      '2026-03-28T23:59:59.999Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T22:59:59.999Z',
      '2026-03-29T23:00:00.000Z',
    ].map((text) => new Date(text));
    for (const [index, at] of edges.entries()) {
      const [by, owner] = index % 2 ? [dsp, school] : [pruDsp, pru];
      const pupil = await factory.pupil(owner);
      const concern = await factory.concern(pupil, by, { occurredAt: at, recordedAt: at });
      // A later decision, then one recorded afterwards but decided earlier: the later one stays current.
      await factory.decision(concern, by, {
        outcome: 'mash',
        decidedAt: new Date(at.getTime() + 7200_000),
        guidanceLevel: 4,
        belowGuidance: false,
      });
      await factory.decision(concern, by, {
        outcome: 'monitor',
        decidedAt: new Date(at.getTime() + 3600_000),
        guidanceLevel: 4,
        belowGuidance: true,
      });
      if (index % 3 === 0) {
        // Legacy rows: no level on the decision, the referral's level decides; a referral below the guidance.
        await factory.decision(concern, by, {
          outcome: 'early_help',
          decidedAt: new Date(at.getTime() + 9000_000),
          guidanceLevel: null,
        });
        const referral = await factory.escalation(concern, by, {
          route: 'early_help',
          sentAt: at,
          recommendedLevel: 4,
          againstRecommendation: true,
        });
        await factory.outcome(referral, earlyHelpOfficer, { outcome: 'signposted' });
      } else if (index % 3 === 1) {
        const referral = await factory.escalation(concern, by, {
          route: 'designated_officer',
          sentAt: at,
          recommendedLevel: 0,
          againstRecommendation: true,
        });
        await factory.outcome(referral, mashOfficer, { outcome: 'investigation' });
      } else {
        const referral = await factory.escalation(concern, by, { route: 'mash', sentAt: at, recommendedLevel: 2 });
        const redirect = await factory.escalation(concern, by, {
          route: 'early_help',
          sentAt: new Date(at.getTime() + 60_000),
          redirectedFromId: referral.id,
        });
        await factory.outcome(referral, mashOfficer, {
          outcome: 'redirect_early_help',
          earlyHelpEscalationId: redirect.id,
        });
        await factory.outcome(redirect, earlyHelpOfficer, { outcome: 'family_help' });
      }
    }

    const today = londonDateOf(new Date());
    const periods = [
      {},
      { from: '2025-01-01', to: today },
      { from: '2025-09-01', to: '2025-12-31' },
      { from: '2025-08-31', to: '2025-08-31' },
      { from: '2025-09-01', to: '2025-09-01' },
      { from: '2025-10-26', to: '2025-10-26' },
      { from: '2025-12-31', to: '2026-01-01' },
      { from: '2026-03-28', to: '2026-03-28' },
      { from: '2026-03-29', to: '2026-03-29' },
      { from: '2026-03-30', to: '2026-03-30' },
      { from: '2025-09-15', to: '2026-03-29' },
      { from: today, to: today },
    ];
    for (const period of periods) await expectSameAsHistory(period);

    // Not a vacuous agreement: the figures moved where the records say.
    const all = await expectSameAsHistory({ from: '2025-01-01', to: today });
    const totals = all.totals;
    expect(totals.concerns).toBe(7 + edges.length);
    expect(totals.decisions.mash).toBeGreaterThanOrEqual(1);
    expect(totals.decisions.monitor).toBe(0); // every monitor was replaced, or decided before the current one
    expect(totals.levelFourOrZeroNotReferred).toBeGreaterThanOrEqual(2);
    expect(totals.mashRedirectedToEarlyHelp).toBeGreaterThanOrEqual(1);
    expect(totals.earlyHelpSteppedUpToMash).toBe(1);
    expect(totals.aboveGuidance).toBeGreaterThanOrEqual(1);
    expect(totals.againstRecommendation).toBeGreaterThanOrEqual(1);

    // Counting everything again from the records gives the same rows (the migration's backfill).
    const kept = await storedCounts();
    await testApp.dataSource.transaction((manager) => rebuildReferralBalanceCounts(manager));
    expect(await storedCounts()).toEqual(kept);
    for (const period of periods) await expectSameAsHistory(period);
  });

  it('loses no count when many concerns are recorded at once at the same school', async () => {
    const [school] = schools;
    const today = { from: londonDateOf(new Date()), to: londonDateOf(new Date()) };
    const before = (await service.report(lead, today, NOW)).items.find((item) => item.organisationId === school.id)!;
    const pupils = await Promise.all(Array.from({ length: 12 }, () => factory.pupil(school)));
    const recordedNow = await Promise.all(
      pupils.map((pupil) =>
        concerns.record(dsps[0], {
          pupilId: pupil.id,
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          summary: 'Seen at the same time',
          evidenceBasis: 'observed',
          ...LEVEL[4],
        }),
      ),
    );
    // All decided at once below the guidance (level 4, kept in school): the same counts again.
    await Promise.all(
      recordedNow.map((concern) =>
        concerns.decide(dsps[0], concern.id, {
          outcome: 'school_support',
          rationale: 'In school',
          reasonForRoute: REASON,
        }),
      ),
    );
    const after = await expectSameAsHistory(today);
    const item = after.items.find((candidate) => candidate.organisationId === school.id)!;
    expect(item.concerns).toBe(before.concerns + 12);
    expect(item.decisions.school_support).toBe(before.decisions.school_support + 12);
    expect(item.decisionsBelowGuidance).toBe(before.decisionsBelowGuidance + 12);
    expect(item.levelFourOrZeroNotReferred).toBe(before.levelFourOrZeroNotReferred + 12);
  });
});
