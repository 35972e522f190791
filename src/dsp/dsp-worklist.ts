import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { countsOf } from '../database/counts-of';
import { UnitOfWork } from '../database/unit-of-work';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { Pupil } from '../school/pupil.entity';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { statusRank } from './concerns/concern-status';
import { ConcernState } from './concern-states/concern-state.entity';
import { Concern } from './concerns/concern.entity';
import { applyCurrentValues } from './concerns/concern-current';
import { ConcernCurrent } from './concerns/concern-amendment.entity';
import { Escalation } from './escalations/escalation.entity';
import { CHASE_AFTER_WORKING_DAYS } from './escalations/escalations.service';
import { ReferralStatusSql } from './escalations/referral-status';
import { ReferralState } from './escalations/referral-state.entity';

/** How many rows each dashboard section shows at a time. */
export const WORKLIST_PAGE_SIZE = 10;

/** A phone report is confirmed in writing within this long (DOMAIN.md, Timescales). */
export const CONFIRM_IN_WRITING_MS = 24 * 60 * 60 * 1000;

export const WORKLIST_SECTIONS = ['queue', 'staffReports', 'phoned', 'notSent', 'below', 'chase'] as const;
export type WorklistSection = (typeof WORKLIST_SECTIONS)[number];

/** One page of a section: the true total (a COUNT) and the rows of this page. */
export interface WorklistPage<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

type PupilName = { id: string; firstName: string; lastName: string };

export interface QueueItem {
  concernId: string;
  pupil: PupilName;
  category: string;
  indicators: string[];
  emergency: boolean;
  occurredAt: string;
  recordedAt: string;
  recordedBy: { name: string; role: string };
}

export interface DecisionItem {
  concernId: string;
  pupil: PupilName;
  outcome: string;
  decidedAt: string;
  decidedBy: { name: string; role: string };
  guidanceRoute: string | null;
  /** The guidance was the emergency (level 0): a downgrade of it must stand out from any other. */
  emergency: boolean;
  reasonForRoute: string | null;
  phonedAt: string | null;
  /** phonedAt + 24 hours: when the written referral is due. */
  confirmBy: string | null;
  confirmOverdue: boolean;
}

export interface ReferralItem {
  concernId: string;
  escalationId: string;
  pupil: PupilName;
  route: string;
  sentAt: string;
  sentBy: { name: string; role: string };
  reasonForRoute: string | null;
}

export interface DspWorklist {
  /** Emergencies among the concerns waiting for triage (a true count). */
  emergencies: number;
  queue: WorklistPage<QueueItem>;
  staffReports: WorklistPage<ReferralItem>;
  phoned: WorklistPage<DecisionItem>;
  notSent: WorklistPage<DecisionItem>;
  below: WorklistPage<DecisionItem>;
  chase: WorklistPage<ReferralItem>;
}

/** Social services' teams that acknowledge a referral; the school chases those. */
const CHASED_ROUTES = ['mash', 'early_help'];

/**
 * Sent by a member of staff because no DSP could be reached, until a DSP takes it over (records a
 * decision on the concern after it was sent) or the concern is closed.
 */
function waitingStaffReports(qb: SelectQueryBuilder<Escalation>): SelectQueryBuilder<Escalation> {
  return qb.andWhere('escalation.dsp_unavailable = :unavailable', { unavailable: true }).andWhere(
    // The concern's stored state (its primary key): not closed, and its latest decision (if any) made
    // before the report was sent, i.e. no decision since.
    'EXISTS (SELECT 1 FROM concern_states w_state WHERE w_state.concern_id = escalation.concern_id ' +
      `AND w_state.status_rank <> ${statusRank('closed')} ` +
      'AND (w_state.decision_decided_at IS NULL OR w_state.decision_decided_at < escalation.sent_at))',
  );
}

/**
 * The DSP's dashboard sections a DSP must not miss (DOMAIN.md, DSP decision and Timescales), each a
 * COUNT and one bounded page over indexed columns: the organisation's concerns by their current
 * decision, its referrals by time. Read in one transaction; not audited as a list (the dashboard's lists are not: see forActor).
 */
@Injectable()
export class DspWorklistReader {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  async forActor(
    actor: Actor,
    pages: Partial<Record<WorklistSection, number>> = {},
    now: Date = new Date(),
  ): Promise<DspWorklist> {
    this.accessPolicy.require(actor, 'concern.read_all');
    const pageOf = (section: WorklistSection) => Math.max(1, Math.floor(pages[section] ?? 1));
    const cutoff = this.chaseCutoff(now);
    return this.unitOfWork.read(async (manager) => {
      const sections = this.sections(manager, actor, cutoff);
      // Every section's true total and the emergencies in one statement: a COUNT subquery each, so
      // each still reads its own index range. A section's rows are read only when its page has any.
      const totals = await countsOf(manager, {
        queue: sections.queue(),
        emergencies: sections.queue().andWhere('state.triage_rank = 0'),
        staffReports: sections.staffReports(),
        phoned: sections.phoned(),
        notSent: sections.notSent(),
        below: sections.below(),
        chase: sections.chase(),
      });
      const page = <K extends Exclude<keyof typeof totals, 'emergencies'>>(section: K) => ({
        page: pageOf(section),
        total: totals[section],
      });
      const queue = await this.queue(sections.queue(), page('queue'));
      const staffReports = await this.referrals(sections.staffReports(), page('staffReports'), 'DESC');
      const phoned = await this.decisions(sections.phoned(), page('phoned'), now);
      const notSent = await this.decisions(sections.notSent(), page('notSent'), now);
      const below = await this.decisions(sections.below(), page('below'), now);
      const chase = await this.referrals(sections.chase(), page('chase'), 'ASC');
      // No "viewed a list" audit row: this is the dashboard every sign-in opens, and a row per load
      // buried the entries that say who opened which child's record (home/dashboard.service.ts). Each
      // concern opened from here is audited as concern.viewed.
      return { emergencies: totals.emergencies, queue, staffReports, phoned, notSent, below, chase };
    });
  }

  /**
   * Each section's rows as a fresh query (no order, no page). Parameter names are unique across
   * sections, as `countsOf` puts them all in one statement.
   */
  private sections(manager: EntityManager, actor: Actor, cutoff: Date) {
    const escalationsHere = () => {
      const qb = manager
        .getRepository(Escalation)
        .createQueryBuilder('escalation')
        .where('escalation.organisation_id = :organisationId', { organisationId: actor.organisationId });
      this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
      return qb;
    };
    return {
      queue: () => this.awaitingTriage(manager, actor),
      // Sent by staff when no DSP could be reached, until a DSP takes it over or the concern is closed.
      staffReports: () => waitingStaffReports(escalationsHere()),
      // Decided to refer and nothing sent on that route yet (the stored state's `referral_pending`).
      phoned: () =>
        this.statesHere(manager, actor).andWhere('state.referral_pending = :phonedPending', {
          phonedPending: 'phoned',
        }),
      notSent: () =>
        this.statesHere(manager, actor).andWhere('state.referral_pending = :notSentPending', {
          notSentPending: 'not_sent',
        }),
      // Open, and the current decision went below the guidance.
      below: () =>
        this.statesHere(manager, actor)
          .andWhere('state.status_rank = :open', { open: statusRank('open') })
          .andWhere('state.decision_below_guidance = :below', { below: true }),
      // Sent to social services, not acknowledged (nor answered) 7 working days later. The referral's
      // stored state (referral_states) gives "not acknowledged" by index (organisation, status, sent
      // time), not a correlated EXISTS per referral.
      chase: () =>
        escalationsHere()
          .innerJoin(ReferralState, 'chase_state', 'chase_state.escalation_id = escalation.id')
          // Said of the state too, so its (organisation, status, sent time) index finds the few to chase.
          .andWhere('chase_state.organisation_id = :organisationId')
          .andWhere(ReferralStatusSql.state.is('sent', 'chase_state'))
          .andWhere('chase_state.route IN (:...chased)', { chased: CHASED_ROUTES })
          .andWhere('chase_state.sent_at <= :cutoff', { cutoff: cutoff.toISOString() }),
    };
  }

  /**
   * The cut-off for chasing: the latest send time with 7 whole working days elapsed by `now` (the
   * largest `s` with addWorkingDays(s, 7) <= now; monotonic, so a binary search to the millisecond).
   */
  chaseCutoff(now: Date): Date {
    let low = now.getTime() - 90 * 24 * 60 * 60 * 1000; // 7 working days is never 90 calendar days
    let high = now.getTime();
    if (this.calendar.addWorkingDays(new Date(high), CHASE_AFTER_WORKING_DAYS) <= now) return now;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.calendar.addWorkingDays(new Date(mid), CHASE_AFTER_WORKING_DAYS) <= now) low = mid;
      else high = mid;
    }
    return new Date(low);
  }

  /**
   * The organisation's concerns the actor may see, as their stored state (`concern_states`, the derived
   * projection kept in the same transaction as every append), so each section is an index range.
   */
  private statesHere(manager: EntityManager, actor: Actor): SelectQueryBuilder<ConcernState> {
    const qb = manager
      .getRepository(ConcernState)
      .createQueryBuilder('state')
      .where('state.organisation_id = :organisationId', { organisationId: actor.organisationId });
    // The state carries the concern's pupil, organisation and recorder: what the policy narrows by.
    return this.accessPolicy.restrictConcerns(actor, qb, 'state');
  }

  private awaitingTriage(manager: EntityManager, actor: Actor): SelectQueryBuilder<ConcernState> {
    return this.statesHere(manager, actor).andWhere('state.status_rank = :awaiting', {
      awaiting: statusRank('awaiting_triage'),
    });
  }

  /**
   * Waiting for triage: emergencies (level 0) first, then oldest first (the queue index's order). One
   * query: the page's states with their concerns, their corrections (the current category, indicators
   * and time: dsp/concerns/concern-amendments.service.ts) and their pupils' names.
   */
  private async queue(
    matching: SelectQueryBuilder<ConcernState>,
    { page, total }: { page: number; total: number },
  ): Promise<WorklistPage<QueueItem>> {
    const states = onPage(total, page)
      ? ((await withPupil(matching, 'state.pupil_id')
          .innerJoinAndMapOne('state.concern', Concern, 'concern', 'concern.id = state.concern_id')
          .leftJoinAndMapOne('state.current', ConcernCurrent, 'current', 'current.concern_id = state.concern_id')
          .orderBy('state.triage_rank', 'ASC')
          .addOrderBy('state.recorded_at', 'ASC')
          .addOrderBy('state.concern_id', 'ASC')
          .offset((page - 1) * WORKLIST_PAGE_SIZE)
          .limit(WORKLIST_PAGE_SIZE)
          .getMany()) as Array<ConcernState & Named & { concern: Concern; current?: ConcernCurrent | null }>)
      : [];
    const emergency = new Set<string>(EMERGENCY_INDICATORS);
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: states.map((state) => {
        const c = applyCurrentValues(state.concern, state.current);
        return {
          concernId: c.id,
          pupil: nameOf(state.named, c.pupilId),
          category: c.category,
          indicators: c.indicators,
          emergency: c.indicators.some((code) => emergency.has(code)),
          occurredAt: c.occurredAt.toISOString(),
          recordedAt: c.recordedAt.toISOString(),
          recordedBy: { name: c.recordedByName, role: c.recordedByRole },
        };
      }),
    };
  }

  /**
   * The organisation's concerns by their current decision (stored with the state), oldest decision
   * first: one query, the page's states with their decisions and their pupils' names.
   */
  private async decisions(
    matching: SelectQueryBuilder<ConcernState>,
    { page, total }: { page: number; total: number },
    now: Date,
  ): Promise<WorklistPage<DecisionItem>> {
    const states = onPage(total, page)
      ? ((await withPupil(matching, 'state.pupil_id')
          .innerJoinAndMapOne('state.decision', ConcernDecision, 'decision', 'decision.id = state.decision_id')
          .orderBy('state.decision_decided_at', 'ASC')
          .addOrderBy('state.decision_id', 'ASC')
          .offset((page - 1) * WORKLIST_PAGE_SIZE)
          .limit(WORKLIST_PAGE_SIZE)
          .getMany()) as Array<ConcernState & Named & { decision: ConcernDecision }>)
      : [];
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: states.map(({ decision: d, pupilId, named }) => {
        const confirmBy = d.phonedAt ? new Date(d.phonedAt.getTime() + CONFIRM_IN_WRITING_MS) : null;
        return {
          concernId: d.concernId,
          pupil: nameOf(named, pupilId),
          outcome: d.outcome,
          decidedAt: d.decidedAt.toISOString(),
          decidedBy: { name: d.decidedByName, role: d.decidedByRole },
          guidanceRoute: d.guidanceRoute,
          emergency: d.guidanceLevel === 0,
          reasonForRoute: d.reasonForRoute,
          phonedAt: d.phonedAt ? d.phonedAt.toISOString() : null,
          confirmBy: confirmBy ? confirmBy.toISOString() : null,
          confirmOverdue: confirmBy !== null && confirmBy < now,
        };
      }),
    };
  }

  /**
   * How many reports staff sent when no DSP could be reached wait for a DSP here, as one indexed COUNT
   * query (one row, one column) for the pages to run beside their other counts; null for whoever cannot
   * triage here.
   */
  staffReportsWaitingQuery(actor: Actor): SelectQueryBuilder<Escalation> | null {
    if (!this.accessPolicy.may(actor, 'concern.read_all') || !this.accessPolicy.may(actor, 'concern.triage'))
      return null;
    const qb = this.unitOfWork.manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .select('COUNT(1)', 'waiting')
      .where('escalation.organisation_id = :organisationId', { organisationId: actor.organisationId });
    this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
    return waitingStaffReports(qb);
  }

  /** A page of referrals by send time (staff reports newest first, those to chase oldest first), with their pupils' names: one query. */
  private async referrals(
    matching: SelectQueryBuilder<Escalation>,
    { page, total }: { page: number; total: number },
    order: 'ASC' | 'DESC',
  ): Promise<WorklistPage<ReferralItem>> {
    const rows = onPage(total, page)
      ? ((await withPupil(matching, 'escalation.pupil_id')
          .orderBy('escalation.sent_at', order)
          .addOrderBy('escalation.id', order)
          .offset((page - 1) * WORKLIST_PAGE_SIZE)
          .limit(WORKLIST_PAGE_SIZE)
          .getMany()) as Array<Escalation & Named>)
      : [];
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: rows.map((e) => ({
        concernId: e.concernId,
        escalationId: e.id,
        pupil: nameOf(e.named, e.pupilId),
        route: e.route,
        sentAt: e.sentAt.toISOString(),
        sentBy: { name: e.sentByName, role: e.sentByRole },
        reasonForRoute: e.reasonForRoute,
      })),
    };
  }
}

/** A row read with its pupil's names (`withPupil`). */
type Named = { named?: PupilName | null };

/** The pupil joined onto each row as `named`, for its names. */
function withPupil<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, pupilIdColumn: string): SelectQueryBuilder<T> {
  return qb.leftJoinAndMapOne(`${qb.alias}.named`, Pupil, 'named', `named.id = ${pupilIdColumn}`);
}

/** Whether a page of this section has any rows (a page past the end reads nothing). */
function onPage(total: number, page: number): boolean {
  return total > (page - 1) * WORKLIST_PAGE_SIZE;
}

function nameOf(named: PupilName | null | undefined, pupilId: string): PupilName {
  return { id: pupilId, firstName: named?.firstName ?? '', lastName: named?.lastName ?? '' };
}
