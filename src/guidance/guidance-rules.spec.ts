import {
  CONCERN_CATEGORIES,
  ConcernCategory,
  GuidanceLevel,
  ISSUE_CODES,
  IssueCode,
  RISK_INDICATORS,
  RiskIndicator,
} from './codes';
import {
  ABUSE_CATEGORIES,
  ADDITIONAL_NEED_ISSUES,
  COMPLEX_ISSUES,
  EMERGENCY_INDICATORS,
  FAMILY_NEED_ISSUES,
  GuidanceInput,
  STATUTORY_INDICATORS,
  STATUTORY_ISSUES,
  routeForLevel,
  severity,
} from './guidance-engine';
import { GuidanceAnswer } from './guidance.mapper';
import { concern, guidanceInWords, randomSubset, seededRandom } from './guidance-test-helpers';

const evaluate = (input: Partial<GuidanceInput>): GuidanceAnswer => guidanceInWords(concern(input), [], 'en');
const codes = (answer: GuidanceAnswer) => answer.reasons.map((reason) => reason.code);

/** The level each rule gives (DOMAIN.md rules 1 to 12), before the DSP has answered the threshold question. */
const RULE_LEVEL: Record<string, GuidanceLevel> = {
  emergency_indicator: 0,
  statutory_indicator: 4,
  sexual_abuse_category: 4,
  statutory_issue: 4,
  reasonable_cause: 4,
  abuse_category: 4,
  threshold_unsure: 3,
  social_worker_allocated: 3,
  complex_issue: 3,
  family_needs: 3,
  family_need: 2,
  additional_need: 2,
  universal: 1,
};

describe('guidance rules, each on its own', () => {
  describe('rule 1: an emergency indicator means level 0 (call 999)', () => {
    it.each(['immediate_danger', 'child_missing_now', 'medical_emergency', 'suicidal_intent'] as RiskIndicator[])(
      '%s → level 0, police, emergency',
      (indicator) => {
        const answer = evaluate({ indicators: [indicator] });
        expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
        expect(codes(answer)).toEqual(['emergency_indicator']);
        expect(answer.triggers).toEqual([]);
      },
    );

    it('lists exactly the four emergency indicators', () => {
      expect([...EMERGENCY_INDICATORS].sort()).toEqual([
        'child_missing_now',
        'immediate_danger',
        'medical_emergency',
        'suicidal_intent',
      ]);
    });
  });

  describe('rule 2: a statutory indicator means level 4 (report to MASH)', () => {
    it.each([
      'disclosure_of_abuse',
      'injury_suspected_non_accidental',
      'afraid_to_go_home',
      'sexual_activity_under_13',
      'fgm_known_or_suspected',
      'exploitation_indicators',
    ] as RiskIndicator[])('%s → level 4, MASH', (indicator) => {
      const answer = evaluate({ indicators: [indicator] });
      expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
      expect(codes(answer)).toEqual(['statutory_indicator']);
    });

    it('allegation_against_staff → level 4, but to the Designated Officer rather than MASH', () => {
      const answer = evaluate({ indicators: ['allegation_against_staff'] });
      expect(answer).toMatchObject({ level: 4, route: 'designated_officer', emergency: false });
      expect(codes(answer)).toEqual(['statutory_indicator']);
    });

    it('covers every risk indicator between rules 1 and 2', () => {
      expect([...EMERGENCY_INDICATORS, ...STATUTORY_INDICATORS].sort()).toEqual([...RISK_INDICATORS].sort());
    });
  });

  describe('rule 3: category sexual means level 4', () => {
    it('sexual abuse with nothing else → level 4, MASH', () => {
      const answer = evaluate({ category: 'sexual' });
      expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
      expect(codes(answer)).toEqual(['sexual_abuse_category']);
    });
  });

  describe('rule 4: a statutory issue means level 4', () => {
    it.each([
      'domestic_abuse',
      'child_sexual_exploitation',
      'child_criminal_exploitation',
      'trafficking',
      'fgm',
      'forced_marriage',
      'radicalisation',
    ] as IssueCode[])('%s → level 4, MASH', (issue) => {
      const answer = evaluate({ issues: [issue] });
      expect(answer).toMatchObject({ level: 4, route: 'mash' });
      expect(codes(answer)).toEqual(['statutory_issue']);
    });
  });

  describe('rule 5: the DSP has reasonable cause to suspect → level 4, report to MASH the same day', () => {
    it('"yes" on a wellbeing concern with nothing else → level 4, MASH', () => {
      const answer = evaluate({ reasonableCause: 'yes' });
      expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
      expect(codes(answer)).toEqual(['reasonable_cause']);
      expect(answer.reasons[0].message).toContain('same day');
      expect(answer.reasons[0].message).toContain('you do not need it to report');
    });

    it('"yes" does not lower an emergency', () => {
      expect(evaluate({ reasonableCause: 'yes', indicators: ['suicidal_intent'] }).level).toBe(0);
    });
  });

  describe('rule 6: suspected abuse is level 4 unless the DSP answers "no", then level 3', () => {
    it.each(['physical', 'emotional', 'neglect', 'financial'] as ConcernCategory[])(
      '%s with nothing else, not yet answered or answered yes → level 4, MASH',
      (category) => {
        for (const reasonableCause of [null, 'yes'] as const) {
          const answer = evaluate({ category, reasonableCause });
          expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
          expect(codes(answer)).toContain('abuse_category');
          expect(answer.reasons.find((reason) => reason.code === 'abuse_category')?.message).toContain('same day');
        }
      },
    );

    it.each(['physical', 'emotional', 'neglect', 'financial'] as ConcernCategory[])(
      '%s when the DSP judges there is no reasonable cause to suspect → level 3, early help',
      (category) => {
        const answer = evaluate({ category, reasonableCause: 'no' });
        expect(answer).toMatchObject({ level: 3, route: 'early_help' });
        expect(codes(answer)).toEqual(['abuse_category']);
        expect(answer.reasons[0].message).toContain('you judged that there is no reasonable cause');
      },
    );

    it('"unsure" on suspected abuse stays level 4 (only "no" lowers rule 6)', () => {
      expect(evaluate({ category: 'physical', reasonableCause: 'unsure' }).level).toBe(4);
    });

    it('"no" never lowers another rule: a bruise the DSP judges accidental but a disclosure stays level 4', () => {
      expect(evaluate({ category: 'physical', reasonableCause: 'no', indicators: ['disclosure_of_abuse'] }).level).toBe(
        4,
      );
      expect(evaluate({ category: 'sexual', reasonableCause: 'no' }).level).toBe(4);
    });

    it('wellbeing is not a category of abuse', () => {
      expect(ABUSE_CATEGORIES).not.toContain('wellbeing');
      expect(codes(evaluate({ category: 'wellbeing' }))).toEqual(['universal']);
    });
  });

  describe('rule 7: the DSP is not sure → at least level 3, and consult MASH now', () => {
    it('"unsure" on a wellbeing concern → level 3 with consult_mash in alsoDo', () => {
      const answer = evaluate({ reasonableCause: 'unsure' });
      expect(answer).toMatchObject({ level: 3, route: 'early_help' });
      expect(codes(answer)).toEqual(['threshold_unsure']);
      expect(answer.alsoDo.map((step) => step.code)).toEqual(['consult_mash']);
      expect(answer.alsoDo[0].message).toContain('does not replace a report');
    });

    it('"unsure" keeps a level-4 concern at level 4, with words that do not suggest early help', () => {
      const answer = evaluate({ reasonableCause: 'unsure', indicators: ['disclosure_of_abuse'] });
      expect(answer.level).toBe(4);
      const unsure = answer.reasons.find((reason) => reason.code === 'threshold_unsure')!;
      expect(unsure.message).not.toMatch(/early help/i);
      expect(unsure.message).toContain('already calls for a report');
    });
  });

  describe('rule 11: a child with a social worker (looked after, child protection register)', () => {
    it.each(['looked_after', 'cp_register'])(
      '%s → at least level 3, and tell the social worker the same day',
      (flag) => {
        const answer = evaluate({ issues: ['bullying'], pupilFlags: [flag] });
        expect(answer).toMatchObject({ level: 3, route: 'early_help' });
        expect(codes(answer)).toContain('social_worker_allocated');
        expect(answer.alsoDo.map((step) => step.code)).toEqual(['tell_social_worker']);
        expect(answer.alsoDo[0].message).toContain('same day');
      },
    );

    it('keeps a level-4 concern at level 4 and still asks to tell the social worker', () => {
      const answer = evaluate({ indicators: ['disclosure_of_abuse'], pupilFlags: ['looked_after'] });
      expect(answer.level).toBe(4);
      expect(answer.alsoDo.map((step) => step.code)).toContain('tell_social_worker');
    });

    it('other flags do not raise the level', () => {
      expect(evaluate({ pupilFlags: ['aln', 'fsm', 'eal', 'young_carer', 'welsh_speaker'] }).level).toBe(1);
    });
  });

  describe('extra steps whatever the level (alsoDo)', () => {
    const steps = (input: Partial<GuidanceInput>) => evaluate(input).alsoDo.map((step) => step.code);

    it('missing from home: the police (999 if missing now, otherwise 101) and a return-home interview', () => {
      expect(steps({ issues: ['missing_from_home'] })).toEqual(['report_missing_to_police', 'return_home_interview']);
      const message = evaluate({ issues: ['missing_from_home'] }).alsoDo[0].message;
      expect(message).toContain('101');
      expect(message).toContain('999');
    });

    it('missing education: the local authority’s children missing education officer', () => {
      expect(steps({ issues: ['missing_education'] })).toEqual(['notify_cme']);
    });

    it('FGM (issue or indicator): the teacher’s own duty to report to the police', () => {
      expect(steps({ issues: ['fgm'] })).toEqual(['report_fgm_to_police']);
      expect(steps({ indicators: ['fgm_known_or_suspected'] })).toEqual(['report_fgm_to_police']);
    });

    it('nothing extra for an ordinary concern', () => {
      expect(steps({ issues: ['bullying'] })).toEqual([]);
    });
  });

  describe('rule 8: a complex issue means level 3', () => {
    it.each([
      'self_harm',
      'substance_misuse',
      'missing_from_home',
      'harmful_sexual_behaviour',
      'exclusion_risk',
      'anti_social_behaviour',
      'parent_in_custody',
    ] as IssueCode[])('%s → level 3, early help', (issue) => {
      const answer = evaluate({ issues: [issue] });
      expect(answer).toMatchObject({ level: 3, route: 'early_help' });
      expect(codes(answer)).toEqual(['complex_issue']);
    });
  });

  describe('rule 9: family needs', () => {
    it.each([
      'parental_substance_misuse',
      'parental_mental_health',
      'housing',
      'financial_hardship',
      'young_carer',
      'missing_education',
    ] as IssueCode[])('exactly one family need (%s) → level 2, school support', (issue) => {
      const answer = evaluate({ issues: [issue] });
      expect(answer).toMatchObject({ level: 2, route: 'school_support' });
      expect(codes(answer)).toEqual(['family_need']);
    });

    it('every pair of family needs → level 3, early help (family_needs, never also family_need)', () => {
      for (const first of FAMILY_NEED_ISSUES) {
        for (const second of FAMILY_NEED_ISSUES) {
          if (first === second) continue;
          const answer = evaluate({ issues: [first, second] });
          expect(answer).toMatchObject({ level: 3, route: 'early_help' });
          expect(codes(answer)).toEqual(['family_needs']);
        }
      }
    });

    it('all six family needs → one family_needs reason naming all six', () => {
      const answer = evaluate({ issues: [...FAMILY_NEED_ISSUES] });
      expect(answer.level).toBe(3);
      expect(codes(answer)).toEqual(['family_needs']);
      expect(answer.reasons[0].message).toContain('6 family needs');
      expect(answer.reasons[0].message).toContain('Housing');
      expect(answer.reasons[0].message).toContain('Missing education');
    });

    it('the same family need recorded twice is still one need (level 2)', () => {
      const answer = evaluate({ issues: ['housing', 'housing'] });
      expect(answer.level).toBe(2);
      expect(codes(answer)).toEqual(['family_need']);
    });
  });

  describe('rule 10: an additional need means level 2', () => {
    it.each(['online_safety', 'bullying', 'mental_health', 'attendance', 'behaviour'] as IssueCode[])(
      '%s → level 2, school support',
      (issue) => {
        const answer = evaluate({ issues: [issue] });
        expect(answer).toMatchObject({ level: 2, route: 'school_support' });
        expect(codes(answer)).toEqual(['additional_need']);
      },
    );
  });

  describe('rule 12: universal', () => {
    it('a wellbeing concern with no issues or indicators → level 1, monitor', () => {
      const answer = evaluate({});
      expect(answer).toMatchObject({
        level: 1,
        route: 'monitor',
        emergency: false,
        triggers: [],
        chronologyReviewAdvised: false,
      });
      expect(codes(answer)).toEqual(['universal']);
    });

    it('is given only when no other rule matched', () => {
      expect(codes(evaluate({ issues: ['bullying'] }))).not.toContain('universal');
      expect(codes(evaluate({ category: 'neglect' }))).not.toContain('universal');
    });
  });

  it('places every issue code in exactly one rule', () => {
    const ruled = [...STATUTORY_ISSUES, ...COMPLEX_ISSUES, ...FAMILY_NEED_ISSUES, ...ADDITIONAL_NEED_ISSUES];
    expect(ruled.length).toBe(new Set(ruled).size);
    expect([...ruled].sort()).toEqual([...ISSUE_CODES].sort());
  });
});

describe('guidance rules together: the most severe level wins', () => {
  it('a statutory issue beats an additional need (4 over 2)', () => {
    const answer = evaluate({ issues: ['bullying', 'domestic_abuse'] });
    expect(answer.level).toBe(4);
    expect(codes(answer)).toEqual(['statutory_issue', 'additional_need']);
  });

  it('a complex issue beats a single family need (3 over 2)', () => {
    const answer = evaluate({ issues: ['housing', 'self_harm'] });
    expect(answer.level).toBe(3);
    expect(codes(answer)).toEqual(['complex_issue', 'family_need']);
  });

  it('an emergency beats everything, including sexual abuse and statutory issues (0 over 4)', () => {
    const answer = evaluate({
      category: 'sexual',
      issues: ['trafficking', 'bullying'],
      indicators: ['child_missing_now', 'disclosure_of_abuse'],
    });
    expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
    expect(codes(answer)).toEqual([
      'emergency_indicator',
      'statutory_indicator',
      'sexual_abuse_category',
      'statutory_issue',
      'additional_need',
    ]);
  });

  it('every matching rule gives its reason, in the order of the rules, each once', () => {
    const answer = evaluate({
      category: 'neglect',
      issues: ['online_safety', 'housing', 'young_carer', 'self_harm', 'fgm', 'bullying'],
      indicators: ['afraid_to_go_home', 'medical_emergency'],
    });
    expect(codes(answer)).toEqual([
      'emergency_indicator',
      'statutory_indicator',
      'statutory_issue',
      'abuse_category',
      'complex_issue',
      'family_needs',
      'additional_need',
    ]);
  });

  it('names the matching indicators and issues in the reasons', () => {
    const answer = evaluate({
      issues: ['self_harm', 'substance_misuse'],
      indicators: ['disclosure_of_abuse', 'afraid_to_go_home'],
    });
    const statutory = answer.reasons.find((reason) => reason.code === 'statutory_indicator')!;
    expect(statutory.message).toContain('Disclosure of abuse, Afraid to go home');
    const complex = answer.reasons.find((reason) => reason.code === 'complex_issue')!;
    expect(complex.message).toContain('Self-harm, Substance misuse');
  });
});

describe('guidance properties over every category and many combinations of issues and indicators', () => {
  /** Inputs: every category × (nothing, each code alone, pairs of codes, and seeded random sets). */
  function generatedInputs(): Array<{ category: ConcernCategory; issues: IssueCode[]; indicators: RiskIndicator[] }> {
    const combos: Array<{ issues: IssueCode[]; indicators: RiskIndicator[] }> = [{ issues: [], indicators: [] }];
    for (const issue of ISSUE_CODES) combos.push({ issues: [issue], indicators: [] });
    for (const indicator of RISK_INDICATORS) combos.push({ issues: [], indicators: [indicator] });
    ISSUE_CODES.forEach((first, i) =>
      ISSUE_CODES.slice(i + 1).forEach((second) => combos.push({ issues: [first, second], indicators: [] })),
    );
    for (const issue of ISSUE_CODES)
      for (const indicator of RISK_INDICATORS) combos.push({ issues: [issue], indicators: [indicator] });
    const random = seededRandom(20250615);
    for (let n = 0; n < 300; n += 1) {
      combos.push({
        issues: randomSubset(ISSUE_CODES, random, 0.15),
        indicators: randomSubset(RISK_INDICATORS, random, 0.1),
      });
    }
    return CONCERN_CATEGORIES.flatMap((category) => combos.map((combo) => ({ category, ...combo })));
  }
  const inputs = generatedInputs();
  const random = seededRandom(42);
  const extraIssues = () => randomSubset(ISSUE_CODES, random, 0.2);
  const extraIndicators = () => randomSubset(RISK_INDICATORS, random, 0.1);

  it(`holds for ${inputs.length} generated concerns`, () => {
    expect(inputs.length).toBeGreaterThan(5000);
  });

  it('every answer has at least one reason, and the level is the most severe level any reason gives', () => {
    for (const input of inputs) {
      const answer = evaluate(input);
      expect(answer.reasons.length).toBeGreaterThanOrEqual(1);
      const mostSevere = Math.max(...answer.reasons.map((reason) => severity(RULE_LEVEL[reason.code])));
      expect(severity(answer.level)).toBe(mostSevere);
      expect(new Set(codes(answer)).size).toBe(answer.reasons.length);
    }
  });

  it('level 0 is always an emergency with route police, and only level 0 is', () => {
    for (const input of inputs) {
      const answer = evaluate(input);
      expect(answer.emergency).toBe(answer.level === 0);
      expect(answer.route === 'police').toBe(answer.level === 0);
    }
  });

  it('the route follows the level, except that an allegation against staff goes to the Designated Officer below level 0', () => {
    for (const input of inputs) {
      const answer = evaluate(input);
      const allegation = input.indicators.includes('allegation_against_staff');
      if (allegation && answer.level !== 0) expect(answer).toMatchObject({ level: 4, route: 'designated_officer' });
      else expect(answer.route).toBe(routeForLevel(answer.level));
    }
  });

  it('adding issues or indicators never lowers the level', () => {
    for (const input of inputs) {
      const before = evaluate(input);
      const after = evaluate({
        ...input,
        issues: [...input.issues, ...extraIssues()],
        indicators: [...input.indicators, ...extraIndicators()],
      });
      expect(severity(after.level)).toBeGreaterThanOrEqual(severity(before.level));
    }
  });

  it('a level-4 concern never comes out below level 4, and a level-0 concern stays level 0, whatever else is added', () => {
    let statutory = 0;
    let emergency = 0;
    for (const input of inputs) {
      const before = evaluate(input);
      if (before.level !== 4 && before.level !== 0) continue;
      if (before.level === 4) statutory += 1;
      else emergency += 1;
      for (let n = 0; n < 3; n += 1) {
        const after = evaluate({
          ...input,
          issues: [...input.issues, ...extraIssues()],
          indicators: [...input.indicators, ...extraIndicators()],
        });
        if (before.level === 0) expect(after.level).toBe(0);
        else expect([4, 0]).toContain(after.level);
      }
    }
    expect(statutory).toBeGreaterThan(100);
    expect(emergency).toBeGreaterThan(100);
  });

  it('a sexual-abuse concern is level 4 or 0 whatever issues are added, and an emergency indicator makes any concern level 0', () => {
    for (const input of inputs) {
      if (input.category === 'sexual') expect([4, 0]).toContain(evaluate(input).level);
      expect(evaluate({ ...input, indicators: [...input.indicators, 'immediate_danger'] }).level).toBe(0);
    }
  });

  it('does not depend on the order in which issues and indicators were recorded', () => {
    for (const input of inputs.filter((_, i) => i % 7 === 0)) {
      const forwards = evaluate(input);
      const backwards = evaluate({
        ...input,
        issues: [...input.issues].reverse(),
        indicators: [...input.indicators].reverse(),
      });
      expect(backwards.level).toBe(forwards.level);
      expect(backwards.route).toBe(forwards.route);
      expect(codes(backwards)).toEqual(codes(forwards));
    }
  });
});

describe('allegations against staff', () => {
  it('go to the Designated Officer, level 4', () => {
    expect(evaluate({ category: 'physical', indicators: ['allegation_against_staff'] })).toMatchObject({
      level: 4,
      route: 'designated_officer',
      emergency: false,
    });
  });

  it('go to the Designated Officer even with other statutory indicators and issues', () => {
    const answer = evaluate({
      category: 'emotional',
      issues: ['domestic_abuse'],
      indicators: ['disclosure_of_abuse', 'injury_suspected_non_accidental', 'allegation_against_staff'],
    });
    expect(answer).toMatchObject({ level: 4, route: 'designated_officer' });
  });

  it('go to the Designated Officer when the category is sexual abuse', () => {
    const answer = evaluate({
      category: 'sexual',
      indicators: ['allegation_against_staff', 'sexual_activity_under_13'],
    });
    expect(answer).toMatchObject({ level: 4, route: 'designated_officer' });
    expect(codes(answer)).toEqual(['statutory_indicator', 'sexual_abuse_category']);
  });

  it('say so in the statutory reason (Designated Officer, not MASH alone)', () => {
    const answer = evaluate({ indicators: ['allegation_against_staff'] });
    expect(answer.reasons[0].message).toContain('Designated Officer');
    expect(answer.reasons[0].message).toContain('Allegation against a member of staff');
    expect(evaluate({ indicators: ['disclosure_of_abuse'] }).reasons[0].message).not.toContain('Designated Officer');
  });

  it.each(['immediate_danger', 'child_missing_now', 'medical_emergency', 'suicidal_intent'] as RiskIndicator[])(
    'stay an emergency for the police with %s (level 0)',
    (indicator) => {
      const answer = evaluate({ category: 'sexual', indicators: ['allegation_against_staff', indicator] });
      expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
    },
  );

  it('take precedence over MASH even when history raises the level to 4 (repeat MASH referrals)', () => {
    const sentAt = new Date('2025-05-01T00:00:00Z');
    const answer = evaluate({
      indicators: ['allegation_against_staff'],
      history: {
        otherConcerns: [],
        mashEscalations: [
          { sentAt, concernIsThisOne: false, outcome: null, outcomeAt: null },
          { sentAt, concernIsThisOne: false, outcome: null, outcomeAt: null },
        ],
      },
    });
    expect(answer).toMatchObject({ level: 4, route: 'designated_officer' });
    expect(answer.triggers.map((trigger) => trigger.code)).toEqual(['repeat_mash']);
  });
});

describe('robustness', () => {
  it('treats missing issue and indicator lists as empty', () => {
    const answer = guidanceInWords(
      {
        ...concern(),
        issues: undefined as unknown as IssueCode[],
        indicators: undefined as unknown as RiskIndicator[],
      },
      [],
      'en',
    );
    expect(answer).toMatchObject({ level: 1, route: 'monitor' });
  });

  it('ignores codes it does not know rather than failing', () => {
    const answer = evaluate({
      issues: ['made_up' as IssueCode, 'bullying'],
      indicators: ['nonsense' as RiskIndicator],
    });
    expect(answer).toMatchObject({ level: 2, route: 'school_support' });
    expect(codes(answer)).toEqual(['additional_need']);
  });

  it('does not change its input', () => {
    const input = concern({ category: 'neglect', issues: ['housing', 'housing'], indicators: ['afraid_to_go_home'] });
    const copy: unknown = JSON.parse(JSON.stringify(input));
    guidanceInWords(input, [], 'cy');
    expect(JSON.parse(JSON.stringify(input))).toEqual(copy);
  });
});
