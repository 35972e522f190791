import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { WorkingDayCalendar } from '../../calendar/working-days';
import { Actor } from '../../common/actor';
import { EscalationError, EscalationRuleError } from './escalation-errors';
import { brokenEscalationRules } from './escalation-rules';
import { newId } from '../../common/ids';
import { recordedBy } from '../../common/recorded-by';
import { UnitOfWork } from '../../database/unit-of-work';
import { isAboveGuidance, isBelowGuidance } from '../../guidance/guidance-engine';
import { CONCERNS_TO_REFER, ConcernsToRefer } from './concerns-to-refer';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { Escalation } from './escalation.entity';
import { EscalationStateReader, stateOf } from './escalation-state';
import {
  EscalationResponse,
  ReceivedEscalationResponse,
  toEscalationResponse,
  toReceivedEscalationResponse,
} from './escalation.mapper';
import { EscalationRepository } from './escalation.repository';
import { ReferralStatusSql } from './referral-status';
import { ReferralClock } from './referral-clock';
import { isEmergencyReferral, ReferralNotifications } from './referral-notifications';
import { IdempotentCreations, IdempotentRequest } from '../submissions/idempotency';
import { PAGE_SIZE } from '../../common/paging';

/** DOMAIN.md: the school is prompted to chase a referral nobody has acknowledged after this many working days. */
export const CHASE_AFTER_WORKING_DAYS = 7;

/** The routes a member of staff may report to themselves when no DSP can be reached. */
export const STAFF_ROUTES = ['mash', 'police'] as const;

/** A referral as the sending school's lists show it. */
export interface SentReferralItem {
  id: string;
  concernId: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  /** Not decided and past the local authority's one-working-day deadline. */
  overdue: boolean;
  /** Not even acknowledged after 7 working days: time to chase. */
  chase: boolean;
  againstRecommendation: boolean;
  pupil: { id: string; firstName: string; lastName: string };
}

/** The school's sent referrals: `pageSize` 1 to 200, 50 unless asked (API.md, Paging). */
export const SENT_REFERRALS_PAGE_SIZE = PAGE_SIZE;

/** One page of the school's sent referrals: `total` every one the filter matches, `overdueTotal` those overdue. */
export interface SentReferralPage {
  items: SentReferralItem[];
  page: number;
  pageSize: number;
  total: number;
  overdueTotal: number;
}

/**
 * Referrals from a DSP. Never blocked: going below the guidance only needs a reason, which is
 * recorded with `againstRecommendation`. Consent rules are Wales's: early help needs consent (and
 * who gave it); MASH without consent sought needs the reason why.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    @Inject(CONCERNS_TO_REFER) private readonly concerns: ConcernsToRefer,
    private readonly calendar: WorkingDayCalendar,
    private readonly escalationState: EscalationStateReader,
    private readonly escalationRecords: EscalationRepository,
    private readonly referralClock: ReferralClock,
    private readonly creations: IdempotentCreations,
    private readonly referralNotifications: ReferralNotifications,
  ) {}

  /**
   * A referral from the concern. A DSP sends any route; a member of staff (or a head teacher) only with
   * `dspUnavailable: true` and only to MASH or the police (403 without it, 422 `route` otherwise).
   * Below the guidance needs a reason and is kept `againstRecommendation`; above it is kept
   * `aboveGuidance` for the LA's figures and shown nowhere.
   * Only the organisation that recorded the concern refers it (AccessPolicy.assertOwnsConcern).
   * `request`: the idempotency key (a page form's one-use token); a repeat answers the referral already sent.
   */
  async send(
    actor: Actor,
    concernId: string,
    dto: SendEscalationDto,
    request?: IdempotentRequest,
  ): Promise<EscalationResponse> {
    return this.creations.run(actor, request, async (manager) => {
      const concern = await this.concerns.lockVisible(manager, actor, concernId);
      const dspUnavailable = this.assertMaySend(actor, dto);
      this.accessPolicy.assertOwnsConcern(actor, concern);
      await this.concerns.assertNotClosed(manager, concern);
      await this.assertNoOpenReferral(manager, concern.id, dto.route);
      // The judgement sent with the referral, else the concern's (its latest decision's answer). The
      // threshold judgement is the DSP's alone: a staff member reporting because no DSP could be reached
      // sends none, whatever the request says, so it can neither lower the recorded guidance nor be shown
      // to MASH as the DSP's.
      const sentJudgement = dspUnavailable ? null : (dto.reasonableCause ?? null);
      const judgement = sentJudgement ?? (await this.concerns.judgementOf(manager, concern, actor));
      const guidance = await this.concerns.guidanceFor(manager, concern, actor, judgement);
      const againstRecommendation = isBelowGuidance(dto.route, guidance, judgement);
      assertEscalationRules(dto, againstRecommendation);

      const sentAt = new Date();
      const escalation: Escalation = {
        id: newId(),
        concernId: concern.id,
        pupilId: concern.pupilId,
        organisationId: actor.organisationId,
        localAuthorityId: actor.localAuthorityId,
        route: dto.route,
        reasonForRoute: dto.reasonForRoute ?? null,
        againstRecommendation,
        aboveGuidance: isAboveGuidance(dto.route, guidance),
        reasonableCause: sentJudgement,
        dspUnavailable,
        recommendedLevel: guidance.level,
        recommendedRoute: guidance.route,
        consent: {
          sought: dto.consent.sought,
          given: dto.consent.given ?? null,
          givenBy: dto.consent.givenBy ?? null,
          reasonNotSought: dto.consent.reasonNotSought ?? null,
        },
        referral: dto.referral ?? {},
        ...recordedBy('sentBy', actor),
        sentAt,
        dueBy: await this.referralClock.dueBy(manager, actor.localAuthorityId, {
          route: dto.route,
          sentAt,
          phonedAt: dto.referral?.phonedAt,
        }),
        redirectedFromId: null,
      };
      await this.escalationRecords.append(manager, { escalations: [escalation] });
      // The receiving team is told in this transaction (nothing if it rolls back); no child is named.
      await this.referralNotifications.received(
        manager,
        escalation,
        isEmergencyReferral(escalation, concern.indicators),
      );
      await this.audit.record(
        manager,
        actor,
        'escalation.sent',
        { type: 'escalation', id: escalation.id },
        { concernId: concern.id, pupilId: concern.pupilId, route: dto.route, dspUnavailable },
      );
      return {
        answer: toEscalationResponse(stateOf(escalation, null, null)),
        subject: { type: 'escalation' as const, id: escalation.id, pupilId: concern.pupilId },
      };
    });
  }

  /** Refuses (403) a role that may not report without a DSP, before a page checks the staff report form. */
  assertMayReportWithoutDsp(actor: Actor): void {
    this.accessPolicy.require(actor, 'escalation.send_without_dsp');
  }

  /**
   * Who may send: a DSP always (their `dspUnavailable` means nothing: they are the DSP); anyone else
   * who may report without a DSP only with `dspUnavailable: true`, and only to MASH or the police.
   * Answers whether the referral is a staff report made without a DSP.
   */
  private assertMaySend(actor: Actor, dto: SendEscalationDto): boolean {
    if (this.accessPolicy.may(actor, 'escalation.send')) return false;
    if (dto.dspUnavailable !== true) {
      this.accessPolicy.require(actor, 'escalation.send');
      return false;
    }
    this.accessPolicy.require(actor, 'escalation.send_without_dsp');
    if (!(STAFF_ROUTES as readonly string[]).includes(dto.route))
      throw new EscalationRuleError(EscalationError.DspUnavailableRoute);
    return true;
  }

  /**
   * One page of the referrals the caller's organisation sent, oldest first, optionally only those the
   * local authority has not decided yet (DSPs and head teachers), with the true total and how many of
   * them are overdue (API.md, Paging: every referral is on some page). A fixed number of queries; audited.
   */
  async listForOrganisation(
    actor: Actor,
    options: { undecided?: boolean; audited?: boolean; page?: number; pageSize?: number } = {},
  ): Promise<SentReferralPage> {
    this.accessPolicy.require(actor, 'concern.read_all');
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? SENT_REFERRALS_PAGE_SIZE.default;
    return this.unitOfWork.read(async (manager) => {
      const now = new Date();
      // The page with its acknowledgements, outcomes and pupils joined.
      const { escalations, withState, pupils, total, overdue } = await this.escalationRecords.pageSent(manager, actor, {
        undecided: options.undecided,
        page,
        pageSize,
        now,
      });
      // The dashboard's summary passes audited: false (home/dashboard.service.ts says why).
      if (options.audited !== false) {
        await this.audit.record(
          manager,
          actor,
          'escalation_list.viewed',
          { type: 'organisation', id: actor.organisationId },
          { undecided: options.undecided ?? false, page, escalationIds: escalations.map((e) => e.id) },
        );
      }
      const items = withState.map(({ escalation: e, status, overdue: late }) => {
        const pupil = pupils.get(e.pupilId);
        return {
          id: e.id,
          concernId: e.concernId,
          route: e.route,
          status,
          sentAt: e.sentAt.toISOString(),
          dueBy: e.dueBy.toISOString(),
          overdue: late,
          chase: status === 'sent' && this.calendar.workingDaysBetween(e.sentAt, now) >= CHASE_AFTER_WORKING_DAYS,
          againstRecommendation: e.againstRecommendation,
          pupil: { id: e.pupilId, firstName: pupil?.firstName ?? '', lastName: pupil?.lastName ?? '' },
        };
      });
      return { items, page, pageSize, total, overdueTotal: overdue };
    });
  }

  /**
   * One undecided referral per route per concern: a double submit (or two DSPs at once, serialised by
   * the concern's row lock) must not send MASH the same referral twice. Once the team has decided,
   * the DSP may refer again.
   */
  private async assertNoOpenReferral(manager: EntityManager, concernId: string, route: string): Promise<void> {
    const open = await manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.concern_id = :concernId AND escalation.route = :route', { concernId, route })
      .andWhere(`NOT ${ReferralStatusSql.decided('escalation')}`)
      .getExists();
    if (open) throw new EscalationRuleError(EscalationError.OpenReferralOnRoute);
  }

  /**
   * One referral with its local-authority status: for the sender's DSPs and head, or the receiving
   * team, which reads it without the guidance (toReceivedEscalationResponse).
   */
  async get(actor: Actor, escalationId: string): Promise<EscalationResponse | ReceivedEscalationResponse> {
    return this.unitOfWork.read(async (manager) => {
      const escalation = await this.escalationRecords.findVisible(manager, actor, escalationId);
      const [withState] = await this.escalationState.withState(manager, [escalation]);
      await this.audit.record(
        manager,
        actor,
        'escalation.viewed',
        { type: 'escalation', id: escalation.id },
        { pupilId: escalation.pupilId },
      );
      return this.accessPolicy.may(actor, 'escalation.receive')
        ? toReceivedEscalationResponse(withState)
        : toEscalationResponse(withState);
    });
  }
}

/**
 * DOMAIN.md's escalation rules; a broken rule is a 422 naming the first broken rule's field (the API),
 * carrying every broken rule (the page shows them all).
 */
export function assertEscalationRules(dto: SendEscalationDto, againstRecommendation: boolean): void {
  const [first, ...others] = brokenEscalationRules(dto, againstRecommendation);
  if (first) throw new EscalationRuleError(first, others);
}
