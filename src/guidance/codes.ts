/**
 * The canonical codes of the safeguarding domain (docs: shared/design/DOMAIN.md). They are part of the
 * public API: stored, sent and received exactly as written here.
 */

/** The five categories of abuse in Welsh law, plus `wellbeing` (a need without suspected abuse). */
export const CONCERN_CATEGORIES = ['physical', 'sexual', 'emotional', 'neglect', 'financial', 'wellbeing'] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

export const ISSUE_CODES = [
  'domestic_abuse',
  'child_sexual_exploitation',
  'child_criminal_exploitation',
  'trafficking',
  'fgm',
  'forced_marriage',
  'radicalisation',
  'harmful_sexual_behaviour',
  'online_safety',
  'bullying',
  'self_harm',
  'mental_health',
  'substance_misuse',
  'missing_from_home',
  'missing_education',
  'attendance',
  'young_carer',
  'parental_substance_misuse',
  'parental_mental_health',
  'housing',
  'financial_hardship',
  'parent_in_custody',
  'behaviour',
  'exclusion_risk',
  'anti_social_behaviour',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export const RISK_INDICATORS = [
  'immediate_danger',
  'child_missing_now',
  'medical_emergency',
  'disclosure_of_abuse',
  'injury_suspected_non_accidental',
  'afraid_to_go_home',
  'sexual_activity_under_13',
  'fgm_known_or_suspected',
  'exploitation_indicators',
  'allegation_against_staff',
  'suicidal_intent',
] as const;
export type RiskIndicator = (typeof RISK_INDICATORS)[number];

export const CONCERN_CONTEXTS = ['family', 'extra_familial', 'online', 'peer', 'institutional'] as const;
export type ConcernContext = (typeof CONCERN_CONTEXTS)[number];

export const EVIDENCE_BASES = ['observed', 'disclosed_by_child', 'reported_by_other', 'opinion'] as const;
export type EvidenceBasis = (typeof EVIDENCE_BASES)[number];

export const LINKED_PUPIL_ROLES = ['alleged_perpetrator', 'witness', 'sibling', 'other'] as const;
export type LinkedPupilRole = (typeof LINKED_PUPIL_ROLES)[number];

/** What a DSP decides about a concern. */
export const DECISION_OUTCOMES = [
  'no_further_action',
  'monitor',
  'school_support',
  'early_help',
  'mash',
  'designated_officer',
  'police',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Where an escalation (referral) goes. */
export const ESCALATION_ROUTES = ['mash', 'early_help', 'designated_officer', 'police'] as const;
export type EscalationRoute = (typeof ESCALATION_ROUTES)[number];

export const MASH_OUTCOMES = [
  'strategy_discussion',
  'care_and_support_assessment',
  'redirect_early_help',
  'information_advice_assistance',
  'no_further_action',
] as const;
export type MashOutcome = (typeof MASH_OUTCOMES)[number];

export const EARLY_HELP_OUTCOMES = [
  'family_help',
  'team_around_the_family',
  'signposted',
  'declined_by_family',
  'stepped_up_to_mash',
] as const;
export type EarlyHelpOutcome = (typeof EARLY_HELP_OUTCOMES)[number];

export const DESIGNATED_OFFICER_OUTCOMES = ['investigation', 'no_further_action'] as const;
export type DesignatedOfficerOutcome = (typeof DESIGNATED_OFFICER_OUTCOMES)[number];

/** Levels of need: 0 emergency, 1 universal, 2 additional (school-led), 3 complex (early help), 4 statutory. */
export const GUIDANCE_LEVELS = [0, 1, 2, 3, 4] as const;
export type GuidanceLevel = (typeof GUIDANCE_LEVELS)[number];

export const GUIDANCE_ROUTES = [
  'monitor',
  'school_support',
  'early_help',
  'mash',
  'designated_officer',
  'police',
] as const;
export type GuidanceRoute = (typeof GUIDANCE_ROUTES)[number];

/** The DSP's threshold judgement (DOMAIN.md): "Do you have reasonable cause to suspect that the child is
 * experiencing or is at risk of abuse, neglect or other harm?" Absent (null) means not answered. */
export const REASONABLE_CAUSE_ANSWERS = ['yes', 'no', 'unsure'] as const;
export type ReasonableCause = (typeof REASONABLE_CAUSE_ANSWERS)[number];

/** The codes of the guidance rules (reasons) and of the history triggers. */
export const GUIDANCE_REASON_CODES = [
  'emergency_indicator',
  'statutory_indicator',
  'sexual_abuse_category',
  'statutory_issue',
  'reasonable_cause',
  'abuse_category',
  'threshold_unsure',
  'complex_issue',
  'family_needs',
  'family_need',
  'additional_need',
  'social_worker_allocated',
  'universal',
] as const;
export type GuidanceReasonCode = (typeof GUIDANCE_REASON_CODES)[number];

export const GUIDANCE_TRIGGER_CODES = [
  'pattern_frequency',
  'pattern_categories',
  'after_mash_closure',
  'repeat_mash',
] as const;
export type GuidanceTriggerCode = (typeof GUIDANCE_TRIGGER_CODES)[number];

/** Extra steps the answer asks for whatever the level (DOMAIN.md, `alsoDo`). */
export const ALSO_DO_CODES = [
  'consult_mash',
  'tell_social_worker',
  'report_missing_to_police',
  'return_home_interview',
  'notify_cme',
  'report_fgm_to_police',
] as const;
export type AlsoDoCode = (typeof ALSO_DO_CODES)[number];

/** The procedures guidance draws on: each reason and trigger names its own (DOMAIN.md). */
export const GUIDANCE_SOURCES = ['wales_safeguarding_procedures', 'keeping_learners_safe'] as const;
export type GuidanceSource = (typeof GUIDANCE_SOURCES)[number];

/** MASH outcomes that close a referral without statutory action (they fire `after_mash_closure`). */
export const MASH_CLOSING_OUTCOMES: readonly MashOutcome[] = [
  'no_further_action',
  'information_advice_assistance',
  'redirect_early_help',
];
