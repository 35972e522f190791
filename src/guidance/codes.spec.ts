import {
  CONCERN_CATEGORIES,
  CONCERN_CONTEXTS,
  DECISION_OUTCOMES,
  DESIGNATED_OFFICER_OUTCOMES,
  EARLY_HELP_OUTCOMES,
  ESCALATION_ROUTES,
  EVIDENCE_BASES,
  ISSUE_CODES,
  LINKED_PUPIL_ROLES,
  MASH_CLOSING_OUTCOMES,
  MASH_OUTCOMES,
  RISK_INDICATORS,
} from './codes';

describe('canonical codes (DOMAIN.md)', () => {
  it('has the five categories of abuse in Welsh law, plus wellbeing', () => {
    expect(CONCERN_CATEGORIES).toEqual(['physical', 'sexual', 'emotional', 'neglect', 'financial', 'wellbeing']);
  });

  it('has the 25 issue codes in DOMAIN.md order', () => {
    expect(ISSUE_CODES).toHaveLength(25);
    expect(ISSUE_CODES[0]).toBe('domestic_abuse');
    expect(ISSUE_CODES[24]).toBe('anti_social_behaviour');
  });

  it('has the 11 risk indicators in DOMAIN.md order', () => {
    expect(RISK_INDICATORS).toHaveLength(11);
    expect(RISK_INDICATORS[0]).toBe('immediate_danger');
    expect(RISK_INDICATORS[10]).toBe('suicidal_intent');
  });

  it('has the other code lists exactly', () => {
    expect(CONCERN_CONTEXTS).toEqual(['family', 'extra_familial', 'online', 'peer', 'institutional']);
    expect(EVIDENCE_BASES).toEqual(['observed', 'disclosed_by_child', 'reported_by_other', 'opinion']);
    expect(LINKED_PUPIL_ROLES).toEqual(['alleged_perpetrator', 'witness', 'sibling', 'other']);
    expect(DECISION_OUTCOMES).toEqual([
      'no_further_action',
      'monitor',
      'school_support',
      'early_help',
      'mash',
      'designated_officer',
      'police',
    ]);
    expect(ESCALATION_ROUTES).toEqual(['mash', 'early_help', 'designated_officer', 'police']);
    expect(MASH_OUTCOMES).toEqual([
      'strategy_discussion',
      'care_and_support_assessment',
      'redirect_early_help',
      'information_advice_assistance',
      'no_further_action',
    ]);
    expect(EARLY_HELP_OUTCOMES).toEqual([
      'family_help',
      'team_around_the_family',
      'signposted',
      'declined_by_family',
      'stepped_up_to_mash',
    ]);
    expect(DESIGNATED_OFFICER_OUTCOMES).toEqual(['investigation', 'no_further_action']);
  });

  it('closes a MASH referral without statutory action on three outcomes', () => {
    expect([...MASH_CLOSING_OUTCOMES].sort()).toEqual([
      'information_advice_assistance',
      'no_further_action',
      'redirect_early_help',
    ]);
  });

  it('uses snake_case everywhere, with no duplicates', () => {
    for (const list of [
      CONCERN_CATEGORIES,
      ISSUE_CODES,
      RISK_INDICATORS,
      CONCERN_CONTEXTS,
      EVIDENCE_BASES,
      LINKED_PUPIL_ROLES,
      DECISION_OUTCOMES,
      MASH_OUTCOMES,
    ]) {
      expect(new Set(list).size).toBe(list.length);
      for (const code of list) expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});
