import { CARDIFF_SERVICES } from './cardiff-services';
import {
  CONCERN_CATEGORIES,
  GUIDANCE_LEVELS,
  GuidanceLevel,
  GuidanceRoute,
  ISSUE_CODES,
  IssueCode,
  RISK_INDICATORS,
} from './codes';
import {
  GuidanceInput,
  ROUTE_ORDER,
  STATUTORY_SERVICE_CODES,
  ServiceDirectoryEntry,
  isAboveGuidance,
  isAgainstRecommendation,
  isBelowGuidance,
  levelInRange,
  matchServices,
  needsReasonForRoute,
  routeForLevel,
  severity,
} from './guidance-engine';
import { concern, guidanceInWords, randomSubset, seededRandom } from './guidance-test-helpers';

describe('levels and routes', () => {
  it('orders levels by severity: 1 < 2 < 3 < 4 < 0', () => {
    expect([1, 2, 3, 4, 0].map((level) => severity(level as GuidanceLevel))).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    [0, 'police'],
    [1, 'monitor'],
    [2, 'school_support'],
    [3, 'early_help'],
    [4, 'mash'],
  ] as Array<[GuidanceLevel, GuidanceRoute]>)('level %s has the default route %s', (level, route) => {
    expect(routeForLevel(level)).toBe(route);
  });

  it('orders routes monitor < school_support < early_help < mash = designated_officer < police', () => {
    expect(ROUTE_ORDER.monitor).toBeLessThan(ROUTE_ORDER.school_support);
    expect(ROUTE_ORDER.school_support).toBeLessThan(ROUTE_ORDER.early_help);
    expect(ROUTE_ORDER.early_help).toBeLessThan(ROUTE_ORDER.mash);
    expect(ROUTE_ORDER.mash).toBe(ROUTE_ORDER.designated_officer);
    expect(ROUTE_ORDER.designated_officer).toBeLessThan(ROUTE_ORDER.police);
  });
});

describe('below and above the guidance (only going down is ever flagged)', () => {
  const guidance = (level: GuidanceLevel, route: GuidanceRoute = routeForLevel(level)) => ({ level, route });

  it.each([1, 2, 3] as GuidanceLevel[])(
    'a MASH referral for a level-%s concern is NOT against the recommendation: going up is never flagged',
    (level) => {
      expect(isAgainstRecommendation('mash', guidance(level))).toBe(false);
      expect(isBelowGuidance('mash', guidance(level))).toBe(false);
      expect(isAboveGuidance('mash', guidance(level))).toBe(true);
    },
  );

  it('a MASH referral for a level-4 or level-0 concern is neither below nor above', () => {
    for (const level of [4, 0] as GuidanceLevel[]) {
      expect(isAgainstRecommendation('mash', guidance(level))).toBe(false);
      expect(isAboveGuidance('mash', guidance(level))).toBe(false);
    }
  });

  it('for a level-0 concern, both the police and MASH follow the guidance (999, then MASH)', () => {
    expect(isBelowGuidance('police', guidance(0))).toBe(false);
    expect(isBelowGuidance('mash', guidance(0))).toBe(false);
  });

  it('for a level-0 concern, early help, monitoring or no further action are below the guidance and need a reason', () => {
    for (const chosen of ['early_help', 'monitor', 'school_support', 'no_further_action'] as const) {
      expect(isBelowGuidance(chosen, guidance(0))).toBe(true);
      expect(needsReasonForRoute(chosen, guidance(0))).toBe(true);
    }
  });

  it('early help for a level-4 concern is below the guidance (below MASH) and needs a reason', () => {
    expect(isAgainstRecommendation('early_help', guidance(4))).toBe(true);
    expect(isAgainstRecommendation('early_help', guidance(4, 'designated_officer'))).toBe(true);
    expect(needsReasonForRoute('early_help', guidance(4))).toBe(true);
  });

  it('early help follows the guidance at levels 1 to 3', () => {
    for (const level of [1, 2, 3] as GuidanceLevel[])
      expect(isAgainstRecommendation('early_help', guidance(level))).toBe(false);
  });

  it('monitoring a level-3 concern is below the guidance but needs no reason (only below a level 4 or 0 does)', () => {
    expect(isBelowGuidance('monitor', guidance(3))).toBe(true);
    expect(needsReasonForRoute('monitor', guidance(3))).toBe(false);
  });

  it('after the DSP answered "yes" (reasonable cause), anything below MASH is below the guidance and needs a reason', () => {
    for (const level of [1, 2, 3] as GuidanceLevel[]) {
      for (const chosen of ['no_further_action', 'monitor', 'school_support', 'early_help'] as const) {
        expect(isBelowGuidance(chosen, guidance(level), 'yes')).toBe(true);
        expect(needsReasonForRoute(chosen, guidance(level), 'yes')).toBe(true);
      }
      expect(isBelowGuidance('mash', guidance(level), 'yes')).toBe(false);
    }
  });

  it('no further action is the lowest choice of all', () => {
    expect(isBelowGuidance('no_further_action', guidance(1))).toBe(true);
    expect(isBelowGuidance('monitor', guidance(1))).toBe(false);
  });

  it('the Designated Officer and MASH are equal in order', () => {
    expect(isAgainstRecommendation('designated_officer', guidance(4))).toBe(false);
    expect(isAgainstRecommendation('mash', guidance(4, 'designated_officer'))).toBe(false);
    expect(isAgainstRecommendation('designated_officer', guidance(4, 'designated_officer'))).toBe(false);
  });

  it('the police are above every other route, so never below the guidance', () => {
    for (const level of GUIDANCE_LEVELS) expect(isAgainstRecommendation('police', guidance(level))).toBe(false);
  });

  it('a Designated Officer referral for a level 1–3 concern is not below the guidance (it is above)', () => {
    for (const level of [1, 2, 3] as GuidanceLevel[]) {
      expect(isAgainstRecommendation('designated_officer', guidance(level))).toBe(false);
      expect(isAboveGuidance('designated_officer', guidance(level))).toBe(true);
    }
  });

  it('agrees with the answers of the engine', () => {
    const sexual = guidanceInWords(concern({ category: 'sexual' }), [], 'en');
    expect(isAgainstRecommendation('mash', sexual)).toBe(false);
    expect(isAgainstRecommendation('early_help', sexual)).toBe(true);
    const bullying = guidanceInWords(concern({ issues: ['bullying'] }), [], 'en');
    expect(isAgainstRecommendation('mash', bullying)).toBe(false);
    expect(isAboveGuidance('mash', bullying)).toBe(true);
    expect(isAgainstRecommendation('early_help', bullying)).toBe(false);
  });
});

describe('service matching', () => {
  const entry = (
    code: string,
    minLevel: GuidanceLevel,
    maxLevel: GuidanceLevel,
    issueTags: IssueCode[] = [],
  ): ServiceDirectoryEntry => ({
    code,
    name: { en: `${code} name`, cy: `enw ${code}` },
    description: { en: `${code} description`, cy: `disgrifiad ${code}` },
    howToAccess: { en: `${code} access`, cy: `mynediad ${code}` },
    minLevel,
    maxLevel,
    issueTags,
  });
  const directory = [
    entry('untagged_2', 2, 2),
    entry('untagged_2_3', 2, 3),
    entry('tagged_bullying_2_3', 2, 3, ['bullying', 'online_safety']),
    entry('tagged_housing_3', 3, 3, ['housing']),
    entry('statutory', 4, 0),
    entry('emergency_only', 0, 0),
    entry('universal_to_early_help', 1, 3),
  ];
  const services = (input: Partial<GuidanceInput>, language: 'en' | 'cy' = 'en') =>
    guidanceInWords(concern(input), directory, language).services.map((service) => service.code);

  it('compares level ranges by severity, so 4..0 holds levels 4 and 0 only', () => {
    expect(levelInRange(4, 4, 0)).toBe(true);
    expect(levelInRange(0, 4, 0)).toBe(true);
    expect(levelInRange(3, 4, 0)).toBe(false);
    expect(levelInRange(0, 1, 4)).toBe(false);
    expect(levelInRange(0, 1, 0)).toBe(true);
    expect(levelInRange(2, 2, 2)).toBe(true);
    expect(levelInRange(1, 2, 3)).toBe(false);
  });

  it('lists untagged services in range for any concern at that level', () => {
    expect(services({ issues: ['attendance'] })).toEqual(['untagged_2', 'untagged_2_3', 'universal_to_early_help']);
  });

  it('lists a tagged service only when it shares a tag with the concern’s issues', () => {
    expect(services({ issues: ['bullying'] })).toEqual([
      'untagged_2',
      'untagged_2_3',
      'tagged_bullying_2_3',
      'universal_to_early_help',
    ]);
    expect(services({ issues: ['housing'] })).toEqual(['untagged_2', 'untagged_2_3', 'universal_to_early_help']);
    expect(services({ issues: ['housing', 'young_carer'] })).toEqual([
      'untagged_2_3',
      'tagged_housing_3',
      'universal_to_early_help',
    ]);
  });

  it('does not list a tagged service whose tag matches but whose range does not hold the level', () => {
    expect(services({ category: 'sexual', issues: ['bullying', 'housing'] })).toEqual(['statutory']);
  });

  it('lists services in the order of the directory', () => {
    expect(services({ category: 'neglect', reasonableCause: 'no', issues: ['housing', 'bullying'] })).toEqual([
      'untagged_2_3',
      'tagged_bullying_2_3',
      'tagged_housing_3',
      'universal_to_early_help',
    ]);
  });

  it('lists the statutory contacts first at level 4 and 0, the designated officer only for an allegation', () => {
    const withContacts = [
      entry('early_help_to_4', 3, 4),
      entry('designated_officer', 4, 0),
      entry('emergency_duty_team', 4, 0),
      entry('mash', 4, 0),
      entry('police', 0, 0),
    ];
    const codesFor = (input: Partial<GuidanceInput>) =>
      guidanceInWords(concern(input), withContacts, 'en').services.map((service) => service.code);
    expect(codesFor({ indicators: ['disclosure_of_abuse'] })).toEqual([
      'mash',
      'emergency_duty_team',
      'early_help_to_4',
    ]);
    expect(codesFor({ indicators: ['suicidal_intent'] })).toEqual(['police', 'mash', 'emergency_duty_team']);
    expect(codesFor({ indicators: ['allegation_against_staff'] })).toEqual([
      'designated_officer',
      'mash',
      'emergency_duty_team',
      'early_help_to_4',
    ]);
  });

  it('lists the emergency services for a level-0 concern', () => {
    expect(services({ indicators: ['immediate_danger'] })).toEqual(['statutory', 'emergency_only']);
  });

  it('uses the level after history triggers', () => {
    const otherConcerns = [
      { occurredAt: new Date('2025-06-01T00:00:00Z'), category: 'wellbeing' as const },
      { occurredAt: new Date('2025-06-02T00:00:00Z'), category: 'wellbeing' as const },
    ];
    expect(services({ history: { otherConcerns, mashEscalations: [] } })).toEqual([
      'untagged_2_3',
      'universal_to_early_help',
    ]);
  });

  it('gives each service in the user’s language', () => {
    const [english] = guidanceInWords(concern({ issues: ['bullying'] }), directory, 'en').services;
    const [welsh] = guidanceInWords(concern({ issues: ['bullying'] }), directory, 'cy').services;
    expect(english).toEqual({
      code: 'untagged_2',
      name: 'untagged_2 name',
      description: 'untagged_2 description',
      howToAccess: 'untagged_2 access',
    });
    expect(welsh).toEqual({
      code: 'untagged_2',
      name: 'enw untagged_2',
      description: 'disgrifiad untagged_2',
      howToAccess: 'mynediad untagged_2',
    });
  });

  it('lists nothing from an empty directory', () => {
    expect(services({ category: 'physical' }).length).toBeGreaterThan(0);
    expect(guidanceInWords(concern({ category: 'physical' }), [], 'en').services).toEqual([]);
  });

  it('matchServices works on the directory entries directly', () => {
    expect(matchServices(directory, 3, ['housing']).map((service) => service.code)).toEqual([
      'untagged_2_3',
      'tagged_housing_3',
      'universal_to_early_help',
    ]);
  });
});

describe('the Cardiff services directory', () => {
  const codes = (input: Partial<GuidanceInput>) =>
    guidanceInWords(concern(input), CARDIFF_SERVICES, 'en').services.map((service) => service.code);

  it('has unique codes in snake_case', () => {
    const all = CARDIFF_SERVICES.map((service) => service.code);
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('has a name, description and how to access in English and in Welsh, different from each other', () => {
    for (const service of CARDIFF_SERVICES) {
      for (const field of ['name', 'description', 'howToAccess'] as const) {
        expect(service[field].en.trim()).not.toBe('');
        expect(service[field].cy.trim()).not.toBe('');
        if (field !== 'name') expect(service[field].cy).not.toBe(service[field].en);
      }
    }
  });

  it('tags services only with known issue codes and uses valid level ranges', () => {
    for (const service of CARDIFF_SERVICES) {
      for (const tag of service.issueTags) expect(ISSUE_CODES).toContain(tag);
      expect(severity(service.minLevel)).toBeLessThanOrEqual(severity(service.maxLevel));
    }
  });

  it.each([2, 3] as GuidanceLevel[])('has at least one untagged service for level %s', (level) => {
    expect(
      CARDIFF_SERVICES.some(
        (service) => service.issueTags.length === 0 && levelInRange(level, service.minLevel, service.maxLevel),
      ),
    ).toBe(true);
  });

  it('covers the services DOMAIN.md names', () => {
    const all = CARDIFF_SERVICES.map((service) => service.code);
    for (const code of [
      'elsa',
      'thrive',
      'school_counselling',
      'team_around_the_school',
      'team_around_the_cluster',
      'family_gateway',
      'family_help',
      'family_support_teams',
      'adolescent_resource_centre',
      'emotional_wellbeing_spoa',
      'mash',
      'emergency_duty_team',
      'police',
      'designated_officer',
    ]) {
      expect(all).toContain(code);
    }
  });

  it('places the statutory services at level 4 and the emergency', () => {
    const byCode = Object.fromEntries(CARDIFF_SERVICES.map((service) => [service.code, service]));
    for (const code of ['mash', 'emergency_duty_team', 'designated_officer']) {
      expect(levelInRange(4, byCode[code].minLevel, byCode[code].maxLevel)).toBe(true);
      expect(levelInRange(0, byCode[code].minLevel, byCode[code].maxLevel)).toBe(true);
      expect(levelInRange(3, byCode[code].minLevel, byCode[code].maxLevel)).toBe(false);
    }
    expect(levelInRange(0, byCode.police.minLevel, byCode.police.maxLevel)).toBe(true);
  });

  it('always lists something at levels 2 and 3, for every category and many combinations of issues', () => {
    const random = seededRandom(7);
    const issueSets: IssueCode[][] = [[], ...ISSUE_CODES.map((issue) => [issue])];
    for (let n = 0; n < 400; n += 1) issueSets.push(randomSubset(ISSUE_CODES, random, 0.15));
    let checked = 0;
    for (const category of CONCERN_CATEGORIES) {
      for (const issues of issueSets) {
        // Suspected abuse is level 4 unless the DSP answers "no" (rule 6): ask with that answer.
        const answer = guidanceInWords(concern({ category, issues, reasonableCause: 'no' }), CARDIFF_SERVICES, 'en');
        if (answer.level === 2 || answer.level === 3) {
          checked += 1;
          expect(answer.services.length).toBeGreaterThan(0);
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('lists MASH and the out-of-hours team for every level-4 and level-0 concern', () => {
    for (const indicator of RISK_INDICATORS) {
      const listed = codes({ indicators: [indicator] });
      expect(listed).toContain('mash');
      expect(listed).toContain('emergency_duty_team');
    }
  });

  it('lists the police (999) for an emergency, and not for a level-4 concern', () => {
    expect(codes({ indicators: ['child_missing_now'] })).toContain('police');
    expect(codes({ indicators: ['disclosure_of_abuse'] })).not.toContain('police');
  });

  it('lists the Designated Officer for an allegation against staff, and only then', () => {
    expect(codes({ indicators: ['allegation_against_staff'] })[0]).toBe('designated_officer');
    for (const indicator of RISK_INDICATORS.filter((code) => code !== 'allegation_against_staff'))
      expect(codes({ indicators: [indicator] })).not.toContain('designated_officer');
    expect(codes({ category: 'sexual' })).not.toContain('designated_officer');
  });

  it('lists the statutory contacts before anything else at level 4 and 0, and no school-led service', () => {
    const schoolLed = ['elsa', 'thrive', 'school_counselling', 'team_around_the_school', 'team_around_the_cluster'];
    for (const indicator of RISK_INDICATORS) {
      const listed = codes({ indicators: [indicator], issues: ['bullying', 'self_harm', 'mental_health'] });
      const firstOther = listed.findIndex((code) => !STATUTORY_SERVICE_CODES.includes(code));
      const lastStatutory = Math.max(...listed.map((code, i) => (STATUTORY_SERVICE_CODES.includes(code) ? i : -1)));
      if (firstOther >= 0) expect(lastStatutory).toBeLessThan(firstOther);
      for (const code of schoolLed) expect(listed).not.toContain(code);
    }
  });

  it('lists the police non-emergency line for exploitation, and not for domestic abuse alone', () => {
    expect(codes({ issues: ['child_criminal_exploitation'] })).toContain('police_non_emergency');
    expect(codes({ issues: ['domestic_abuse'] })).not.toContain('police_non_emergency');
  });

  it('lists school-led services for bullying and early help services for family needs', () => {
    expect(codes({ issues: ['bullying'] })).toEqual(
      expect.arrayContaining(['elsa', 'school_counselling', 'team_around_the_school', 'family_gateway']),
    );
    expect(codes({ issues: ['housing', 'financial_hardship'] })).toEqual(
      expect.arrayContaining(['family_gateway', 'family_help', 'family_support_teams']),
    );
    expect(codes({ issues: ['housing', 'financial_hardship'] })).not.toContain('elsa');
  });

  it('points a universal concern to the Family Gateway for advice', () => {
    expect(codes({})).toEqual(['family_gateway']);
  });
});
