import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { UnitOfWork } from '../database/unit-of-work';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { PupilRepository } from '../school/pupil.repository';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { ConcernStatusSql } from './concerns/concern-status';
import { Concern } from './concerns/concern.entity';
import { Escalation } from './escalations/escalation.entity';
import { CHASE_AFTER_WORKING_DAYS } from './escalations/escalations.service';
import { ReferralStatusSql } from './escalations/referral-status';

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

const REFERRING_OUTCOMES = ['mash', 'designated_officer', 'police'];
/** Social services' teams that acknowledge a referral; the school chases those. */
const CHASED_ROUTES = ['mash', 'early_help'];

/** A level-0 concern: any emergency indicator (rule 1, the only rule that gives level 0), from the JSON list. */
export function emergencySql(alias: string): string {
  return `(${EMERGENCY_INDICATORS.map((code) => `${alias}.indicators LIKE '%"${code}"%'`).join(' OR ')})`;
}

/** The decision is its concern's latest (the current one): no later one, equal times by id. */
const isCurrentDecision = (alias: string) =>
  `NOT EXISTS (SELECT 1 FROM concern_decisions w_later WHERE w_later.concern_id = ${alias}.concern_id ` +
  `AND (w_later.decided_at > ${alias}.decided_at OR (w_later.decided_at = ${alias}.decided_at AND w_later.id > ${alias}.id)))`;

/** No referral on the decision's route yet (for the police, a MASH referral counts too: 999, then MASH). */
const noReferralOnRoute = (decision: string) =>
  `NOT EXISTS (SELECT 1 FROM escalations w_sent WHERE w_sent.concern_id = ${decision}.concern_id ` +
  `AND (w_sent.route = ${decision}.outcome OR (${decision}.outcome = 'police' AND w_sent.route = 'mash')))`;

/**
 * Sent by a member of staff because no DSP could be reached, until a DSP takes it over (records a
 * decision on the concern after it was sent) or the concern is closed.
 */
function waitingStaffReports(qb: SelectQueryBuilder<Escalation>): SelectQueryBuilder<Escalation> {
  return qb
    .andWhere('escalation.dsp_unavailable = :unavailable', { unavailable: true })
    .andWhere(
      'NOT EXISTS (SELECT 1 FROM concern_decisions w_taken WHERE w_taken.concern_id = escalation.concern_id ' +
        'AND w_taken.decided_at >= escalation.sent_at)',
    )
    .andWhere('NOT EXISTS (SELECT 1 FROM concern_closures w_closed WHERE w_closed.concern_id = escalation.concern_id)');
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
    private readonly pupils: PupilRepository,
  ) {}

  async forActor(
    actor: Actor,
    pages: Partial<Record<WorklistSection, number>> = {},
    now: Date = new Date(),
  ): Promise<DspWorklist> {
    this.accessPolicy.require(actor, 'concern.read_all');
    const pageOf = (section: WorklistSection) => Math.max(1, Math.floor(pages[section] ?? 1));
    return this.unitOfWork.read(async (manager) => {
      const queue = await this.queue(manager, actor, pageOf('queue'));
      const emergencies = await this.concernsHere(manager, actor)
        .andWhere(ConcernStatusSql.is('awaiting_triage', 'concern'))
        .andWhere(emergencySql('concern'))
        .getCount();
      const staffReports = await this.staffReports(manager, actor, pageOf('staffReports'));
      const phoned = await this.decisions(manager, actor, pageOf('phoned'), now, (qb) =>
        this.toRefer(qb).andWhere('decision.phoned_at IS NOT NULL'),
      );
      const notSent = await this.decisions(manager, actor, pageOf('notSent'), now, (qb) =>
        this.toRefer(qb).andWhere('decision.phoned_at IS NULL'),
      );
      const below = await this.decisions(manager, actor, pageOf('below'), now, (qb) =>
        qb.andWhere('decision.below_guidance = :below', { below: true }),
      );
      const chase = await this.chase(manager, actor, pageOf('chase'), now);
      // No "viewed a list" audit row: this is the dashboard every sign-in opens, and a row per load
      // buried the entries that say who opened which child's record (home/dashboard.service.ts). Each
      // concern opened from here is audited as concern.viewed.
      return { emergencies, queue, staffReports, phoned, notSent, below, chase };
    });
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

  /** The organisation's concerns the actor may see. */
  private concernsHere(manager: EntityManager, actor: Actor): SelectQueryBuilder<Concern> {
    const qb = manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .where('concern.organisation_id = :organisationId', { organisationId: actor.organisationId });
    return this.accessPolicy.restrictConcerns(actor, qb, 'concern');
  }

  /** Waiting for triage: emergencies (level 0) first, then oldest first. */
  private async queue(manager: EntityManager, actor: Actor, page: number): Promise<WorklistPage<QueueItem>> {
    const base = () => this.concernsHere(manager, actor).andWhere(ConcernStatusSql.is('awaiting_triage', 'concern'));
    const total = await base().getCount();
    const rows = await base()
      .orderBy(`CASE WHEN ${emergencySql('concern')} THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('concern.recorded_at', 'ASC')
      .addOrderBy('concern.id', 'ASC')
      .offset((page - 1) * WORKLIST_PAGE_SIZE)
      .limit(WORKLIST_PAGE_SIZE)
      .getMany();
    const names = await this.pupils.byIds(
      manager,
      rows.map((c) => c.pupilId),
    );
    const emergency = new Set<string>(EMERGENCY_INDICATORS);
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: rows.map((c) => ({
        concernId: c.id,
        pupil: nameOf(names, c.pupilId),
        category: c.category,
        indicators: c.indicators,
        emergency: c.indicators.some((code) => emergency.has(code)),
        occurredAt: c.occurredAt.toISOString(),
        recordedAt: c.recordedAt.toISOString(),
        recordedBy: { name: c.recordedByName, role: c.recordedByRole },
      })),
    };
  }

  /** The current decision is to refer (MASH, designated officer, police) and nothing was sent on that route. */
  private toRefer<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return qb
      .andWhere('decision.outcome IN (:...referring)', { referring: REFERRING_OUTCOMES })
      .andWhere(noReferralOnRoute('decision'));
  }

  /** Open concerns of the organisation by their current decision, oldest decision first. */
  private async decisions(
    manager: EntityManager,
    actor: Actor,
    page: number,
    now: Date,
    which: (qb: SelectQueryBuilder<ConcernDecision>) => SelectQueryBuilder<ConcernDecision>,
  ): Promise<WorklistPage<DecisionItem>> {
    const base = () => {
      const qb = manager
        .getRepository(ConcernDecision)
        .createQueryBuilder('decision')
        .innerJoinAndMapOne('decision.concern', Concern, 'concern', 'concern.id = decision.concern_id')
        .where('concern.organisation_id = :organisationId', { organisationId: actor.organisationId })
        .andWhere(`NOT ${ConcernStatusSql.closed('concern')}`)
        .andWhere(isCurrentDecision('decision'));
      this.accessPolicy.restrictConcerns(actor, qb, 'concern');
      return which(qb);
    };
    const total = await base().getCount();
    const rows = await base()
      .orderBy('decision.decided_at', 'ASC')
      .addOrderBy('decision.id', 'ASC')
      .offset((page - 1) * WORKLIST_PAGE_SIZE)
      .limit(WORKLIST_PAGE_SIZE)
      .getMany();
    const concerns = rows.map((d) => (d as ConcernDecision & { concern: Concern }).concern);
    const names = await this.pupils.byIds(
      manager,
      concerns.map((c) => c.pupilId),
    );
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: rows.map((d, index) => {
        const confirmBy = d.phonedAt ? new Date(d.phonedAt.getTime() + CONFIRM_IN_WRITING_MS) : null;
        return {
          concernId: d.concernId,
          pupil: nameOf(names, concerns[index].pupilId),
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
   * Sent by a member of staff because no DSP could be reached, until a DSP takes it over (records a
   * decision on the concern after it was sent) or the concern is closed. Newest first.
   */
  private staffReports(manager: EntityManager, actor: Actor, page: number): Promise<WorklistPage<ReferralItem>> {
    return this.referrals(manager, actor, page, 'DESC', waitingStaffReports);
  }

  /** How many reports staff sent when no DSP could be reached wait for a DSP here: one indexed COUNT. */
  async staffReportsWaiting(actor: Actor): Promise<number> {
    if (!this.accessPolicy.may(actor, 'concern.read_all') || !this.accessPolicy.may(actor, 'concern.triage')) return 0;
    const qb = this.unitOfWork.manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.organisation_id = :organisationId', { organisationId: actor.organisationId });
    this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
    return waitingStaffReports(qb).getCount();
  }

  /** Sent to social services, not acknowledged (nor answered) 7 working days later. Oldest first. */
  private chase(manager: EntityManager, actor: Actor, page: number, now: Date): Promise<WorklistPage<ReferralItem>> {
    return this.referrals(manager, actor, page, 'ASC', (qb) =>
      qb
        .andWhere('escalation.route IN (:...chased)', { chased: CHASED_ROUTES })
        .andWhere('escalation.sent_at <= :cutoff', { cutoff: this.chaseCutoff(now).toISOString() })
        .andWhere(ReferralStatusSql.is('sent', 'escalation')),
    );
  }

  private async referrals(
    manager: EntityManager,
    actor: Actor,
    page: number,
    order: 'ASC' | 'DESC',
    which: (qb: SelectQueryBuilder<Escalation>) => SelectQueryBuilder<Escalation>,
  ): Promise<WorklistPage<ReferralItem>> {
    const base = () => {
      const qb = manager
        .getRepository(Escalation)
        .createQueryBuilder('escalation')
        .where('escalation.organisation_id = :organisationId', { organisationId: actor.organisationId });
      this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
      return which(qb);
    };
    const total = await base().getCount();
    const rows = await base()
      .orderBy('escalation.sent_at', order)
      .addOrderBy('escalation.id', order)
      .offset((page - 1) * WORKLIST_PAGE_SIZE)
      .limit(WORKLIST_PAGE_SIZE)
      .getMany();
    const names = await this.pupils.byIds(
      manager,
      rows.map((e) => e.pupilId),
    );
    return {
      total,
      page,
      pageSize: WORKLIST_PAGE_SIZE,
      items: rows.map((e) => ({
        concernId: e.concernId,
        escalationId: e.id,
        pupil: nameOf(names, e.pupilId),
        route: e.route,
        sentAt: e.sentAt.toISOString(),
        sentBy: { name: e.sentByName, role: e.sentByRole },
        reasonForRoute: e.reasonForRoute,
      })),
    };
  }
}

function nameOf(names: Map<string, { id: string; firstName: string; lastName: string }>, pupilId: string): PupilName {
  const pupil = names.get(pupilId);
  return { id: pupilId, firstName: pupil?.firstName ?? '', lastName: pupil?.lastName ?? '' };
}
