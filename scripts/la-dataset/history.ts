import { createHmac } from 'node:crypto';
import { ChainedFields, hashEntry } from '../../src/audit/audit-chain';
import { AuditAction } from '../../src/audit/audit-filter';
import { auditPupilId } from '../../src/audit/audit-pupil-column';
import { WorkingDayCalendar } from '../../src/calendar/working-days';
import { referralDueBy } from '../../src/dsp/escalations/referral-clock';
import { MIN_REASON_FOR_ROUTE } from '../../src/dsp/escalations/escalation-errors';
import { EARLY_HELP_RESPONSE_DAYS } from '../../src/guidance/directory/directory.service';
import {
  ABUSE_CATEGORIES,
  evaluateGuidance,
  Guidance,
  GuidanceHistory,
  isAboveGuidance,
  isBelowGuidance,
  needsReasonForRoute,
  severity,
  STATUTORY_INDICATORS,
  STATUTORY_ISSUES,
  EMERGENCY_INDICATORS,
} from '../../src/guidance/guidance-engine';
import {
  DecisionOutcome,
  DESIGNATED_OFFICER_OUTCOMES,
  EARLY_HELP_OUTCOMES,
  EscalationRoute,
  LinkedPupilRole,
  MASH_OUTCOMES,
  ReasonableCause,
} from '../../src/guidance/codes';
import { BulkWriter, Cell } from './bulk-writer';
import { TimeHeap } from './heap';
import { Rng } from './prng';
import {
  CLOSURE_RATIONALES,
  CONCERN_TEMPLATES,
  ConcernTemplate,
  LA_NOTES,
  RATIONALES,
  REASONS_FOR_ROUTE,
} from './templates';
import { World, WorldPupil } from './world';

/**
 * Three years of a local authority's safeguarding work, played forward in time order: concerns as
 * staff record them, DSPs' views and decisions, referrals, the local authority's acknowledgements and
 * outcomes (MASH redirects to early help included) and closures, each written as the app writes it
 * (the same columns, codes, guidance judgements and due times) with the audit entries those reads and
 * writes make, chained in the order they happen. Nothing is dated after `now`: what would come later
 * has not happened yet (concerns awaiting triage, referrals not yet answered).
 */
export interface Person {
  userId: string;
  name: string;
  role: string;
  organisationId: string;
}

export interface HistoryInput {
  rng: Rng;
  world: World;
  /** Concerns per pupil (index into world.pupils). */
  concernCounts: Int32Array;
  now: Date;
  localAuthorityId: string;
  calendar: WorkingDayCalendar;
  /** Per organisation (index): who records concerns, who triages them. */
  recorders: Person[][];
  dsps: Person[][];
  mashOfficers: Person[];
  earlyHelpOfficers: Person[];
  /** The head of the audit chain after the demo seed. */
  auditHead: { seq: number; hash: string };
  /** The audit key (AUDIT_KEY) the app signs the chain with: the generated entries are signed with it too. */
  auditKey: string;
  writer: BulkWriter;
  log: (line: string) => void;
  /** Pupils whose chronology length the summary reports. */
  tracked: Set<number>;
}

interface ConcernState {
  id: string;
  pupil: number;
  org: number;
  occurredAt: number;
  template: ConcernTemplate;
  /** The DSP's threshold judgement, once decided. */
  judgement: ReasonableCause | null;
  guidance: Guidance | null;
  reasonForRoute: string | null;
  phonedAt: number | null;
}

interface EscalationState {
  id: string;
  concern: ConcernState;
  route: EscalationRoute;
  sentAt: number;
  /** The school's own referral (closing the concern follows its answer), not one MASH created. */
  main: boolean;
  mashRecord: { sentAt: number; concernId: string; outcome: string | null; outcomeAt: number | null } | null;
}

type HistoryEvent =
  | {
      kind: 'view';
      by: Person;
      action: AuditAction;
      subject: { type: string; id: string };
      details: Record<string, unknown> | null;
    }
  | { kind: 'decision'; concern: ConcernState; preliminary: boolean }
  | { kind: 'send'; concern: ConcernState; route: EscalationRoute }
  | { kind: 'acknowledge'; escalation: EscalationState }
  | { kind: 'outcome'; escalation: EscalationState }
  | { kind: 'close'; concern: ConcernState };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Outcomes in the order the guidance ranks them (no_further_action lowest). */
const OUTCOME_LADDER: DecisionOutcome[] = [
  'no_further_action',
  'monitor',
  'school_support',
  'early_help',
  'mash',
  'police',
];

const ESCALATION_ROUTE_OF: Partial<Record<DecisionOutcome, EscalationRoute>> = {
  early_help: 'early_help',
  mash: 'mash',
  designated_officer: 'designated_officer',
  police: 'police',
};

const MASH_OUTCOME_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['strategy_discussion', 12],
  ['care_and_support_assessment', 18],
  ['redirect_early_help', 15],
  ['information_advice_assistance', 30],
  ['no_further_action', 25],
];
const EARLY_HELP_OUTCOME_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['family_help', 30],
  ['team_around_the_family', 25],
  ['signposted', 25],
  ['declined_by_family', 15],
  ['stepped_up_to_mash', 5],
];
const DESIGNATED_OFFICER_OUTCOME_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['investigation', 60],
  ['no_further_action', 40],
];
// The weights name only real codes (checked at start, so a renamed code fails loudly).
for (const [outcomes, weights] of [
  [MASH_OUTCOMES, MASH_OUTCOME_WEIGHTS],
  [EARLY_HELP_OUTCOMES, EARLY_HELP_OUTCOME_WEIGHTS],
  [DESIGNATED_OFFICER_OUTCOMES, DESIGNATED_OFFICER_OUTCOME_WEIGHTS],
] as const)
  for (const [code] of weights)
    if (!(outcomes as readonly string[]).includes(code)) throw new Error(`Unknown outcome code ${code}`);

const LINK_ROLES: ReadonlyArray<readonly [LinkedPupilRole, number]> = [
  ['witness', 40],
  ['alleged_perpetrator', 30],
  ['other', 15],
  ['sibling', 15],
];

const iso = (ms: number) => new Date(ms).toISOString();

/** How often a DSP keeps to the concern's own level when only the pupil's history raised the guidance. */
const PATTERN_HANDLED_IN_SCHOOL = 0.4;
/** How often a decision to refer is followed by the referral (the rest show as "decided, not sent"). */
const REFER_STATUTORY = 0.93;
const REFER_EARLY_HELP = 0.6;
/** Scales every chance of closing, so about 60% of all concerns end closed. */
const CLOSING = 0.86;
/** How often a DSP shares a new concern with the worker already involved instead of referring again. */
const ALREADY_KNOWN_KEPT_IN_SCHOOL = 0.92;
const ALREADY_KNOWN_REASON =
  "Already known to Children's Services from a recent referral: shared today with the allocated worker, who agrees school support is right for this.";

export interface HistoryCounts {
  concerns: number;
  chronologyEntries: Map<number, number>;
  concernsOf: Map<number, number>;
}

export class HistoryGenerator {
  private readonly heap = new TimeHeap<HistoryEvent>();
  private readonly nowMs: number;
  private readonly startMs: number;
  private seq: number;
  private prevHash: string;
  /** Per pupil: other concerns and MASH referrals within the guidance's windows (pruned as time moves on). */
  private readonly recentConcerns = new Map<number, Array<{ id: string; occurredAt: number; category: string }>>();
  private readonly mashHistory = new Map<number, NonNullable<EscalationState['mashRecord']>[]>();
  private readonly rollOf: number[][];
  private readonly householdOf = new Map<string, number[]>();
  private readonly chronology = new Map<number, number>();
  private readonly concernsOfTracked = new Map<number, number>();
  private clock = 0;

  constructor(private readonly input: HistoryInput) {
    this.nowMs = input.now.getTime();
    this.startMs = this.nowMs - 3 * 365 * DAY;
    this.seq = input.auditHead.seq;
    this.prevHash = input.auditHead.hash;
    this.rollOf = input.world.organisations.map(() => []);
    input.world.pupils.forEach((pupil, index) => {
      this.rollOf[pupil.school].push(index);
      if (pupil.householdId) {
        const members = this.householdOf.get(pupil.householdId) ?? [];
        members.push(index);
        this.householdOf.set(pupil.householdId, members);
      }
    });
  }

  get auditEntries(): number {
    return this.seq - this.input.auditHead.seq;
  }

  async run(): Promise<HistoryCounts> {
    const { rng, world, concernCounts, log } = this.input;
    const timeRng = rng.fork('times');
    const total = concernCounts.reduce((a, b) => a + b, 0);
    const pupilOf = new Int32Array(total);
    const occurred = new Float64Array(total);
    const recorded = new Float64Array(total);
    let k = 0;
    world.pupils.forEach((pupil, index) => {
      const n = concernCounts[index];
      if (!n) return;
      const from = Math.max(this.startMs, Date.parse(`${pupil.startedOn}T08:00:00Z`));
      const to = this.nowMs - 10 * MINUTE;
      // A few concerns come in an episode; many are spread over the pupil's time here.
      let windowFrom = from;
      let windowTo = to;
      if (n < 20) {
        const span = Math.min(to - from, (45 + n * 20) * DAY);
        windowFrom = from + timeRng.next() * Math.max(0, to - from - span);
        windowTo = windowFrom + span;
      }
      for (let i = 0; i < n; i += 1) {
        const at = this.schoolTime(timeRng, windowFrom, windowTo);
        pupilOf[k] = index;
        occurred[k] = at;
        const delay = timeRng.weighted<[number, number]>([
          [[5 * MINUTE, 3 * HOUR], 0.8],
          [[3 * HOUR, DAY], 0.15],
          [[DAY, 7 * DAY], 0.05],
        ]);
        recorded[k] = Math.min(this.nowMs - MINUTE, at + delay[0] + timeRng.next() * (delay[1] - delay[0]));
        recorded[k] = Math.floor(recorded[k] / 1000) * 1000;
        k += 1;
      }
    });
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i += 1) order[i] = i;
    order.sort((a, b) => recorded[a] - recorded[b] || a - b);
    log(`planned ${total.toLocaleString('en-GB')} concerns for ${world.pupils.length.toLocaleString('en-GB')} pupils`);

    const contentRng = rng.fork('content');
    const started = Date.now();
    const step = Math.max(1, Math.floor(total / 20));
    for (let i = 0; i < total; i += 1) {
      const c = order[i];
      const at = recorded[c];
      while (this.heap.peekTime() <= at) await this.handle(this.heap.pop());
      await this.recordConcern(contentRng, pupilOf[c], occurred[c], at);
      if ((i + 1) % step === 0)
        log(
          `concerns ${(i + 1).toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} · audit entries ${this.auditEntries.toLocaleString('en-GB')} · ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
    }
    while (this.heap.size) await this.handle(this.heap.pop());
    return { concerns: total, chronologyEntries: this.chronology, concernsOf: this.concernsOfTracked };
  }

  /** A time on a school day in working hours, more often recently (more schools recording digitally). */
  private schoolTime(rng: Rng, from: number, to: number): number {
    let at = from;
    for (let tries = 0; tries < 30; tries += 1) {
      at = from + rng.next() * (to - from);
      const date = new Date(at);
      const day = date.getUTCDay();
      const month = date.getUTCMonth();
      const dayOfMonth = date.getUTCDate();
      let weight = day === 0 || day === 6 ? 0.04 : 1;
      if (month === 7) weight *= 0.12;
      if ((month === 11 && dayOfMonth >= 21) || (month === 0 && dayOfMonth <= 3)) weight *= 0.12;
      weight *= 0.7 + (0.6 * (at - this.startMs)) / (this.nowMs - this.startMs);
      if (rng.next() * 1.3 < weight) break;
    }
    const date = new Date(at);
    const hour = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? rng.int(9, 20) : rng.int(8, 15);
    const time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), hour, rng.int(0, 59), 0);
    return Math.max(from, Math.min(time, to));
  }

  private schedule(at: number, event: HistoryEvent): boolean {
    if (at > this.nowMs) return false;
    this.heap.push(Math.max(at, this.clock), event);
    return true;
  }

  private bump(pupil: number, entries = 1): void {
    if (this.input.tracked.has(pupil)) this.chronology.set(pupil, (this.chronology.get(pupil) ?? 0) + entries);
  }

  private async audit(
    at: number,
    by: Person,
    action: AuditAction,
    subject: { type: string; id: string },
    details: Record<string, unknown> | null,
  ): Promise<void> {
    this.seq += 1;
    const fields: ChainedFields = {
      seq: this.seq,
      id: this.input.rng.uuid(),
      at: new Date(at),
      actorUserId: by.userId,
      actorName: by.name,
      actorRole: by.role,
      actorOrganisationId: by.organisationId,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      details,
      prevHash: this.prevHash,
    };
    const hash = fastHash(this.input.auditKey, fields);
    // The fast serialisation must hash exactly as the app's: checked against hashEntry now and then.
    if (this.seq % 997 === 0 && hashEntry(this.input.auditKey, fields) !== hash)
      throw new Error(`Audit hash mismatch at entry ${this.seq}`);
    await this.input.writer.add('audit_entries', [
      fields.seq,
      fields.id,
      iso(at),
      by.userId,
      by.name,
      by.role,
      by.organisationId,
      action,
      subject.type,
      subject.id,
      details === null ? null : JSON.stringify(details),
      this.prevHash,
      hash,
      auditPupilId(subject, details),
    ]);
    this.prevHash = hash;
  }

  private who(person: Person): Cell[] {
    return [person.userId, person.name, person.role, person.organisationId];
  }

  private async recordConcern(rng: Rng, pupilIndex: number, occurredAt: number, recordedAt: number): Promise<void> {
    this.clock = recordedAt;
    const { world, writer } = this.input;
    const pupil = world.pupils[pupilIndex];
    const org = pupil.dualAt !== null && rng.chance(0.3) ? pupil.dualAt : pupil.school;
    const recorder = rng.pick(this.input.recorders[org]);
    const template = rng.weighted(CONCERN_TEMPLATES.map((t) => [t, t.weight] as const));
    const name = pupil.preferredName ?? pupil.firstName;
    const childsWords = template.childsWords && rng.chance(0.5) ? rng.pick(template.childsWords) : null;
    const welsh = childsWords !== null && /[ŵŷâêîôû]|Dw i|cysgu/.test(childsWords);
    const concern: ConcernState = {
      id: rng.uuid(),
      pupil: pupilIndex,
      org,
      occurredAt,
      template,
      judgement: null,
      guidance: null,
      reasonForRoute: null,
      phonedAt: null,
    };
    const bodyMap = template.bodyMap
      ? JSON.stringify([
          {
            view: rng.chance(0.8) ? 'front' : 'back',
            x: Math.round((0.25 + rng.next() * 0.5) * 100) / 100,
            y: Math.round((0.15 + rng.next() * 0.6) * 100) / 100,
            note: 'Bruise about 3 cm',
          },
        ])
      : null;
    await writer.add('concerns', [
      concern.id,
      pupil.id,
      world.organisations[org].id,
      ...this.who(recorder),
      iso(recordedAt),
      iso(occurredAt),
      template.category,
      JSON.stringify(template.issues),
      JSON.stringify(template.indicators),
      template.context,
      rng.pick(template.summaries).replaceAll('{name}', name),
      childsWords,
      childsWords === null ? null : welsh ? 'cy' : 'en',
      null,
      template.evidenceBasis,
      template.actionTaken && rng.chance(0.6) ? rng.pick(template.actionTaken).replaceAll('{name}', name) : null,
      bodyMap,
      null,
    ]);
    if (rng.chance(0.03)) {
      const roll = this.rollOf[org];
      const siblings = pupil.householdId ? this.householdOf.get(pupil.householdId)! : [];
      let role = rng.weighted(LINK_ROLES);
      let other = roll.length > 1 ? rng.pick(roll) : pupilIndex;
      if (role === 'sibling') {
        const sibling = siblings.find((s) => s !== pupilIndex && this.rollOf[org].includes(s));
        if (sibling !== undefined) other = sibling;
        else role = 'other';
      }
      if (other !== pupilIndex) {
        await writer.add('concern_linked_pupils', [rng.uuid(), concern.id, world.pupils[other].id, role]);
        this.bump(other);
      }
    }
    await this.audit(
      recordedAt,
      recorder,
      'concern.recorded',
      { type: 'concern', id: concern.id },
      { pupilId: pupil.id },
    );
    this.bump(pupilIndex);
    if (this.input.tracked.has(pupilIndex))
      this.concernsOfTracked.set(pupilIndex, (this.concernsOfTracked.get(pupilIndex) ?? 0) + 1);
    const recent = this.recentConcerns.get(pupilIndex) ?? [];
    recent.push({ id: concern.id, occurredAt, category: template.category });
    while (recent.length && recent[0].occurredAt < recordedAt - 120 * DAY) recent.shift();
    this.recentConcerns.set(pupilIndex, recent);

    // Triage: most concerns are decided within hours, some after days; a few are never triaged.
    if (rng.chance(0.04)) return;
    const delay = rng.weighted<[number, number]>([
      [[10 * MINUTE, 4 * HOUR], 0.6],
      [[4 * HOUR, 2 * DAY], 0.3],
      [[2 * DAY, 10 * DAY], 0.1],
    ]);
    let decidedAt = recordedAt + delay[0] + rng.next() * (delay[1] - delay[0]);
    const dsp = rng.pick(this.input.dsps[org]);
    if (rng.chance(0.04)) {
      // First "monitor", then a fuller decision days later.
      if (!this.scheduleDecision(rng, concern, dsp, decidedAt, true)) return;
      decidedAt += rng.int(1, 14) * DAY;
    }
    this.scheduleDecision(rng, concern, dsp, decidedAt, false);
  }

  /** The DSP opens the concern (and sometimes the chronology), then decides. */
  private scheduleDecision(rng: Rng, concern: ConcernState, dsp: Person, at: number, preliminary: boolean): boolean {
    if (at > this.nowMs) return false;
    const pupilId = this.input.world.pupils[concern.pupil].id;
    if (rng.chance(0.2))
      this.schedule(at - rng.int(3, 15) * MINUTE, {
        kind: 'view',
        by: dsp,
        action: 'chronology.viewed',
        subject: { type: 'pupil', id: pupilId },
        details: null,
      });
    this.schedule(at - rng.int(1, 3) * MINUTE, {
      kind: 'view',
      by: dsp,
      action: 'concern.viewed',
      subject: { type: 'concern', id: concern.id },
      details: { pupilId },
    });
    this.decider.set(concern.id, dsp);
    return this.schedule(at, { kind: 'decision', concern, preliminary });
  }

  private readonly decider = new Map<string, Person>();
  /** When each pupil was last referred: `<pupil>:early_help`, or `<pupil>:mash` for the statutory routes. */
  private readonly lastReferral = new Map<string, number>();

  private async handle({ time, item }: { time: number; item: HistoryEvent }): Promise<void> {
    this.clock = time;
    switch (item.kind) {
      case 'view':
        await this.audit(time, item.by, item.action, item.subject, item.details);
        return;
      case 'decision':
        return this.decide(time, item.concern, item.preliminary);
      case 'send':
        return this.send(time, item.concern, item.route);
      case 'acknowledge':
        return this.acknowledge(time, item.escalation);
      case 'outcome':
        return this.answer(time, item.escalation);
      case 'close':
        return this.close(time, item.concern);
    }
  }

  private historyOf(concern: ConcernState): GuidanceHistory {
    const recent = this.recentConcerns.get(concern.pupil) ?? [];
    const mash = this.mashHistory.get(concern.pupil) ?? [];
    return {
      otherConcerns: recent
        .filter(
          (c) =>
            c.id !== concern.id && c.occurredAt >= concern.occurredAt - 91 * DAY && c.occurredAt <= concern.occurredAt,
        )
        .map((c) => ({ occurredAt: new Date(c.occurredAt), category: c.category as never })),
      mashEscalations: mash.map((m) => ({
        sentAt: new Date(m.sentAt),
        concernIsThisOne: m.concernId === concern.id,
        outcome: m.outcome,
        outcomeAt: m.outcomeAt === null ? null : new Date(m.outcomeAt),
      })),
    };
  }

  private guidanceFor(concern: ConcernState, judgement: ReasonableCause | null, withHistory = true): Guidance {
    const pupil = this.input.world.pupils[concern.pupil];
    return evaluateGuidance(
      {
        category: concern.template.category,
        issues: concern.template.issues,
        indicators: concern.template.indicators,
        occurredAt: new Date(concern.occurredAt),
        reasonableCause: judgement,
        pupilFlags: flagsOf(pupil),
        history: withHistory ? this.historyOf(concern) : { otherConcerns: [], mashEscalations: [] },
      },
      [],
    );
  }

  private judgementFor(rng: Rng, template: ConcernTemplate): ReasonableCause | null {
    const statutory =
      template.category === 'sexual' ||
      template.indicators.some((i) => STATUTORY_INDICATORS.includes(i) || EMERGENCY_INDICATORS.includes(i)) ||
      template.issues.some((i) => STATUTORY_ISSUES.includes(i));
    if (statutory)
      return rng.weighted<ReasonableCause>([
        ['yes', 0.75],
        ['unsure', 0.15],
        ['no', 0.1],
      ]);
    if (ABUSE_CATEGORIES.includes(template.category))
      return rng.weighted<ReasonableCause>([
        ['yes', 0.2],
        ['no', 0.65],
        ['unsure', 0.15],
      ]);
    return rng.weighted<ReasonableCause | null>([
      ['no', 0.85],
      ['unsure', 0.06],
      ['yes', 0.02],
      [null, 0.07],
    ]);
  }

  private outcomeFor(rng: Rng, guidance: Guidance): DecisionOutcome {
    if (guidance.route === 'designated_officer') return rng.chance(0.9) ? 'designated_officer' : 'mash';
    if (guidance.level === 0) return rng.chance(0.5) ? 'police' : 'mash';
    let rung = { monitor: 1, school_support: 2, early_help: 3, mash: 4, police: 5 }[guidance.route];
    if (guidance.route === 'monitor' && rng.chance(0.35)) rung = 0;
    const drift = rng.next();
    if (drift < 0.14) rung -= 1;
    else if (drift > 0.93 && rung < 4) rung += 1;
    return OUTCOME_LADDER[Math.max(0, Math.min(4, rung))];
  }

  private async decide(at: number, concern: ConcernState, preliminary: boolean): Promise<void> {
    const { rng, world, writer } = this.input;
    const dsp = this.decider.get(concern.id)!;
    const judgement = preliminary
      ? this.judgementFor(rng, concern.template)
      : (concern.judgement ?? this.judgementFor(rng, concern.template));
    const guidance = this.guidanceFor(concern, judgement);
    let outcome: DecisionOutcome = preliminary ? 'monitor' : this.outcomeFor(rng, guidance);
    if (!preliminary && guidance.triggers.length && rng.chance(PATTERN_HANDLED_IN_SCHOOL)) {
      // A child the school already knows well: when only the pattern raised the level, the DSP often
      // keeps to what the concern itself calls for (recorded below the guidance, with the reason).
      const own = this.guidanceFor(concern, judgement, false);
      if (severity(own.level) < severity(guidance.level)) outcome = this.outcomeFor(rng, own);
    }
    const route0 = ESCALATION_ROUTE_OF[outcome];
    const lastSent = route0
      ? this.lastReferral.get(`${concern.pupil}:${route0 === 'early_help' ? 'early_help' : 'mash'}`)
      : undefined;
    const known = lastSent !== undefined && at - lastSent < (route0 === 'early_help' ? 150 : 90) * DAY;
    let alreadyWithEarlyHelp = false;
    if (!preliminary && known && route0 === 'early_help') {
      // Early help is already working with the family: the DSP agrees with the guidance and passes the
      // new concern to the family's worker; no second referral.
      alreadyWithEarlyHelp = true;
    } else if (!preliminary && known && route0 !== 'police' && rng.chance(ALREADY_KNOWN_KEPT_IN_SCHOOL)) {
      // Already referred recently (a social worker is involved): the DSP shares the new information with
      // them and supports in school rather than referring again (below the guidance, with the reason).
      outcome = rng.chance(0.6) ? 'school_support' : 'monitor';
    }
    const below = isBelowGuidance(outcome, guidance, judgement);
    const reasonForRoute =
      needsReasonForRoute(outcome, guidance, judgement) || (below && rng.chance(0.3))
        ? known
          ? ALREADY_KNOWN_REASON
          : rng.pick(REASONS_FOR_ROUTE)
        : null;
    const phonedAt =
      (outcome === 'mash' || outcome === 'police') && rng.chance(0.2) ? at - rng.int(10, 60) * MINUTE : null;
    concern.judgement = judgement;
    concern.guidance = guidance;
    concern.reasonForRoute = reasonForRoute;
    concern.phonedAt = phonedAt;
    const pupilId = world.pupils[concern.pupil].id;
    await writer.add('concern_decisions', [
      rng.uuid(),
      concern.id,
      outcome,
      rng.pick(RATIONALES[outcome]),
      ...this.who(dsp),
      iso(at),
      judgement,
      reasonForRoute,
      below,
      guidance.level,
      guidance.route,
      phonedAt === null ? null : iso(phonedAt),
    ]);
    await this.audit(
      at,
      dsp,
      'concern.decided',
      { type: 'concern', id: concern.id },
      { pupilId, outcome, belowGuidance: below },
    );
    this.bump(concern.pupil);
    if (preliminary) return;

    const route = ESCALATION_ROUTE_OF[outcome];
    const refers =
      route !== undefined &&
      !alreadyWithEarlyHelp &&
      rng.chance(route === 'early_help' ? REFER_EARLY_HELP : REFER_STATUTORY);
    if (refers) {
      const sendAt = at + rng.int(5, 120) * MINUTE;
      this.schedule(sendAt - rng.int(1, 4) * MINUTE, {
        kind: 'view',
        by: dsp,
        action: 'chronology.viewed',
        subject: { type: 'pupil', id: pupilId },
        details: null,
      });
      this.schedule(sendAt, { kind: 'send', concern, route });
      return;
    }
    this.maybeClose(rng, concern, at, outcome === 'early_help' && !alreadyWithEarlyHelp ? 0.55 : 0.8);
  }

  private maybeClose(rng: Rng, concern: ConcernState, after: number, p: number): void {
    if (!rng.chance(p * CLOSING)) return;
    this.schedule(after + rng.int(1, 60) * DAY + rng.int(0, 8 * 60) * MINUTE, { kind: 'close', concern });
  }

  private consentFor(rng: Rng, route: EscalationRoute): Cell {
    if (route === 'early_help')
      return JSON.stringify({
        sought: true,
        given: true,
        givenBy: rng.pick(['Mother', 'Father', 'Carer', 'Grandparent']),
        reasonNotSought: null,
      });
    if (route === 'mash' && rng.chance(0.3))
      return JSON.stringify({
        sought: false,
        given: null,
        givenBy: null,
        reasonNotSought: 'Telling the family first could put the child at greater risk.',
      });
    if (route === 'mash')
      return JSON.stringify({ sought: true, given: rng.chance(0.85), givenBy: 'Parent', reasonNotSought: null });
    return JSON.stringify({ sought: false, given: null, givenBy: null, reasonNotSought: null });
  }

  private async send(at: number, concern: ConcernState, route: EscalationRoute): Promise<void> {
    const { rng, world, writer, calendar, localAuthorityId } = this.input;
    const dsp = this.decider.get(concern.id)!;
    const pupil = world.pupils[concern.pupil];
    const guidance = concern.guidance!;
    const judgement = concern.judgement;
    const against = isBelowGuidance(route, guidance, judgement);
    const reasonForRoute =
      against && (concern.reasonForRoute ?? '').length < MIN_REASON_FOR_ROUTE
        ? rng.pick(REASONS_FOR_ROUTE)
        : against
          ? concern.reasonForRoute
          : null;
    const referral: Record<string, unknown> = {};
    if (concern.phonedAt !== null && route !== 'early_help') referral.phonedAt = iso(concern.phonedAt);
    if (!['English', 'Welsh'].includes(pupil.homeLanguage) && rng.chance(0.5))
      referral.familyLanguage = pupil.homeLanguage;
    if (rng.chance(0.2)) referral.parentalResponsibility = 'Mother and father';
    const escalation: EscalationState = {
      id: rng.uuid(),
      concern,
      route,
      sentAt: at,
      main: true,
      mashRecord: route === 'mash' ? { sentAt: at, concernId: concern.id, outcome: null, outcomeAt: null } : null,
    };
    const dueBy = referralDueBy(calendar, {
      route,
      sentAt: new Date(at),
      phonedAt: (referral.phonedAt as string | undefined) ?? null,
      earlyHelpResponseDays: EARLY_HELP_RESPONSE_DAYS.default,
    });
    await writer.add('escalations', [
      escalation.id,
      concern.id,
      pupil.id,
      world.organisations[concern.org].id,
      localAuthorityId,
      route,
      reasonForRoute,
      against,
      guidance.level,
      guidance.route,
      this.consentFor(rng, route),
      JSON.stringify(referral),
      ...this.who(dsp),
      iso(at),
      dueBy.toISOString(),
      null,
      judgement,
      isAboveGuidance(route, guidance),
      false,
    ]);
    await this.audit(
      at,
      dsp,
      'escalation.sent',
      { type: 'escalation', id: escalation.id },
      { concernId: concern.id, pupilId: pupil.id, route, dspUnavailable: false },
    );
    this.bump(concern.pupil);
    this.lastReferral.set(`${concern.pupil}:${route === 'early_help' ? 'early_help' : 'mash'}`, at);
    if (escalation.mashRecord) {
      const history = this.mashHistory.get(concern.pupil) ?? [];
      while (history.length && history[0].sentAt < at - 400 * DAY) history.shift();
      history.push(escalation.mashRecord);
      this.mashHistory.set(concern.pupil, history);
    }
    if (route === 'police') {
      this.maybeClose(rng, concern, at, 0.7);
      return;
    }
    this.scheduleAcknowledgement(rng, escalation);
  }

  private officerFor(rng: Rng, route: EscalationRoute): Person {
    return rng.pick(route === 'early_help' ? this.input.earlyHelpOfficers : this.input.mashOfficers);
  }

  private scheduleAcknowledgement(rng: Rng, escalation: EscalationState): void {
    if (!rng.chance(0.97)) return;
    const officer = this.officerFor(rng, escalation.route);
    const delay = escalation.route === 'early_help' ? rng.int(30, 3 * 24 * 60) : rng.int(10, 6 * 60);
    const at = escalation.sentAt + delay * MINUTE;
    this.schedule(at - rng.int(1, 5) * MINUTE, {
      kind: 'view',
      by: officer,
      action: 'escalation.viewed',
      subject: { type: 'escalation', id: escalation.id },
      details: { pupilId: this.input.world.pupils[escalation.concern.pupil].id },
    });
    this.officers.set(escalation.id, officer);
    this.schedule(at, { kind: 'acknowledge', escalation });
  }

  private readonly officers = new Map<string, Person>();

  private async acknowledge(at: number, escalation: EscalationState): Promise<void> {
    const { rng, world, writer } = this.input;
    const officer = this.officers.get(escalation.id)!;
    const pupilId = world.pupils[escalation.concern.pupil].id;
    await writer.add('escalation_acknowledgements', [rng.uuid(), escalation.id, ...this.who(officer), iso(at)]);
    await this.audit(at, officer, 'escalation.acknowledged', { type: 'escalation', id: escalation.id }, { pupilId });
    this.bump(escalation.concern.pupil);
    // Most are answered within the working day; some late; a few wait (the backlog the inbox must reach).
    if (!rng.chance(0.92)) return;
    const hours =
      escalation.route === 'early_help'
        ? rng.int(4, 10 * 24)
        : rng.weighted<number>([
            [rng.int(1, 20), 0.8],
            [rng.int(20, 120), 0.2],
          ]);
    this.schedule(at + hours * HOUR + rng.int(0, 59) * MINUTE, { kind: 'outcome', escalation });
  }

  private async answer(at: number, escalation: EscalationState): Promise<void> {
    const { rng, world, writer, calendar, localAuthorityId } = this.input;
    const officer = this.officers.get(escalation.id)!;
    const pupil = world.pupils[escalation.concern.pupil];
    const outcome = rng.weighted(
      escalation.route === 'mash'
        ? MASH_OUTCOME_WEIGHTS
        : escalation.route === 'early_help'
          ? escalation.main
            ? EARLY_HELP_OUTCOME_WEIGHTS
            : EARLY_HELP_OUTCOME_WEIGHTS.filter(([code]) => code !== 'stepped_up_to_mash')
          : DESIGNATED_OFFICER_OUTCOME_WEIGHTS,
    );
    let earlyHelpId: string | null = null;
    if (escalation.route === 'mash' && outcome === 'redirect_early_help') {
      // MASH's redirect: a new early-help referral copied from this one, sent by the MASH officer.
      const concern = escalation.concern;
      const redirect: EscalationState = {
        id: rng.uuid(),
        concern,
        route: 'early_help',
        sentAt: at,
        main: false,
        mashRecord: null,
      };
      earlyHelpId = redirect.id;
      const guidance = concern.guidance!;
      await writer.add('escalations', [
        redirect.id,
        concern.id,
        pupil.id,
        world.organisations[concern.org].id,
        localAuthorityId,
        'early_help',
        null,
        false,
        guidance.level,
        guidance.route,
        this.consentFor(rng, 'mash'),
        JSON.stringify({}),
        ...this.who(officer),
        iso(at),
        referralDueBy(calendar, {
          route: 'early_help',
          sentAt: new Date(at),
          earlyHelpResponseDays: EARLY_HELP_RESPONSE_DAYS.default,
        }).toISOString(),
        escalation.id,
        concern.judgement,
        false,
        false,
      ]);
      await this.audit(
        at,
        officer,
        'escalation.sent',
        { type: 'escalation', id: redirect.id },
        { concernId: concern.id, pupilId: pupil.id, route: 'early_help', redirectedFromId: escalation.id },
      );
      this.bump(concern.pupil);
      this.scheduleAcknowledgement(rng, redirect);
    }
    await writer.add('escalation_outcomes', [
      rng.uuid(),
      escalation.id,
      outcome,
      rng.pick(LA_NOTES[outcome]),
      earlyHelpId,
      ...this.who(officer),
      iso(at),
    ]);
    await this.audit(
      at,
      officer,
      'escalation.outcome_recorded',
      { type: 'escalation', id: escalation.id },
      { pupilId: pupil.id, outcome },
    );
    this.bump(escalation.concern.pupil);
    if (escalation.mashRecord) {
      escalation.mashRecord.outcome = outcome;
      escalation.mashRecord.outcomeAt = at;
    }
    if (escalation.main && outcome !== 'redirect_early_help') this.maybeClose(rng, escalation.concern, at, 0.6);
    else if (!escalation.main) this.maybeClose(rng, escalation.concern, at, 0.6);
  }

  private async close(at: number, concern: ConcernState): Promise<void> {
    const { rng, world, writer } = this.input;
    if (this.closed.has(concern.id)) return;
    this.closed.add(concern.id);
    const dsp = this.decider.get(concern.id) ?? rng.pick(this.input.dsps[concern.org]);
    await writer.add('concern_closures', [
      rng.uuid(),
      concern.id,
      rng.pick(CLOSURE_RATIONALES),
      ...this.who(dsp),
      iso(at),
    ]);
    await this.audit(
      at,
      dsp,
      'concern.closed',
      { type: 'concern', id: concern.id },
      { pupilId: world.pupils[concern.pupil].id },
    );
    this.bump(concern.pupil);
  }

  private readonly closed = new Set<string>();
}

/**
 * `hashEntry`'s HMAC over canonical JSON (keys sorted, `undefined` left out) written out for the flat entries the
 * generator makes, without the generic walk: details are flat objects of strings, booleans and null.
 */
function fastHash(key: string, entry: ChainedFields): string {
  const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
  let details = 'null';
  if (entry.details) {
    const keys = Object.keys(entry.details)
      .filter((key) => entry.details![key] !== undefined)
      .sort();
    details = `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(entry.details![key])}`).join(',')}}`;
  }
  const payload =
    `{"action":${text(entry.action)},"actorName":${text(entry.actorName)},` +
    `"actorOrganisationId":${text(entry.actorOrganisationId)},"actorRole":${text(entry.actorRole)},` +
    `"actorUserId":${text(entry.actorUserId)},"at":${text(entry.at.toISOString())},"details":${details},` +
    `"id":${text(entry.id)},"prevHash":${text(entry.prevHash)},"seq":${entry.seq},` +
    `"subjectId":${text(entry.subjectId)},"subjectType":${text(entry.subjectType)}}`;
  return createHmac('sha256', key).update(payload).digest('hex');
}

function flagsOf(pupil: WorldPupil): string[] {
  const flags: string[] = [];
  if (pupil.lookedAfter) flags.push('looked_after');
  if (pupil.cpRegister) flags.push('cp_register');
  if (pupil.aln) flags.push('aln');
  if (pupil.youngCarer) flags.push('young_carer');
  if (pupil.eal) flags.push('eal');
  if (pupil.fsm) flags.push('fsm');
  if (pupil.welshSpeaker) flags.push('welsh_speaker');
  return flags;
}
