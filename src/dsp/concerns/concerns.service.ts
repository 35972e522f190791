import { Injectable } from '@nestjs/common';
import { inSequence } from '../../common/in-sequence';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { InvalidInputError } from '../../common/domain-error';
import { ConcernError, ConcernRuleError, MIN_DECISION_REASON_FOR_ROUTE } from './concern-errors';
import { newId } from '../../common/ids';
import { recordedBy } from '../../common/recorded-by';
import { UnitOfWork } from '../../database/unit-of-work';
import { Guidance, isBelowGuidance, needsReasonForRoute } from '../../guidance/guidance-engine';
import { ReasonableCause } from '../../guidance/codes';
import { GuidanceInputs, GuidanceService, GuidanceSubject } from '../../guidance/guidance.service';
import { OrganisationRef, OrganisationsService } from '../../organisations/organisations.service';
import { PupilRepository } from '../../school/pupil.repository';
import { ConcernsToRefer, ConcernToRefer } from '../escalations/concerns-to-refer';
import { Escalation } from '../escalations/escalation.entity';
import { EscalationStateReader } from '../escalations/escalation-state';
import { toEscalationResponse } from '../escalations/escalation.mapper';
import { ConcernClosure } from './concern-closure.entity';
import { ConcernDecision } from './concern-decision.entity';
import { ConcernLinkedPupil } from './concern-linked-pupil.entity';
import { ConcernAudience, ConcernNotifications } from './concern-notifications';
import { ConcernRepository } from './concern.repository';
import { ConcernStateWriter } from '../concern-states/concern-states';
import { concernStatus, statusOfRank, statusRank } from './concern-status';
import { ConcernState } from '../concern-states/concern-state.entity';
import { Concern } from './concern.entity';
import {
  ConcernDetailResponse,
  ConcernResponse,
  DecisionResponse,
  toClosureResponse,
  toConcernResponse,
  toDecisionResponse,
} from './concern.mapper';
import { CloseConcernDto, RecordDecisionDto } from './dto/decision.dto';
import { ConcernStatus } from './dto/list-concerns.dto';
import { RecordConcernDto } from './dto/record-concern.dto';
import { Created, IdempotentCreations, IdempotentRequest } from '../submissions/idempotency';
import { ReferralBalanceCountWriter } from '../referral-balance-count-writer';
import { PAGE_SIZE } from '../../common/paging';
import { amendmentsOf, toAmendmentResponse } from './concern-amendments.service';
import { applyCurrentValues, asItStoodAt } from './concern-current';
import { ConcernCurrent } from './concern-amendment.entity';
import { Pupil } from '../../school/pupil.entity';
import { ActionRecords } from '../actions/action-records';
import { attachmentsOf } from '../attachments/concern-attachments.reader';

/** The concern's threshold judgement from its decisions (oldest first): the latest answered one. */
function concernJudgement(decisions: ConcernDecision[], seesTriage: boolean): ReasonableCause | null {
  if (!seesTriage) return null;
  return [...decisions].reverse().find((d) => d.reasonableCause !== null)?.reasonableCause ?? null;
}

/** Posting the same outcome and rationale again within this long answers the decision already made. */
const REPEAT_WINDOW_MS = 60_000;

export interface ConcernListItem {
  id: string;
  status: ConcernStatus;
  pupil: { id: string; firstName: string; lastName: string };
  category: string;
  indicators: string[];
  occurredAt: string;
  recordedAt: string;
  recordedBy: { name: string; role: string };
}

/** A concern with the names a page needs: the subject and the linked pupils. */
/** A list read from the dashboard passes `audited: false` (home/dashboard.service.ts says why). */
export interface ListAuditOptions {
  audited?: boolean;
}

/** The page to read (from 1) and its size (1 to 200, default 50): API.md, Paging. */
export interface ListOptions extends ListAuditOptions {
  page?: number;
  pageSize?: number;
}

/** A page of a list, with the true number of records it pages through. */
export interface ConcernListPage {
  items: ConcernListItem[];
  page: number;
  pageSize: number;
  total: number;
}

function pagingOf(options: ListOptions): { page: number; pageSize: number } {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const pageSize = Math.min(PAGE_SIZE.max, Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE.default)));
  return { page, pageSize };
}

export interface ConcernPageDetail extends Omit<ConcernDetailResponse, 'linkedPupils'> {
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string; yearGroup: number };
  linkedPupils: Array<{ pupilId: string; role: string; firstName: string; lastName: string }>;
  /** Where it was recorded (a PRU's concern about a dual-registered pupil says so), with both names. */
  organisation: OrganisationRef;
}

/**
 * Concerns: recording (any staff member where the pupil is enrolled), triage, decisions and closing
 * (DSPs). Status is derived: awaiting triage until a DSP decides or refers; closed once closed.
 */
/** What the concern page offers its reader. */
export interface ConcernPageAbilities {
  /** Sees the DSP's working: guidance, decisions, referrals, closure. */
  seesTriage: boolean;
  canTriage: boolean;
  canRefer: boolean;
  /** May report to MASH or the police themselves when no DSP can be reached (staff, head teachers). */
  canReportWithoutDsp: boolean;
  canReadChronology: boolean;
  /**
   * The caller's organisation recorded the concern, so may decide, refer and close it (always true
   * when no concern is named). A dual-registered pupil's other school or PRU only reads it.
   */
  ownsDecisions: boolean;
}

@Injectable()
export class ConcernsService implements ConcernsToRefer {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly guidance: GuidanceService,
    private readonly escalationState: EscalationStateReader,
    private readonly concernRecords: ConcernRepository,
    private readonly pupilRecords: PupilRepository,
    private readonly organisations: OrganisationsService,
    private readonly concernStates: ConcernStateWriter,
    private readonly referralBalance: ReferralBalanceCountWriter,
    private readonly creations: IdempotentCreations,
    private readonly concernNotifications: ConcernNotifications,
    private readonly actionRecords: ActionRecords,
  ) {}

  /** Refuses (403) a role that may not record concerns: the form's buttons that save nothing ask first. */
  assertMayRecord(actor: Actor): void {
    this.accessPolicy.require(actor, 'concern.record');
  }

  /** Refuses (403) a role that may not triage, before a page checks the decision form. */
  assertMayTriage(actor: Actor): void {
    this.accessPolicy.require(actor, 'concern.triage');
  }

  /** What the concern page offers this actor (on `concern`, when named), by the access policy. */
  pageAbilities(actor: Actor, concern?: { organisationId: string }): ConcernPageAbilities {
    const may = (permission: Parameters<AccessPolicy['may']>[1]) => this.accessPolicy.may(actor, permission);
    return {
      seesTriage: may('concern.read_all') || may('escalation.receive'),
      canTriage: may('concern.triage'),
      canRefer: may('escalation.send'),
      canReportWithoutDsp: may('escalation.send_without_dsp'),
      canReadChronology: may('chronology.read'),
      ownsDecisions: concern ? this.accessPolicy.ownsConcern(actor, concern) : true,
    };
  }

  /**
   * `request`: the creation's idempotency key, if it has one: a repeat answers the concern already recorded.
   *
   * What the creation only reads (the guidance's inputs, whom to tell) is read first, outside the write
   * transaction: on SQLite on a read connection, in parallel with the one writer, on PostgreSQL without
   * holding a pooled transaction open. The write transaction is then the concern inserted if the pupil
   * is on the recorder's roll (one statement), the other inserts, the counts and the audit entry.
   */
  async record(
    actor: Actor,
    dto: RecordConcernDto,
    request?: IdempotentRequest,
  ): Promise<ConcernResponse & { guidance: Guidance }> {
    this.accessPolicy.require(actor, 'concern.record');
    const concernId = newId();
    const readFirst = (manager: EntityManager) =>
      this.readForRecording(manager, actor, {
        id: concernId,
        pupilId: dto.pupilId,
        organisationId: actor.organisationId,
      });
    // A pupil the actor may not see fails here too: the transaction then reads again and answers as always.
    const readBefore = await (
      this.unitOfWork.engine === 'sqlite' ? this.unitOfWork.read(readFirst) : readFirst(this.unitOfWork.manager)
    ).catch(() => null);
    return this.creations.run(actor, request, async (manager) => {
      const concern: Concern = {
        id: concernId,
        pupilId: dto.pupilId,
        organisationId: actor.organisationId,
        ...recordedBy('recordedBy', actor),
        recordedAt: new Date(),
        occurredAt: new Date(dto.occurredAt),
        category: dto.category,
        issues: dto.issues ?? [],
        indicators: dto.indicators ?? [],
        context: dto.context ?? null,
        summary: dto.summary,
        childsWords: dto.childsWords ?? null,
        childsWordsLanguage: dto.childsWords ? (dto.childsWordsLanguage ?? null) : null,
        childsWordsLanguageName:
          dto.childsWords && dto.childsWordsLanguage === 'other' ? (dto.childsWordsLanguageName ?? null) : null,
        evidenceBasis: dto.evidenceBasis,
        actionTaken: dto.actionTaken ?? null,
        bodyMap: dto.bodyMap?.length
          ? dto.bodyMap.map((m) => ({ view: m.view, x: m.x, y: m.y, note: m.note ?? null }))
          : null,
      };
      // The roll check and the insert in one statement; nothing written says why, as the check always did.
      const onRoll = this.accessPolicy.pupilOnRollQuery(actor, dto.pupilId, manager);
      if (!(await this.concernRecords.insertWhereExists(manager, concern, onRoll))) {
        await this.accessPolicy.assertPupilOnRoll(actor, dto.pupilId, manager);
        // On PostgreSQL an enrolment committed since the insert: on the roll now, so written as before.
        await manager.getRepository(Concern).insert(concern);
      }
      const linked = dto.linkedPupils ?? [];
      // After the insert, in the same transaction: a refused linked pupil (400) rolls the concern back.
      await this.assertLinkedPupilsUsable(
        actor,
        manager,
        dto.pupilId,
        linked.map((l) => l.pupilId),
      );
      const { guidanceInputs, audience } = readBefore ?? (await readFirst(manager));
      await this.concernStates.recorded(manager, concern.id);
      const links = linked.map((l) => ({ id: newId(), concernId: concern.id, pupilId: l.pupilId, role: l.role }));
      if (links.length) await manager.getRepository(ConcernLinkedPupil).insert(links);
      await this.audit.record(
        manager,
        actor,
        'concern.recorded',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId },
      );
      // The DSPs of every organisation where the pupil is enrolled are told, in this transaction.
      await this.concernNotifications.recorded(manager, actor, concern, audience);
      // Last write before the audit entry: on PostgreSQL the school's day row stays locked until COMMIT.
      await this.referralBalance.newConcernRecorded(manager, concern);
      // A new concern has no decision yet, so no threshold judgement: what `guidanceFor` would find.
      const guidance = GuidanceService.evaluateWith(guidanceInputs, {
        ...this.guidanceSubject(concern, actor),
        reasonableCause: null,
      });
      return {
        answer: { ...toConcernResponse(concern, 'awaiting_triage', links), guidance },
        subject: { type: 'concern', id: concern.id, pupilId: concern.pupilId },
      };
    });
  }

  /** What recording a concern reads and does not write: the guidance's inputs and whom to tell. */
  private async readForRecording(
    manager: EntityManager,
    actor: Actor,
    concern: Pick<Concern, 'id' | 'pupilId' | 'organisationId'>,
  ): Promise<{ guidanceInputs: GuidanceInputs; audience: ConcernAudience }> {
    // Whom to tell is read in the guidance's one statement of history and directory, after its access check.
    const { branches, parameters } = this.concernNotifications.audienceBranches(manager, concern);
    const { inputs: guidanceInputs, alongside: audience } = await this.guidance.inputsWith(
      manager,
      actor,
      { pupilId: concern.pupilId, concernId: concern.id, localAuthorityId: actor.localAuthorityId },
      { branches, parameters, from: (rowsOf) => this.concernNotifications.audienceFrom(manager, actor, rowsOf) },
    );
    return { guidanceInputs, audience };
  }

  /**
   * One page of the caller's organisation's concerns (recorded there), optionally only those with
   * `status`; DSPs and head teachers only. Those awaiting triage first, then open ones, each oldest
   * first; then closed ones, most recent first: one ascending order of the stored state's list index,
   * so every concern is reachable by paging and `total` is the true count.
   */
  async listForOrganisation(actor: Actor, status?: ConcernStatus, options: ListOptions = {}): Promise<ConcernListPage> {
    this.accessPolicy.require(actor, 'concern.read_all');
    const { page, pageSize } = pagingOf(options);
    return this.unitOfWork.read(async (manager) => {
      const matching = () => {
        const qb = this.states(manager).where('state.organisation_id = :organisationId', {
          organisationId: actor.organisationId,
        });
        if (status) qb.andWhere('state.status_rank = :rank', { rank: statusRank(status) });
        // The state carries the concern's pupil, organisation and recorder: what the policy narrows by.
        return this.accessPolicy.restrictConcerns(actor, qb, 'state');
      };
      const listed = await this.pageOf(manager, matching, page, pageSize, (qb) =>
        qb
          .orderBy('state.status_rank', 'ASC')
          .addOrderBy('state.list_key', 'ASC')
          .addOrderBy('state.concern_id', 'ASC'),
      );
      if (options.audited !== false) {
        await this.audit.record(
          manager,
          actor,
          'concern_list.viewed',
          { type: 'organisation', id: actor.organisationId },
          { status: status ?? null, page, concernIds: listed.items.map((c) => c.id) },
        );
      }
      return listed;
    });
  }

  /** `concern_states` (the derived projection) as a query. */
  private states(manager: EntityManager): SelectQueryBuilder<ConcernState> {
    return manager.getRepository(ConcernState).createQueryBuilder('state');
  }

  /**
   * A page of a list over `concern_states`: the true COUNT, then the page's states in the index's order
   * with their concerns, corrections and pupils joined (two queries whatever the page or the history;
   * a page past the end reads only the COUNT).
   */
  private async pageOf(
    manager: EntityManager,
    matching: () => SelectQueryBuilder<ConcernState>,
    page: number,
    pageSize: number,
    order: (qb: SelectQueryBuilder<ConcernState>) => SelectQueryBuilder<ConcernState>,
  ): Promise<ConcernListPage> {
    const counted = await matching().select('COUNT(*)', 'total').getRawOne<{ total: string | number }>();
    const total = Number(counted?.total ?? 0);
    type Listed = ConcernState & { concern: Concern; current?: ConcernCurrent | null; named?: Pupil | null };
    const states =
      total > (page - 1) * pageSize
        ? ((await order(
            matching()
              .innerJoinAndMapOne('state.concern', Concern, 'concern', 'concern.id = state.concern_id')
              .leftJoinAndMapOne('state.current', ConcernCurrent, 'current', 'current.concern_id = state.concern_id')
              .leftJoinAndMapOne('state.named', Pupil, 'named', 'named.id = state.pupil_id'),
          )
            .offset((page - 1) * pageSize)
            .limit(pageSize)
            .getMany()) as Listed[])
        : [];
    const items = states.map((state) => {
      const concern = applyCurrentValues(state.concern, state.current);
      const pupil = state.named;
      return {
        id: concern.id,
        status: statusOfRank(state.statusRank),
        pupil: { id: concern.pupilId, firstName: pupil?.firstName ?? '', lastName: pupil?.lastName ?? '' },
        category: concern.category,
        indicators: concern.indicators,
        occurredAt: concern.occurredAt.toISOString(),
        recordedAt: concern.recordedAt.toISOString(),
        recordedBy: { name: concern.recordedByName, role: concern.recordedByRole },
      };
    });
    return { items, page, pageSize, total };
  }

  /** The concern for the API, with where it was recorded (`organisation`, both names: the controller picks one). */
  async get(actor: Actor, concernId: string): Promise<ConcernDetailResponse & { organisation: OrganisationRef }> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId);
      const detail = await this.detailOf(manager, actor, concern);
      const organisation = await this.organisationOf(manager, concern.organisationId);
      await this.audit.record(
        manager,
        actor,
        'concern.viewed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId },
      );
      return { ...detail, organisation };
    });
  }

  private async organisationOf(manager: EntityManager, organisationId: string): Promise<OrganisationRef> {
    const names = await this.organisations.namesByIds(manager, [organisationId]);
    return names.get(organisationId) ?? { id: organisationId, name: '', nameCy: null };
  }

  /**
   * A concern as its page shows it: the same detail as `get` (same access rule, same audit entry),
   * with the names of the subject and of the linked pupils the caller may see. `reasonableCause`: the
   * judgement a DSP just posted, so a form shown again is judged with the answer they gave.
   */
  async getWithNames(
    actor: Actor,
    concernId: string,
    options: { reasonableCause?: ReasonableCause | null } = {},
  ): Promise<ConcernPageDetail> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId);
      const detail = await this.detailOf(manager, actor, concern, options.reasonableCause);
      const ids = [concern.pupilId, ...detail.linkedPupils.map((link) => link.pupilId)];
      const pupils = await this.pupilRecords.byIds(manager, ids);
      const organisation = await this.organisationOf(manager, concern.organisationId);
      await this.audit.record(
        manager,
        actor,
        'concern.viewed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId },
      );
      const subject = pupils.get(concern.pupilId)!;
      return {
        ...detail,
        organisation,
        pupil: {
          id: subject.id,
          upn: subject.upn,
          firstName: subject.firstName,
          lastName: subject.lastName,
          dateOfBirth: subject.dateOfBirth,
          yearGroup: subject.yearGroup,
        },
        linkedPupils: detail.linkedPupils.map((link) => ({
          ...link,
          firstName: pupils.get(link.pupilId)?.firstName ?? '',
          lastName: pupils.get(link.pupilId)?.lastName ?? '',
        })),
      };
    });
  }

  /**
   * One page of the concerns the caller recorded at their organisation, newest first, with their
   * status (a member of staff's dashboard), with the true total.
   */
  async listRecordedBy(actor: Actor, options: ListOptions = {}): Promise<ConcernListPage> {
    this.accessPolicy.require(actor, 'concern.record');
    const { page, pageSize } = pagingOf(options);
    return this.unitOfWork.read(async (manager) => {
      const matching = () =>
        this.accessPolicy.restrictConcerns(
          actor,
          this.states(manager).where(
            'state.organisation_id = :organisationId AND state.recorded_by_user_id = :userId',
            { userId: actor.userId, organisationId: actor.organisationId },
          ),
          'state',
        );
      const listed = await this.pageOf(manager, matching, page, pageSize, (qb) =>
        qb.orderBy('state.recorded_at', 'DESC').addOrderBy('state.concern_id', 'DESC'),
      );
      if (options.audited !== false) {
        await this.audit.record(
          manager,
          actor,
          'concern_list.viewed',
          { type: 'organisation', id: actor.organisationId },
          { recordedBy: actor.userId, page, concernIds: listed.items.map((c) => c.id) },
        );
      }
      return listed;
    });
  }

  async guidanceForConcern(actor: Actor, concernId: string): Promise<Guidance> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId);
      await this.audit.record(
        manager,
        actor,
        'concern.viewed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, part: 'guidance' },
      );
      return this.guidanceFor(manager, concern, actor);
    });
  }

  /**
   * A DSP's decision: rationale always required; appended, never replacing the earlier ones. Judged
   * against the guidance with the DSP's threshold judgement (the one posted, else the concern's latest):
   * below a level-4/0 guidance, or below MASH after "yes", it needs `reasonForRoute` (422 otherwise) and
   * is kept `belowGuidance`. Going up is never flagged. The same outcome and rationale again within a
   * minute answers the decision already made (a double click is not two decisions).
   * `request`: the idempotency key (a page form's one-use token); a repeat answers the first answer.
   */
  async decide(
    actor: Actor,
    concernId: string,
    dto: RecordDecisionDto,
    request?: IdempotentRequest,
  ): Promise<DecisionResponse> {
    return this.appendToOpenConcern(actor, concernId, request, async (manager, concern) => {
      const decidedAt = new Date();
      // A double click repeats the CURRENT decision exactly: only the latest one counts, and only when
      // every answer is the same (a changed judgement or a move back to MASH is a new decision).
      const latest = await manager
        .getRepository(ConcernDecision)
        .createQueryBuilder('decision')
        .where('decision.concern_id = :concernId', { concernId: concern.id })
        .orderBy('decision.decided_at', 'DESC')
        .addOrderBy('decision.id', 'DESC')
        .getOne();
      if (
        latest &&
        latest.decidedAt.getTime() >= decidedAt.getTime() - REPEAT_WINDOW_MS &&
        latest.outcome === dto.outcome &&
        latest.rationale === dto.rationale &&
        latest.reasonableCause === (dto.reasonableCause ?? null) &&
        (latest.reasonForRoute ?? '') === (dto.reasonForRoute?.trim() ? dto.reasonForRoute : '')
      )
        return toDecisionResponse(latest);

      const reasonableCause = dto.reasonableCause ?? (await this.latestReasonableCause(manager, concern.id));
      const guidance = await this.guidanceFor(manager, concern, actor, reasonableCause);
      const belowGuidance = isBelowGuidance(dto.outcome, guidance, reasonableCause);
      const reasonForRoute = dto.reasonForRoute?.trim() ? dto.reasonForRoute : null;
      if (
        needsReasonForRoute(dto.outcome, guidance, reasonableCause) &&
        (reasonForRoute ?? '').trim().length < MIN_DECISION_REASON_FOR_ROUTE
      )
        throw new ConcernRuleError(ConcernError.ReasonRequiredBelowGuidance);
      const decision: ConcernDecision = {
        id: newId(),
        concernId: concern.id,
        outcome: dto.outcome,
        rationale: dto.rationale,
        reasonableCause: dto.reasonableCause ?? null,
        reasonForRoute,
        belowGuidance,
        guidanceLevel: guidance.level,
        guidanceRoute: guidance.route,
        phonedAt: dto.phonedAt ? new Date(dto.phonedAt) : null,
        ...recordedBy('decidedBy', actor),
        decidedAt,
      };
      await manager.getRepository(ConcernDecision).insert(decision);
      await this.concernStates.changed(manager, concern.id);
      await this.audit.record(
        manager,
        actor,
        'concern.decided',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, outcome: dto.outcome, belowGuidance },
      );
      await this.referralBalance.decisionRecorded(manager, decision);
      return toDecisionResponse(decision);
    });
  }

  /** The concern's threshold judgement: the latest answered `reasonableCause` of its decisions (DOMAIN.md). */
  private async latestReasonableCause(manager: EntityManager, concernId: string): Promise<ReasonableCause | null> {
    const latest = await manager
      .getRepository(ConcernDecision)
      .createQueryBuilder('decision')
      .select(['decision.id', 'decision.reasonableCause'])
      .where('decision.concern_id = :concernId AND decision.reasonable_cause IS NOT NULL', { concernId })
      .orderBy('decision.decided_at', 'DESC')
      .addOrderBy('decision.id', 'DESC')
      .getOne();
    return latest?.reasonableCause ?? null;
  }

  async close(
    actor: Actor,
    concernId: string,
    dto: CloseConcernDto,
    request?: IdempotentRequest,
  ): Promise<ConcernDetailResponse['closure'] & { concernId: string; status: 'closed' }> {
    return this.appendToOpenConcern(actor, concernId, request, async (manager, concern) => {
      const closure: ConcernClosure = {
        id: newId(),
        concernId: concern.id,
        rationale: dto.rationale,
        ...recordedBy('closedBy', actor),
        closedAt: new Date(),
      };
      await manager.getRepository(ConcernClosure).insert(closure);
      await this.concernStates.changed(manager, concern.id);
      await this.audit.record(
        manager,
        actor,
        'concern.closed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId },
      );
      return { concernId: concern.id, status: 'closed' as const, ...toClosureResponse(closure)! };
    });
  }

  /**
   * The steps a decision and a closure share: in one transaction (claiming the request's idempotency
   * key, if any), the concern locked (404 if not visible), the triage permission, the concern owned by
   * the caller's organisation, still open; then `append` writes the record and its audit entry.
   */
  private appendToOpenConcern<T>(
    actor: Actor,
    concernId: string,
    request: IdempotentRequest | undefined,
    append: (manager: EntityManager, concern: Concern) => Promise<T>,
  ): Promise<T> {
    return this.creations.run(actor, request, async (manager): Promise<Created<T>> => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId, { forUpdate: true });
      this.accessPolicy.require(actor, 'concern.triage');
      this.accessPolicy.assertOwnsConcern(actor, concern);
      await this.assertNotClosed(manager, concern);
      return {
        answer: await append(manager, concern),
        subject: { type: 'concern', id: concern.id, pupilId: concern.pupilId },
      };
    });
  }

  /** For referrals (escalations/concerns-to-refer.ts): the concern, visible to the actor, locked until commit. */
  lockVisible(manager: EntityManager, actor: Actor, concernId: string): Promise<Concern> {
    return this.concernRecords.findVisible(manager, actor, concernId, { forUpdate: true });
  }

  async assertNotClosed(manager: EntityManager, concern: ConcernToRefer): Promise<void> {
    if (await manager.getRepository(ConcernClosure).exists({ where: { concernId: concern.id } })) {
      throw new ConcernRuleError(ConcernError.AlreadyClosed);
    }
  }

  /**
   * The guidance for the concern as the actor reads it. `reasonableCause`: the threshold judgement to
   * evaluate with; when not given, the concern's own (its latest answered one) for those who see the
   * DSP's working, and not answered for anyone else (a member of staff does not learn the DSP's judgement).
   */
  async guidanceFor(
    manager: EntityManager,
    concern: ConcernToRefer,
    actor: Actor,
    reasonableCause?: ReasonableCause | null,
  ): Promise<Guidance> {
    const judgement = reasonableCause !== undefined ? reasonableCause : await this.judgementOf(manager, concern, actor);
    return this.guidance.evaluate(manager, actor, {
      ...this.guidanceSubject(concern, actor),
      reasonableCause: judgement,
    });
  }

  private guidanceSubject(concern: ConcernToRefer, actor: Actor): Omit<GuidanceSubject, 'reasonableCause'> {
    return {
      category: concern.category,
      issues: concern.issues,
      indicators: concern.indicators,
      occurredAt: concern.occurredAt,
      pupilId: concern.pupilId,
      concernId: concern.id,
      localAuthorityId: actor.localAuthorityId,
    };
  }

  private async detailOf(
    manager: EntityManager,
    actor: Actor,
    concern: Concern,
    reasonableCause?: ReasonableCause | null,
  ): Promise<ConcernDetailResponse> {
    const [links, allDecisions, recordedClosure, escalations] = await inSequence([
      () => manager.getRepository(ConcernLinkedPupil).find({ where: { concernId: concern.id } }),
      () =>
        manager
          .getRepository(ConcernDecision)
          .find({ where: { concernId: concern.id }, order: { decidedAt: 'ASC', id: 'ASC' } }),
      () => manager.getRepository(ConcernClosure).findOne({ where: { concernId: concern.id } }),
      () =>
        this.accessPolicy
          .restrictEscalations(
            actor,
            manager
              .getRepository(Escalation)
              .createQueryBuilder('escalation')
              .where('escalation.concern_id = :id', { id: concern.id }),
            'escalation',
          )
          .orderBy('escalation.sentAt', 'ASC')
          .getMany(),
    ]);
    // A school that transferred the pupil reads another organisation's concern as it stood at the receipt.
    const cutOff = await this.accessPolicy.recordsCutOff(actor, concern, manager);
    const madeBy = (at: Date) => cutOff === null || at.getTime() <= cutOff.getTime();
    const decisions = allDecisions.filter((decision) => madeBy(decision.decidedAt));
    const closure = recordedClosure && madeBy(recordedClosure.closedAt) ? recordedClosure : null;
    const allAmendments = await amendmentsOf(manager, concern.id);
    // ...and its fields as corrected by then, not by corrections made after it.
    const shown = cutOff === null ? concern : asItStoodAt(concern, allAmendments, cutOff);
    const visibleLinks = await this.accessPolicy.visiblePupilIds(
      actor,
      links.map((l) => l.pupilId),
      manager,
    );
    const seesTriage = this.seesTriage(actor);
    // The receiving team never reads how a referral stood against the guidance (API.md), here as in its inbox.
    const receives = this.accessPolicy.may(actor, 'escalation.receive');
    const status = concernStatus({
      closed: closure !== null,
      decided: decisions.length > 0,
      // Asked only when it decides the answer, as before (one query fewer for a closed or decided concern).
      referred:
        closure === null &&
        decisions.length === 0 &&
        (await manager.getRepository(Escalation).exists({ where: { concernId: concern.id } })),
    });
    return {
      ...toConcernResponse(
        shown,
        status,
        links.filter((l) => visibleLinks.has(l.pupilId)),
      ),
      // Staff who recorded a concern see it and its status; the DSP's working stays with DSPs, heads and the receiving team.
      decisions: seesTriage ? decisions.map(toDecisionResponse) : [],
      escalations: seesTriage
        ? (await this.escalationState.withState(manager, escalations))
            .map(toEscalationResponse)
            .map((escalation) => (receives ? withoutGuidance(escalation) : escalation))
        : [],
      closure: seesTriage ? toClosureResponse(closure) : null,
      actions: seesTriage ? await this.actionRecords.forConcern(manager, concern.id, cutOff) : [],
      guidance: await this.guidanceFor(
        manager,
        shown,
        actor,
        reasonableCause !== undefined && seesTriage ? reasonableCause : concernJudgement(decisions, seesTriage),
      ),
      amendments: allAmendments.filter((amendment) => madeBy(amendment.amendedAt)).map(toAmendmentResponse),
      attachments: await attachmentsOf(manager, concern.id, cutOff),
    };
  }

  /** The concern's threshold judgement as the actor may know it: null for anyone who does not see the DSP's working. */
  async judgementOf(manager: EntityManager, concern: ConcernToRefer, actor: Actor): Promise<ReasonableCause | null> {
    return this.seesTriage(actor) ? this.latestReasonableCause(manager, concern.id) : null;
  }

  /** Sees the DSP's working (decisions, referrals, the threshold judgement): DSPs, heads and the receiving team. */
  private seesTriage(actor: Actor): boolean {
    return this.accessPolicy.may(actor, 'concern.read_all') || this.accessPolicy.may(actor, 'escalation.receive');
  }

  /** Linked pupils must exist, be visible to the recorder and not be the subject; an unusable id looks unknown. */
  private async assertLinkedPupilsUsable(
    actor: Actor,
    manager: EntityManager,
    subjectId: string,
    pupilIds: string[],
  ): Promise<void> {
    if (pupilIds.length === 0) return;
    const visible = await this.accessPolicy.visiblePupilIds(actor, pupilIds, manager);
    const errors: Record<string, string[]> = {};
    const seen = new Set<string>();
    pupilIds.forEach((id, index) => {
      if (id === subjectId)
        errors[`linkedPupils.${index}.pupilId`] = ['a linked pupil cannot be the subject of the concern'];
      else if (!visible.has(id)) errors[`linkedPupils.${index}.pupilId`] = ['no pupil with this id on your roll'];
      else if (seen.has(id)) errors[`linkedPupils.${index}.pupilId`] = ['this pupil is already linked'];
      seen.add(id);
    });
    if (Object.keys(errors).length) throw new InvalidInputError(errors);
  }
}

/** A referral as the receiving team reads it: without the guidance's level, route, and below/above flags. */
function withoutGuidance<T extends object>(escalation: T): T {
  const shown = { ...escalation } as Record<string, unknown>;
  for (const key of ['recommendedLevel', 'recommendedRoute', 'againstRecommendation', 'aboveGuidance'])
    delete shown[key];
  return shown as T;
}
