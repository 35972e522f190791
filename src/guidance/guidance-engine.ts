/**
 * The guidance engine: a pure function from a concern (category, issues, risk indicators), the pupil's
 * flags, the DSP's threshold judgement and the pupil's history to a level of need, a recommended
 * route, the reasons and history triggers behind them, the extra steps to take whatever the level, and
 * the matching local services (DOMAIN.md, "Levels of need and the guidance rules").
 *
 * Safety first: rules only ever raise the level, and no input can talk a DSP out of a report the law
 * requires (Social Services and Well-being (Wales) Act 2014, s130). Going up is never labelled; only
 * going below the guidance is (isBelowGuidance).
 *
 * No I/O: callers gather the history and the local authority's directory and pass them in.
 * No language either: reasons and triggers are catalogue messages (codes with parameters), put into
 * words in the reader's language by the edge (guidance.mapper.ts). Guidance never blocks anything; it explains.
 */
import { message, Message } from '../common/language';
import {
  AlsoDoCode,
  ConcernCategory,
  DecisionOutcome,
  EscalationRoute,
  GuidanceLevel,
  GuidanceReasonCode,
  GuidanceRoute,
  GuidanceSource,
  GuidanceTriggerCode,
  IssueCode,
  MASH_CLOSING_OUTCOMES,
  ReasonableCause,
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
  /** The DSP's threshold judgement; null when not answered (a staff draft, a concern before triage). */
  reasonableCause?: ReasonableCause | null;
  /** The pupil's flags (PupilFlag codes); `looked_after` and `cp_register` matter (rule 11). */
  pupilFlags?: readonly string[];
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
  /** Extra steps whatever the level: tell the social worker, report a missing child to the police, ... */
  alsoDo: GuidanceFinding<AlsoDoCode>[];
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

/** A decision's outcome or a referral's route on the route order; `no_further_action` is lowest of all. */
export function routeRank(chosen: DecisionOutcome | EscalationRoute): number {
  return chosen === 'no_further_action' ? -1 : ROUTE_ORDER[chosen];
}

/**
 * DOMAIN.md, DSP decision and Escalation: true when the chosen route is lower than the guidance route,
 * or lower than MASH after the DSP answered that there is reasonable cause to suspect (rule 5). For a
 * level-0 concern both `police` and `mash` follow the guidance (call 999, then report to MASH).
 * Only going DOWN is ever flagged; never a reason to block.
 */
export function isBelowGuidance(
  chosen: DecisionOutcome | EscalationRoute,
  guidance: Pick<Guidance, 'level' | 'route'>,
  reasonableCause: ReasonableCause | null = null,
): boolean {
  const rank = routeRank(chosen);
  if (reasonableCause === 'yes' && rank < ROUTE_ORDER.mash) return true;
  if (guidance.level === 0 && (chosen === 'police' || chosen === 'mash')) return false;
  return rank < ROUTE_ORDER[guidance.route];
}

/**
 * Whether a choice below the guidance needs `reasonForRoute` (at least 20 characters): when the
 * guidance is level 4 or 0, or the DSP answered `yes` to the threshold question. Below a level 1 to 3
 * guidance the choice is still recorded as below, without a required reason.
 */
export function needsReasonForRoute(
  chosen: DecisionOutcome | EscalationRoute,
  guidance: Pick<Guidance, 'level' | 'route'>,
  reasonableCause: ReasonableCause | null = null,
): boolean {
  if (!isBelowGuidance(chosen, guidance, reasonableCause)) return false;
  return severity(guidance.level) >= severity(4) || reasonableCause === 'yes';
}

/**
 * A referral's `againstRecommendation` (API.md): below the guidance, and nothing else. Going up is
 * never "against" anything.
 */
export function isAgainstRecommendation(
  chosen: EscalationRoute,
  guidance: Pick<Guidance, 'level' | 'route'>,
  reasonableCause: ReasonableCause | null = null,
): boolean {
  return isBelowGuidance(chosen, guidance, reasonableCause);
}

/**
 * A report to MASH (or the designated officer or the police) where the guidance said early help or
 * lower: recorded `aboveGuidance` for the local authority's aggregate figures only. Nothing shows it.
 */
export function isAboveGuidance(chosen: DecisionOutcome | EscalationRoute, guidance: Pick<Guidance, 'level'>): boolean {
  return routeRank(chosen) >= ROUTE_ORDER.mash && severity(guidance.level) < severity(4);
}

// ---------------------------------------------------------------------------------------------
// The rules (DOMAIN.md rules 1 to 12)

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
  reasonable_cause: 'wales_safeguarding_procedures',
  abuse_category: 'wales_safeguarding_procedures',
  threshold_unsure: 'wales_safeguarding_procedures',
  complex_issue: 'keeping_learners_safe',
  family_needs: 'keeping_learners_safe',
  family_need: 'keeping_learners_safe',
  additional_need: 'keeping_learners_safe',
  social_worker_allocated: 'wales_safeguarding_procedures',
  universal: 'keeping_learners_safe',
});

/** Where each extra step comes from. */
export const ALSO_DO_SOURCES: Readonly<Record<AlsoDoCode, GuidanceSource>> = Object.freeze({
  consult_mash: 'wales_safeguarding_procedures',
  tell_social_worker: 'wales_safeguarding_procedures',
  report_missing_to_police: 'wales_safeguarding_procedures',
  return_home_interview: 'wales_safeguarding_procedures',
  notify_cme: 'keeping_learners_safe',
  report_fgm_to_police: 'wales_safeguarding_procedures',
});

/** Every history trigger is about cumulative harm, from the Wales Safeguarding Procedures. */
export const TRIGGER_SOURCE: GuidanceSource = 'wales_safeguarding_procedures';

/** Pupil flags that mean the child has an allocated social worker (rule 11). */
export const SOCIAL_WORKER_FLAGS: readonly string[] = ['looked_after', 'cp_register'];

interface RuleMatch {
  code: GuidanceReasonCode;
  /** The level this rule gives on its own; "at least" rules give their floor. */
  level: GuidanceLevel;
  /** Catalogue key of the message (usually guidance.reasons.<code>). */
  messageKey: string;
  params: Record<string, Message | Message[] | number>;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const among = <T>(values: readonly T[], set: readonly T[]): T[] =>
  unique(values.filter((value) => set.includes(value)));

/** The label of a code, e.g. `guidance.issues.housing` ("Housing"), as a message. */
function label(group: 'categories' | 'issues' | 'indicators' | 'flags', code: string): Message {
  return message(group === 'flags' ? `flags.${code}` : `guidance.${group}.${code}`);
}

/** Labels of several codes: they read as a list ("Housing, Young carer"). */
const labels = (group: 'categories' | 'issues' | 'indicators' | 'flags', codes: readonly string[]): Message[] =>
  codes.map((code) => label(group, code));

/** Rules 1 to 12 for the concern, the pupil's flags and the DSP's judgement, in DOMAIN.md order; at least one always matches. */
function matchRules(input: GuidanceInput): RuleMatch[] {
  const issues = input.issues ?? [];
  const indicators = input.indicators ?? [];
  const flags = input.pupilFlags ?? [];
  const answer = input.reasonableCause ?? null;
  const matches: RuleMatch[] = [];
  const add = (
    code: GuidanceReasonCode,
    level: GuidanceLevel,
    params: RuleMatch['params'] = {},
    messageKey = `guidance.reasons.${code}`,
  ) => matches.push({ code, level, messageKey, params });

  // 1. The emergency.
  const emergency = among(indicators, EMERGENCY_INDICATORS);
  if (emergency.length) add('emergency_indicator', 0, { items: labels('indicators', emergency) });

  // 2. Statutory indicators; an allegation against staff goes to the designated officer.
  const statutory = among(indicators, STATUTORY_INDICATORS);
  if (statutory.length) {
    const key = statutory.includes('allegation_against_staff')
      ? 'guidance.reasons.statutory_indicator_staff'
      : 'guidance.reasons.statutory_indicator';
    add('statutory_indicator', 4, { items: labels('indicators', statutory) }, key);
  }

  // 3. Sexual abuse is always reported.
  if (input.category === 'sexual') add('sexual_abuse_category', 4);

  // 4. Issues that are always reported.
  const statutoryIssues = among(issues, STATUTORY_ISSUES);
  if (statutoryIssues.length) add('statutory_issue', 4, { items: labels('issues', statutoryIssues) });

  // 5. The DSP has reasonable cause to suspect: report to MASH the same day.
  if (answer === 'yes') add('reasonable_cause', 4);

  // 6. Suspected abuse is reported unless the DSP judges there is no reasonable cause to suspect.
  if (ABUSE_CATEGORIES.includes(input.category)) {
    const category = label('categories', input.category);
    if (answer === 'no') add('abuse_category', 3, { category }, 'guidance.reasons.abuse_category_no_cause');
    else add('abuse_category', 4, { category });
  }

  // 7. Not sure: consult MASH now (alsoDo), and at least early help meanwhile.
  if (answer === 'unsure') add('threshold_unsure', 3);

  // 8. to 10. Needs.
  const complex = among(issues, COMPLEX_ISSUES);
  if (complex.length) add('complex_issue', 3, { items: labels('issues', complex) });

  const family = among(issues, FAMILY_NEED_ISSUES);
  if (family.length >= 2) add('family_needs', 3, { items: labels('issues', family), count: family.length });
  else if (family.length === 1) add('family_need', 2, { items: labels('issues', family) });

  const additional = among(issues, ADDITIONAL_NEED_ISSUES);
  if (additional.length) add('additional_need', 2, { items: labels('issues', additional) });

  // 11. A child with a social worker: at least level 3, and tell the social worker (alsoDo).
  const allocated = among(flags, SOCIAL_WORKER_FLAGS);
  if (allocated.length) add('social_worker_allocated', 3, { items: labels('flags', allocated) });

  // 12. Nothing above.
  if (!matches.length) add('universal', 1);
  return matches;
}

/** DOMAIN.md's extra steps, whatever the level. */
function matchAlsoDo(input: GuidanceInput): Array<{ code: AlsoDoCode; params: Record<string, Message[]> }> {
  const issues = input.issues ?? [];
  const indicators = input.indicators ?? [];
  const steps: Array<{ code: AlsoDoCode; params: Record<string, Message[]> }> = [];
  if (input.reasonableCause === 'unsure') steps.push({ code: 'consult_mash', params: {} });
  const allocated = among(input.pupilFlags ?? [], SOCIAL_WORKER_FLAGS);
  if (allocated.length) steps.push({ code: 'tell_social_worker', params: { items: labels('flags', allocated) } });
  if (issues.includes('missing_from_home')) {
    steps.push({ code: 'report_missing_to_police', params: {} });
    steps.push({ code: 'return_home_interview', params: {} });
  }
  if (issues.includes('missing_education')) steps.push({ code: 'notify_cme', params: {} });
  if (indicators.includes('fgm_known_or_suspected') || issues.includes('fgm'))
    steps.push({ code: 'report_fgm_to_police', params: {} });
  return steps;
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

/** The statutory contacts, in the order a level-4 or level-0 answer lists them first (DOMAIN.md, Services). */
export const STATUTORY_SERVICE_CODES: readonly string[] = [
  'police',
  'mash',
  'emergency_duty_team',
  'police_non_emergency',
  'designated_officer',
];

/**
 * Directory entries whose level range contains the level and that are untagged or share a tag with the
 * issues. At level 4 or 0 the statutory contacts come first; the designated officer is listed only for
 * an allegation against staff (it is never the place for any other report).
 */
export function matchServices(
  directory: readonly ServiceDirectoryEntry[],
  level: GuidanceLevel,
  issues: readonly IssueCode[],
  indicators: readonly RiskIndicator[] = [],
): ServiceDirectoryEntry[] {
  const allegation = indicators.includes('allegation_against_staff');
  const matching = directory.filter(
    (entry) =>
      levelInRange(level, entry.minLevel, entry.maxLevel) &&
      (!entry.issueTags?.length || entry.issueTags.some((tag) => issues.includes(tag))) &&
      (entry.code !== 'designated_officer' || allegation),
  );
  if (severity(level) < severity(4)) return matching;
  const statutoryRank = (entry: ServiceDirectoryEntry) => {
    const rank = STATUTORY_SERVICE_CODES.indexOf(entry.code);
    if (rank < 0) return STATUTORY_SERVICE_CODES.length;
    // An allegation against staff: the designated officer first, unless it is an emergency.
    if (allegation && level !== 0 && entry.code === 'designated_officer') return -1;
    return rank;
  };
  return matching
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => statutoryRank(a.entry) - statutoryRank(b.entry) || a.position - b.position)
    .map(({ entry }) => entry);
}

// ---------------------------------------------------------------------------------------------
// The answer

/**
 * A rule or trigger that on its own points lower than the answer's level is still worth saying (whoever
 * helps should hear about it), but in words that fit the level: "also recorded: include it", never
 * "can usually be met in school" next to an early-help, level-4 or level-0 answer. Level-4 advice
 * (report to MASH the same day) fits a level-0 answer too: call 999, then report to MASH.
 */
function fitsTheLevel(ownLevel: GuidanceLevel, level: GuidanceLevel): boolean {
  return severity(ownLevel) >= severity(level) || severity(ownLevel) >= severity(4);
}

export function evaluateGuidance(
  input: GuidanceInput,
  directory: ServiceDirectoryEntry[],
  thresholds: GuidanceThresholds = DEFAULT_THRESHOLDS,
): Guidance {
  const settings: GuidanceThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const issues = unique(input.issues ?? []);
  const indicators = unique(input.indicators ?? []);
  const concern: GuidanceInput = {
    ...input,
    issues,
    indicators,
    reasonableCause: input.reasonableCause ?? null,
    pupilFlags: unique(input.pupilFlags ?? []),
  };

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
      text: fitsTheLevel(rule.level, level)
        ? message(rule.messageKey, rule.params)
        : message(`guidance.reasons.${rule.code}_noted`, rule.params),
    })),
    triggers: triggers.map((trigger) => ({
      code: trigger.code,
      source: TRIGGER_SOURCE,
      text: fitsTheLevel(trigger.floor, level)
        ? message(`guidance.triggers.${trigger.code}`, trigger.params)
        : message(`guidance.triggers.${trigger.code}_noted`, trigger.params),
    })),
    alsoDo: matchAlsoDo(concern).map((step) => ({
      code: step.code,
      source: ALSO_DO_SOURCES[step.code],
      text: message(`guidance.alsoDo.${step.code}`, step.params),
    })),
    services: matchServices(directory, level, issues, indicators).map((entry) => ({
      code: entry.code,
      name: { en: entry.name.en, cy: entry.name.cy },
      description: { en: entry.description.en, cy: entry.description.cy },
      howToAccess: { en: entry.howToAccess.en, cy: entry.howToAccess.cy },
    })),
    chronologyReviewAdvised: triggers.some((trigger) => trigger.code === 'after_mash_closure'),
  };
}
