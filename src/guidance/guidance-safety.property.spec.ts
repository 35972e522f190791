/**
 * The guidance's safety properties (issue 8), checked by fast-check over arbitrary combinations of
 * category, issues, indicators, pupil flags, the DSP's threshold judgement and history: whatever the
 * inputs, the guidance can never talk a DSP out of a report the law requires.
 */
import fc from 'fast-check';
import { CARDIFF_SERVICES } from './cardiff-services';
import {
  CONCERN_CATEGORIES,
  DECISION_OUTCOMES,
  ESCALATION_ROUTES,
  GuidanceLevel,
  ISSUE_CODES,
  REASONABLE_CAUSE_ANSWERS,
  RISK_INDICATORS,
} from './codes';
import {
  EMERGENCY_INDICATORS,
  GuidanceInput,
  STATUTORY_INDICATORS,
  STATUTORY_ISSUES,
  evaluateGuidance,
  isAboveGuidance,
  isBelowGuidance,
  needsReasonForRoute,
  severity,
} from './guidance-engine';
import { toGuidanceAnswer } from './guidance.mapper';
import { DAY, T, at } from './guidance-test-helpers';

const PUPIL_FLAG_CODES = ['looked_after', 'cp_register', 'aln', 'young_carer', 'eal', 'fsm', 'welsh_speaker'];

const history = fc.record({
  otherConcerns: fc.array(
    fc.record({
      occurredAt: fc.integer({ min: -5, max: 400 }).map((days) => at(days * DAY)),
      category: fc.constantFrom(...CONCERN_CATEGORIES),
    }),
    { maxLength: 5 },
  ),
  mashEscalations: fc.array(
    fc.record({
      sentAt: fc.integer({ min: 0, max: 500 }).map((days) => at(days * DAY)),
      concernIsThisOne: fc.boolean(),
      outcome: fc.constantFrom(null, 'no_further_action', 'strategy_discussion', 'redirect_early_help'),
      outcomeAt: fc.option(
        fc.integer({ min: 0, max: 500 }).map((days) => at(days * DAY)),
        { nil: null },
      ),
    }),
    { maxLength: 4 },
  ),
});

const inputs: fc.Arbitrary<GuidanceInput> = fc.record({
  category: fc.constantFrom(...CONCERN_CATEGORIES),
  issues: fc.subarray([...ISSUE_CODES]),
  indicators: fc.subarray([...RISK_INDICATORS]),
  reasonableCause: fc.constantFrom(null, ...REASONABLE_CAUSE_ANSWERS),
  pupilFlags: fc.subarray(PUPIL_FLAG_CODES),
  occurredAt: fc.constant(T),
  history,
});

/** Whether a level-4 rule (or the emergency) matches the concern itself, DOMAIN.md rules 1 to 5. */
function aStatutoryRuleMatches(input: GuidanceInput): boolean {
  return (
    input.indicators.some((code) => EMERGENCY_INDICATORS.includes(code) || STATUTORY_INDICATORS.includes(code)) ||
    input.category === 'sexual' ||
    input.issues.some((code) => STATUTORY_ISSUES.includes(code)) ||
    input.reasonableCause === 'yes' ||
    (['physical', 'emotional', 'neglect', 'financial'].includes(input.category) && input.reasonableCause !== 'no')
  );
}

const RUNS = { numRuns: 2000, seed: 20261130 };

describe('guidance safety properties (fast-check)', () => {
  it('never gives a level below 4 when a level-4 rule or the emergency matches', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const guidance = evaluateGuidance(input, CARDIFF_SERVICES);
        if (aStatutoryRuleMatches(input)) expect(severity(guidance.level)).toBeGreaterThanOrEqual(severity(4));
        if (input.indicators.some((code) => EMERGENCY_INDICATORS.includes(code))) expect(guidance.level).toBe(0);
      }),
      RUNS,
    );
  });

  it('the DSP answering "yes" always gives MASH, the police or the designated officer', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const guidance = evaluateGuidance({ ...input, reasonableCause: 'yes' }, CARDIFF_SERVICES);
        expect(['mash', 'police', 'designated_officer']).toContain(guidance.route);
      }),
      RUNS,
    );
  });

  it('rules only raise: adding an issue, an indicator, a flag or a "yes" never lowers the level', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom(...ISSUE_CODES),
        fc.constantFrom(...RISK_INDICATORS),
        fc.constantFrom(...PUPIL_FLAG_CODES),
        (input, issue, indicator, flag) => {
          const before = severity(evaluateGuidance(input, CARDIFF_SERVICES).level);
          const raised = [
            { ...input, issues: [...input.issues, issue] },
            { ...input, indicators: [...input.indicators, indicator] },
            { ...input, pupilFlags: [...(input.pupilFlags ?? []), flag] },
            { ...input, reasonableCause: 'yes' as const },
          ];
          for (const more of raised)
            expect(severity(evaluateGuidance(more, CARDIFF_SERVICES).level)).toBeGreaterThanOrEqual(before);
        },
      ),
      RUNS,
    );
  });

  it('no reason or trigger text contradicts the level (nothing school-led or "early help" beside a level 4 or 0)', () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom('en' as const, 'cy' as const), (input, language) => {
        const answer = toGuidanceAnswer(evaluateGuidance(input, CARDIFF_SERVICES), language);
        if (answer.level !== 4 && answer.level !== 0) return;
        const contradiction =
          language === 'en'
            ? /usually be met|led by the school|early help|significant harm/i
            : /diwallu|dan arweiniad yr ysgol|cymorth cynnar|niwed sylweddol/i;
        for (const finding of [...answer.reasons, ...answer.triggers])
          expect(finding.message).not.toMatch(contradiction);
        const schoolLed = ['elsa', 'thrive', 'school_counselling', 'team_around_the_school', 'team_around_the_cluster'];
        for (const service of answer.services) expect(schoolLed).not.toContain(service.code);
        expect(answer.services[0]?.code).toMatch(/^(mash|police|designated_officer)$/);
      }),
      RUNS,
    );
  });

  it('a level-1 to 3 answer never says a report is required by the rules it gives', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const answer = toGuidanceAnswer(evaluateGuidance(input, CARDIFF_SERVICES), 'en');
        if (severity(answer.level) >= severity(4)) return;
        for (const reason of answer.reasons) expect(reason.message).not.toMatch(/Report to MASH the same day unless/);
      }),
      RUNS,
    );
  });

  it('going up is never below the guidance, and whatever is below a level 4 or 0 needs a reason', () => {
    const chosen = fc.constantFrom(...DECISION_OUTCOMES, ...ESCALATION_ROUTES);
    fc.assert(
      fc.property(inputs, chosen, (input, choice) => {
        const guidance = evaluateGuidance(input, CARDIFF_SERVICES);
        const cause = input.reasonableCause ?? null;
        if (isAboveGuidance(choice, guidance)) expect(isBelowGuidance(choice, guidance, cause)).toBe(false);
        if (['mash', 'designated_officer', 'police'].includes(choice) && guidance.level !== 0)
          expect(isBelowGuidance(choice, guidance, cause)).toBe(guidance.route === 'police');
        if (isBelowGuidance(choice, guidance, cause) && severity(guidance.level) >= severity(4))
          expect(needsReasonForRoute(choice, guidance, cause)).toBe(true);
        if (cause === 'yes' && !['mash', 'designated_officer', 'police'].includes(choice))
          expect(needsReasonForRoute(choice, guidance, cause)).toBe(true);
      }),
      RUNS,
    );
  });

  it('an allegation against staff goes to the designated officer unless it is an emergency; the officer is listed only then', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const guidance = evaluateGuidance(input, CARDIFF_SERVICES);
        const allegation = input.indicators.includes('allegation_against_staff');
        if (allegation && guidance.level !== 0) expect(guidance.route).toBe('designated_officer');
        if (!allegation) expect(guidance.services.map((service) => service.code)).not.toContain('designated_officer');
        expect(guidance.level satisfies GuidanceLevel).toBeDefined();
      }),
      RUNS,
    );
  });
});
