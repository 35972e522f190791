/**
 * The guidance engine: a pure function from a concern (category, issues, risk indicators) and the
 * pupil's history to a level of need, a recommended route, the reasons and history triggers behind
 * them, and the matching local services (DOMAIN.md, "Levels of need and the guidance rules").
 *
 * No I/O: callers gather the history and the local authority's directory and pass them in.
 * No language either: reasons and triggers are catalogue messages (codes with parameters), put into
 * words in the reader's language by the edge (guidance.mapper.ts). Guidance never blocks anything; it explains.
 */
import { message, Message } from '../common/language';
import {
  ConcernCategory,
  GuidanceLevel,
  GuidanceReasonCode,
  GuidanceRoute,
  GuidanceSource,
  GuidanceTriggerCode,
  IssueCode,
  MASH_CLOSING_OUTCOMES,
  RiskIndicator,
} from './codes';

export type { GuidanceLevel, GuidanceRoute } from './codes';

export interface GuidanceHistory {
  /** The pupil's OTHER concerns as subject (never the one being evaluated). */
  otherConcerns: Array<{ occurredAt: Date; category: ConcernCategory }>;
  /** MASH escalations for this pupil (route 'mash'), of any concern; `concernIsThisOne` marks those of the concern being evaluated. */
  mashEscalations: Array<{ sentAt: Date; concernIsThisOne: boolean; outcome: string | null; outcomeAt: Date | null }>;
}

export interface GuidanceInput {
  category: ConcernCategory;
  issues: IssueCode[];
  indicators: RiskIndicator[];
  /** T in DOMAIN.md: the concern's occurredAt (or now for a draft). */
  occurredAt: Date;
  /** Empty arrays when there is no pupil. */
  history: GuidanceHistory;
}

export interface ServiceDirectoryEntry {
  code: string;
  name: { en: string; cy: string };
  description: { en: string; cy: string };
  howToAccess: { en: string; cy: string };
  /** Level range, in severity order 1 < 2 < 3 < 4 < 0 (so 4..0 means "level 4 or the emergency"). */
  minLevel: GuidanceLevel;
  maxLevel: GuidanceLevel;
  /** Empty = untagged: matches any concern within the level range. */
  issueTags: IssueCode[];
}

export interface GuidanceThresholds {
  patternFrequencyCount: number;
  patternFrequencyDays: number;
  patternCategoriesCount: number;
  patternCategoriesDays: number;
  afterMashClosureMonths: number;
  repeatMashCount: number;
  repeatMashMonths: number;
}

export const DEFAULT_THRESHOLDS: GuidanceThresholds = Object.freeze({
  patternFrequencyCount: 2,
  patternFrequencyDays: 30,
  patternCategoriesCount: 2,
  patternCategoriesDays: 90,
  afterMashClosureMonths: 12,
  repeatMashCount: 2,
  repeatMashMonths: 12,
});

/** Why the guidance says what it says: a rule (reason) or a history trigger, and the procedure behind it. */
export interface GuidanceFinding<Code extends string = GuidanceReasonCode | GuidanceTriggerCode> {
  code: Code;
  /** The procedure the advice comes from; its words begin with that procedure's name. */
  source: GuidanceSource;
  /** The advice, in no language yet: e.g. `{ key: 'guidance.reasons.statutory_issue', params: { items: [...] } }`. */
  text: Message;
}

/** A matching local service, with its words in both languages as the local authority wrote them. */
export interface GuidanceServiceMatch {
  code: string;
  name: { en: string; cy: string };
  description: { en: string; cy: string };
  howToAccess: { en: string; cy: string };
}

/** What the engine concludes, in codes: the same whatever the reader's language. */
export interface Guidance {
  level: GuidanceLevel;
  route: GuidanceRoute;
  emergency: boolean;
  reasons: GuidanceFinding<GuidanceReasonCode>[];
  triggers: GuidanceFinding<GuidanceTriggerCode>[];
  services: GuidanceServiceMatch[];
  /** true when after_mash_closure fired: ask for a chronology review before a new MASH referral */
  chronologyReviewAdvised: boolean;
}

// ---------------------------------------------------------------------------------------------
// Levels and routes

const SEVERITY: Record<GuidanceLevel, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 0: 5 };

/** Severity of a level: 1→1, 2→2, 3→3, 4→4, 0→5 (the emergency is the most severe). */
export function severity(level: GuidanceLevel): number {
  return SEVERITY[level];
}

/** The more severe of two levels. */
export function mostSevere(a: GuidanceLevel, b: GuidanceLevel): GuidanceLevel {
  return severity(b) > severity(a) ? b : a;
}

/** "At least `floor`": raises the level to `floor` when it is less severe, never lowers it. */
export function atLeast(level: GuidanceLevel, floor: GuidanceLevel): GuidanceLevel {
  return mostSevere(level, floor);
}

const DEFAULT_ROUTES: Record<GuidanceLevel, GuidanceRoute> = {
  0: 'police',
  1: 'monitor',
  2: 'school_support',
  3: 'early_help',
  4: 'mash',
};

/** The default route of a level (DOMAIN.md table). */
export function routeForLevel(level: GuidanceLevel): GuidanceRoute {
  return DEFAULT_ROUTES[level];
}

/** Routes in order: monitor < school_support < early_help < mash = designated_officer < police. */
export const ROUTE_ORDER: Record<GuidanceRoute, number> = Object.freeze({
  monitor: 0,
  school_support: 1,
  early_help: 2,
  mash: 3,
  designated_officer: 3,
  police: 4,
});

/**
 * DOMAIN.md escalation nudge: true when the chosen route goes against the recommendation
 * (`reasonForRoute` is then required and the escalation is recorded `againstRecommendation: true`).
 * Never a reason to block: the escalation is always allowed.
 */
export function isAgainstRecommendation(
  chosen: 'mash' | 'early_help' | 'designated_officer' | 'police',
  guidance: Pick<Guidance, 'level' | 'route'>,
): boolean {
  // Emergency: call 999, then report to MASH. Both follow the recommendation.
  if (guidance.level === 0 && (chosen === 'police' || chosen === 'mash')) return false;
  if (chosen === 'mash' && severity(guidance.level) <= severity(3)) return true;
  return ROUTE_ORDER[chosen] < ROUTE_ORDER[guidance.route];
}

// ---------------------------------------------------------------------------------------------
// The rules (DOMAIN.md rules 1 to 9)

export const EMERGENCY_INDICATORS: readonly RiskIndicator[] = [
  'immediate_danger',
  'child_missing_now',
  'medical_emergency',
  'suicidal_intent',
];
export const STATUTORY_INDICATORS: readonly RiskIndicator[] = [
  'disclosure_of_abuse',
  'injury_suspected_non_accidental',
  'afraid_to_go_home',
  'sexual_activity_under_13',
  'fgm_known_or_suspected',
  'exploitation_indicators',
  'allegation_against_staff',
];
export const STATUTORY_ISSUES: readonly IssueCode[] = [
  'domestic_abuse',
  'child_sexual_exploitation',
  'child_criminal_exploitation',
  'trafficking',
  'fgm',
  'forced_marriage',
  'radicalisation',
];
export const ABUSE_CATEGORIES: readonly ConcernCategory[] = ['physical', 'emotional', 'neglect', 'financial'];
export const COMPLEX_ISSUES: readonly IssueCode[] = [
  'self_harm',
  'substance_misuse',
  'missing_from_home',
  'harmful_sexual_behaviour',
  'exclusion_risk',
  'anti_social_behaviour',
  'parent_in_custody',
];
export const FAMILY_NEED_ISSUES: readonly IssueCode[] = [
  'parental_substance_misuse',
  'parental_mental_health',
  'housing',
  'financial_hardship',
  'young_carer',
  'missing_education',
];
export const ADDITIONAL_NEED_ISSUES: readonly IssueCode[] = [
  'online_safety',
  'bullying',
  'mental_health',
  'attendance',
  'behaviour',
];

/** Where each rule's advice comes from (DOMAIN.md): statutory thresholds from the WSP, the rest from KLS. */
export const REASON_SOURCES: Readonly<Record<GuidanceReasonCode, GuidanceSource>> = Object.freeze({
  emergency_indicator: 'wales_safeguarding_procedures',
  statutory_indicator: 'wales_safeguarding_procedures',
  sexual_abuse_category: 'wales_safeguarding_procedures',
  statutory_issue: 'wales_safeguarding_procedures',
  abuse_category: 'wales_safeguarding_procedures',
  complex_issue: 'keeping_learners_safe',
  family_needs: 'keeping_learners_safe',
  family_need: 'keeping_learners_safe',
  additional_need: 'keeping_learners_safe',
  universal: 'keeping_learners_safe',
});

/** Every history trigger is about cumulative harm, from the Wales Safeguarding Procedures. */
export const TRIGGER_SOURCE: GuidanceSource = 'wales_safeguarding_procedures';

interface RuleMatch {
  code: GuidanceReasonCode;
  level: GuidanceLevel;
  /** Catalogue key of the message (usually guidance.reasons.<code>). */
  messageKey: string;
  params: Record<string, Message | Message[] | number>;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const among = <T>(values: readonly T[], set: readonly T[]): T[] =>
  unique(values.filter((value) => set.includes(value)));

/** The label of a code, e.g. `guidance.issues.housing` ("Housing"), as a message. */
function label(group: 'categories' | 'issues' | 'indicators', code: string): Message {
  return message(`guidance.${group}.${code}`);
}

/** Labels of several codes: they read as a list ("Housing, Young carer"). */
const labels = (group: 'categories' | 'issues' | 'indicators', codes: readonly string[]): Message[] =>
  codes.map((code) => label(group, code));

/** Rules 1 to 9 for the concern alone, in DOMAIN.md order; at least one always matches. */
function matchRules(input: GuidanceInput): RuleMatch[] {
  const issues = input.issues ?? [];
  const indicators = input.indicators ?? [];
  const matches: RuleMatch[] = [];
  const add = (
    code: GuidanceReasonCode,
    level: GuidanceLevel,
    params: RuleMatch['params'] = {},
    messageKey = `guidance.reasons.${code}`,
  ) => matches.push({ code, level, messageKey, params });

  const emergency = among(indicators, EMERGENCY_INDICATORS);
  if (emergency.length) add('emergency_indicator', 0, { items: labels('indicators', emergency) });

  const statutory = among(indicators, STATUTORY_INDICATORS);
  if (statutory.length) {
    const key = statutory.includes('allegation_against_staff')
      ? 'guidance.reasons.statutory_indicator_staff'
      : 'guidance.reasons.statutory_indicator';
    add('statutory_indicator', 4, { items: labels('indicators', statutory) }, key);
  }

  if (input.category === 'sexual') add('sexual_abuse_category', 4);

  const statutoryIssues = among(issues, STATUTORY_ISSUES);
  if (statutoryIssues.length) add('statutory_issue', 4, { items: labels('issues', statutoryIssues) });

  if (ABUSE_CATEGORIES.includes(input.category))
    add('abuse_category', 3, { category: label('categories', input.category) });

  const complex = among(issues, COMPLEX_ISSUES);
  if (complex.length) add('complex_issue', 3, { items: labels('issues', complex) });

  const family = among(issues, FAMILY_NEED_ISSUES);
  if (family.length >= 2) add('family_needs', 3, { items: labels('issues', family), count: family.length });
  else if (family.length === 1) add('family_need', 2, { items: labels('issues', family) });

  const additional = among(issues, ADDITIONAL_NEED_ISSUES);
  if (additional.length) add('additional_need', 2, { items: labels('issues', additional) });

  if (!matches.length) add('universal', 1);
  return matches;
}

// ---------------------------------------------------------------------------------------------
// History triggers

const DAY_MS = 24 * 60 * 60 * 1000;

/** T minus a number of days (exact 24-hour days). */
export function daysBefore(t: Date, days: number): Date {
  return new Date(t.getTime() - days * DAY_MS);
}

/**
 * T minus a number of calendar months (UTC), keeping the time of day. When the day does not exist in
 * the target month (31 March minus one month), it is the last day of that month (28 or 29 February).
 */
export function monthsBefore(t: Date, months: number): Date {
  const result = new Date(t.getTime());
  const day = t.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** Inclusive window [from, to]; missing or invalid dates never count. */
function within(at: Date | null | undefined, from: Date, to: Date): boolean {
  if (!(at instanceof Date)) return false;
  const time = at.getTime();
  return !Number.isNaN(time) && time >= from.getTime() && time <= to.getTime();
}

interface TriggerMatch {
  code: GuidanceTriggerCode;
  /** The level this trigger raises the answer to, at least. */
  floor: GuidanceLevel;
  params: Record<string, Message[] | number>;
}

function matchTriggers(input: GuidanceInput, thresholds: GuidanceThresholds): TriggerMatch[] {
  const t = input.occurredAt;
  const otherConcerns = input.history?.otherConcerns ?? [];
  const mashEscalations = input.history?.mashEscalations ?? [];
  const triggers: TriggerMatch[] = [];

  const recent = otherConcerns.filter((concern) =>
    within(concern.occurredAt, daysBefore(t, thresholds.patternFrequencyDays), t),
  );
  if (recent.length >= thresholds.patternFrequencyCount) {
    triggers.push({
      code: 'pattern_frequency',
      floor: 3,
      params: { count: recent.length, days: thresholds.patternFrequencyDays },
    });
  }

  const categoryWindow = otherConcerns.filter((concern) =>
    within(concern.occurredAt, daysBefore(t, thresholds.patternCategoriesDays), t),
  );
  const categories = unique([input.category, ...categoryWindow.map((concern) => concern.category)]).filter(
    (category) => Boolean(category) && category !== 'wellbeing',
  );
  if (categories.length >= thresholds.patternCategoriesCount) {
    triggers.push({
      code: 'pattern_categories',
      floor: 3,
      params: {
        count: categories.length,
        days: thresholds.patternCategoriesDays,
        items: labels('categories', categories),
      },
    });
  }

  const closureFrom = monthsBefore(t, thresholds.afterMashClosureMonths);
  const closed = mashEscalations.filter(
    (escalation) =>
      escalation.outcome !== null &&
      (MASH_CLOSING_OUTCOMES as readonly string[]).includes(escalation.outcome) &&
      within(escalation.outcomeAt, closureFrom, t),
  );
  if (closed.length) {
    triggers.push({
      code: 'after_mash_closure',
      floor: 3,
      params: { count: closed.length, months: thresholds.afterMashClosureMonths },
    });
  }

  const repeatFrom = monthsBefore(t, thresholds.repeatMashMonths);
  const repeated = mashEscalations.filter(
    (escalation) => !escalation.concernIsThisOne && within(escalation.sentAt, repeatFrom, t),
  );
  if (repeated.length >= thresholds.repeatMashCount) {
    triggers.push({
      code: 'repeat_mash',
      floor: 4,
      params: { count: repeated.length, months: thresholds.repeatMashMonths },
    });
  }

  return triggers;
}

// ---------------------------------------------------------------------------------------------
// Services

/** Whether a level lies within a service's range, comparing by severity (1 < 2 < 3 < 4 < 0). */
export function levelInRange(level: GuidanceLevel, minLevel: GuidanceLevel, maxLevel: GuidanceLevel): boolean {
  return severity(minLevel) <= severity(level) && severity(level) <= severity(maxLevel);
}

/** Directory entries whose level range contains the level and that are untagged or share a tag with the issues. */
export function matchServices(
  directory: readonly ServiceDirectoryEntry[],
  level: GuidanceLevel,
  issues: readonly IssueCode[],
): ServiceDirectoryEntry[] {
  return directory.filter(
    (entry) =>
      levelInRange(level, entry.minLevel, entry.maxLevel) &&
      (!entry.issueTags?.length || entry.issueTags.some((tag) => issues.includes(tag))),
  );
}

// ---------------------------------------------------------------------------------------------
// The answer

export function evaluateGuidance(
  input: GuidanceInput,
  directory: ServiceDirectoryEntry[],
  thresholds: GuidanceThresholds = DEFAULT_THRESHOLDS,
): Guidance {
  const settings: GuidanceThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const issues = unique(input.issues ?? []);
  const indicators = unique(input.indicators ?? []);
  const concern: GuidanceInput = { ...input, issues, indicators };

  const rules = matchRules(concern);
  const triggers = matchTriggers(concern, settings);

  let level: GuidanceLevel = 1;
  for (const rule of rules) level = mostSevere(level, rule.level);
  for (const trigger of triggers) level = atLeast(level, trigger.floor);

  let route = routeForLevel(level);
  if (indicators.includes('allegation_against_staff') && level !== 0) {
    level = atLeast(level, 4);
    route = 'designated_officer';
  }

  return {
    level,
    route,
    emergency: level === 0,
    reasons: rules.map((rule) => ({
      code: rule.code,
      source: REASON_SOURCES[rule.code],
      text: message(rule.messageKey, rule.params),
    })),
    triggers: triggers.map((trigger) => ({
      code: trigger.code,
      source: TRIGGER_SOURCE,
      text: message(`guidance.triggers.${trigger.code}`, trigger.params),
    })),
    services: matchServices(directory, level, issues).map((entry) => ({
      code: entry.code,
      name: { en: entry.name.en, cy: entry.name.cy },
      description: { en: entry.description.en, cy: entry.description.cy },
      howToAccess: { en: entry.howToAccess.en, cy: entry.howToAccess.cy },
    })),
    chronologyReviewAdvised: triggers.some((trigger) => trigger.code === 'after_mash_closure'),
  };
}

// TEMPORARY (branch decisions): the engine contract's helpers until the lead's "Engine:" commit lands; main's version wins at merge.
type ChosenRoute = GuidanceRoute | 'no_further_action';
const CHOSEN_ORDER = (chosen: ChosenRoute): number => (chosen === 'no_further_action' ? -1 : ROUTE_ORDER[chosen]);

export function isBelowGuidance(
  chosen: ChosenRoute,
  guidance: Pick<Guidance, 'level' | 'route'>,
  reasonableCause: 'yes' | 'no' | 'unsure' | null,
): boolean {
  if (guidance.level === 0 && (chosen === 'police' || chosen === 'mash')) return false;
  if (reasonableCause === 'yes' && CHOSEN_ORDER(chosen) < ROUTE_ORDER.mash) return true;
  return CHOSEN_ORDER(chosen) < ROUTE_ORDER[guidance.route];
}

export function needsReasonForRoute(
  chosen: ChosenRoute,
  guidance: Pick<Guidance, 'level' | 'route'>,
  reasonableCause: 'yes' | 'no' | 'unsure' | null,
): boolean {
  return (
    isBelowGuidance(chosen, guidance, reasonableCause) &&
    (guidance.level === 4 || guidance.level === 0 || reasonableCause === 'yes')
  );
}

export function isAboveGuidance(chosen: ChosenRoute, guidance: Pick<Guidance, 'level' | 'route'>): boolean {
  return (
    (chosen === 'mash' || chosen === 'designated_officer' || chosen === 'police') &&
    guidance.level !== 0 &&
    guidance.level !== 4
  );
}
