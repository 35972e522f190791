import { Injectable } from '@nestjs/common';
import { inSequence } from '../common/in-sequence';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { NotFoundError } from '../common/domain-error';
import { InboxError, InboxRuleError } from './inbox-errors';
import { newId } from '../common/ids';
import { recordedBy } from '../common/recorded-by';
import { UnitOfWork } from '../database/unit-of-work';
import { ConcernRepository } from '../dsp/concerns/concern.repository';
import { AmendmentResponse, amendmentsOf, toAmendmentResponse } from '../dsp/concerns/concern-amendments.service';
import { asItStoodAt } from '../dsp/concerns/concern-current';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { EscalationStateReader } from '../dsp/escalations/escalation-state';
import { ReceivedEscalationResponse, toReceivedEscalationResponse } from '../dsp/escalations/escalation.mapper';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { EscalationRepository, SentPage } from '../dsp/escalations/escalation.repository';
import { ReferralClock } from '../dsp/escalations/referral-clock';
import { ReferralNotifications } from '../dsp/escalations/referral-notifications';
import { OrganisationsService } from '../organisations/organisations.service';
import { PupilRepository } from '../school/pupil.repository';
import { EscalationOutcome } from '../dsp/escalations/escalation-outcome.entity';
import { IdempotentCreations, IdempotentRequest } from '../dsp/submissions/idempotency';
import { ESCALATION_STATUSES, INBOX_PAGE_SIZE, OUTCOMES_BY_ROUTE, RecordOutcomeDto } from './inbox.dto';

export interface InboxItem {
  id: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  /** The concern's category (DOMAIN.md code). */
  category: string;
  /** An emergency: the concern was at level 0 when sent, or carries an emergency indicator (a fact, not advice). */
  emergency: boolean;
  /** The concern's risk indicators (codes), so a suicide-risk referral stands out. */
  indicators: string[];
  /** Created by a MASH redirect to early help. */
  redirectedFromMash: boolean;
  pupil: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  /** The sending school or PRU, with its Welsh name when it has one (pages show the reader's). */
  organisation: { id: string; name: string; nameCy: string | null };
}

/** One page of the inbox: `total` is every referral the filter matches, `overdueTotal` those overdue. */
export interface InboxPage {
  items: InboxItem[];
  page: number;
  pageSize: number;
  total: number;
  overdueTotal: number;
}

/** The receiving team's view of one referral: everything the DSP sent, nothing about the guidance. */
export interface InboxReferral extends ReceivedEscalationResponse {
  pupil: {
    id: string;
    upn: string;
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    yearGroup: number;
    homeLanguage: string;
    flags: string[];
    /** The `welsh_speaker` flag, said outright (DOMAIN.md: whether the child speaks Welsh). */
    speaksWelsh: boolean;
  };
  /** The sending school or PRU, with its Welsh name when it has one (pages show the reader's). */
  organisation: { id: string; name: string; nameCy: string | null };
  emergency: boolean;
  concern: {
    id: string;
    category: string;
    issues: string[];
    indicators: string[];
    occurredAt: string;
    summary: string;
    childsWords: string | null;
    childsWordsLanguage: string | null;
    childsWordsLanguageName: string | null;
    actionTaken: string | null;
    bodyMap: Array<{ view: string; x: number; y: number; note: string | null }>;
    /**
     * The fields above are the concern as it stood when the referral was sent (what the team was
     * sent); these are its corrections since (by a DSP: its recorder may not correct it once a DSP has
     * acted), oldest first, so the team sees both and nothing changes under them unannounced.
     */
    correctedSinceSent: AmendmentResponse[];
  };
  /** The DSP's decision current when the referral was sent (its rationale), or null when there was none. */
  decision: {
    outcome: string;
    rationale: string;
    reasonableCause: string | null;
    at: string;
    by: { name: string; role: string };
  } | null;
  /** The threshold judgement: the referral's, else the decision's; null when never answered. */
  reasonableCause: string | null;
  /** For an early-help referral MASH created: the MASH officer's note and who redirected it. */
  redirect: { note: string; at: string; by: { name: string; role: string } } | null;
}

/** A referral as what an idempotent answer is about (its replay is audited as a view of it). */
const subjectOf = (escalation: Escalation) => ({
  type: 'escalation' as const,
  id: escalation.id,
  pupilId: escalation.pupilId,
});

/**
 * The local authority's side: MASH and early-help inboxes, acknowledgements and outcomes.
 * Each team sees only the referrals sent to it; a MASH redirect to early help creates the early-help
 * referral from the MASH one, with nothing re-typed.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly escalationState: EscalationStateReader,
    private readonly escalationRecords: EscalationRepository,
    private readonly concernRecords: ConcernRepository,
    private readonly pupilRecords: PupilRepository,
    private readonly organisations: OrganisationsService,
    private readonly referralClock: ReferralClock,
    private readonly creations: IdempotentCreations,
    private readonly referralNotifications: ReferralNotifications,
  ) {}

  /**
   * The team's true counts for the dashboard, by COUNT over the stored states (never a list's length):
   * still to decide, of those not yet acknowledged, and overdue. Counts name no child: not audited.
   */
  async counts(actor: Actor): Promise<{ undecided: number; sent: number; overdue: number }> {
    this.accessPolicy.require(actor, 'escalation.receive');
    return this.unitOfWork.read((manager) => this.escalationRecords.receivedCounts(manager, actor, new Date()));
  }

  /**
   * One page of the team's referrals in the inbox's order (still to decide, oldest first, then decided
   * ones, most recently sent first), with the true total and how many are overdue (API.md, Paging):
   * every referral is reachable, none silently cut. A fixed number of queries whatever the inbox holds.
   */
  async page(
    actor: Actor,
    options: { status?: (typeof ESCALATION_STATUSES)[number]; page?: number; pageSize?: number } = {},
  ): Promise<InboxPage> {
    this.accessPolicy.require(actor, 'escalation.receive');
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? INBOX_PAGE_SIZE.default;
    return this.unitOfWork.read(async (manager) => {
      const { total, overdue, ...listed } = await this.escalationRecords.pageReceived(manager, actor, {
        status: options.status,
        page,
        pageSize,
        now: new Date(),
      });
      const items = await this.itemsOf(manager, actor, listed, { status: options.status ?? null, page });
      return { items, page, pageSize, total, overdueTotal: overdue };
    });
  }

  /** Inbox rows for referrals already in order (a page's overdue ones moved to its top), audited as one list view. */
  private async itemsOf(
    manager: EntityManager,
    actor: Actor,
    // The page's referrals with their acknowledgements, outcomes and pupils, read with the page.
    { escalations, withState, pupils }: Pick<SentPage, 'escalations' | 'withState' | 'pupils'>,
    auditDetail: Record<string, unknown>,
    audited = true,
  ): Promise<InboxItem[]> {
    const organisations = await this.organisations.namesByIds(manager, [
      ...new Set(escalations.map((e) => e.organisationId)),
    ]);
    const concerns = await this.concernRecords.byIds(
      manager,
      escalations.map((e) => e.concernId),
    );
    if (audited) {
      await this.audit.record(
        manager,
        actor,
        'escalation_list.viewed',
        { type: 'organisation', id: actor.organisationId },
        { ...auditDetail, escalationIds: escalations.map((e) => e.id) },
      );
    }
    const items = withState.map(({ escalation: e, status: s, overdue }): InboxItem => {
      const pupil = pupils.get(e.pupilId)!;
      const concern = concerns.get(e.concernId);
      const indicators = concern?.indicators ?? [];
      return {
        id: e.id,
        route: e.route,
        status: s,
        sentAt: e.sentAt.toISOString(),
        dueBy: e.dueBy.toISOString(),
        overdue,
        category: concern?.category ?? '',
        emergency: isEmergency(e, indicators),
        indicators,
        redirectedFromMash: e.redirectedFromId !== null,
        pupil: { id: pupil.id, firstName: pupil.firstName, lastName: pupil.lastName, dateOfBirth: pupil.dateOfBirth },
        organisation: {
          id: e.organisationId,
          name: organisations.get(e.organisationId)?.name ?? '',
          nameCy: organisations.get(e.organisationId)?.nameCy ?? null,
        },
      };
    });
    return [...items.filter((i) => i.overdue), ...items.filter((i) => !i.overdue)];
  }

  /** One referral as the receiving team reads it: the referral, the pupil and the concern it is about. */
  async get(actor: Actor, escalationId: string): Promise<InboxReferral> {
    // The inbox view is the receiving team's; the sending school reads the referral at /api/escalations/:id.
    if (!this.accessPolicy.may(actor, 'escalation.receive')) throw new NotFoundError('Referral');
    return this.unitOfWork.read(async (manager) => {
      const escalation = await this.escalationRecords.findVisible(manager, actor, escalationId);
      const detail = await this.detailOf(manager, escalation);
      await this.audit.record(
        manager,
        actor,
        'escalation.viewed',
        { type: 'escalation', id: escalation.id },
        { pupilId: escalation.pupilId },
      );
      return detail;
    });
  }

  /** `request`: the idempotency key (a page form's one-use token); a repeat answers the first answer. */
  async acknowledge(
    actor: Actor,
    escalationId: string,
    request?: IdempotentRequest,
  ): Promise<ReceivedEscalationResponse> {
    return this.creations.run(actor, request, async (manager) => {
      const escalation = await this.receivable(actor, escalationId, manager);
      const [state] = await this.escalationState.withState(manager, [escalation]);
      if (state.status !== 'sent') throw new InboxRuleError(InboxError.AlreadyAcknowledged, { status: state.status });
      await this.insertAcknowledgement(manager, actor, escalation);
      const [after] = await this.escalationState.withState(manager, [escalation]);
      return { answer: toReceivedEscalationResponse(after), subject: subjectOf(escalation) };
    });
  }

  /**
   * Records the team's decision. An outcome on a referral nobody acknowledged acknowledges it too.
   * A MASH `redirect_early_help` creates the early-help referral for the early-help team, copied from
   * the MASH one (the early-help team seeks consent itself).
   */
  async recordOutcome(
    actor: Actor,
    escalationId: string,
    dto: RecordOutcomeDto,
    request?: IdempotentRequest,
  ): Promise<ReceivedEscalationResponse> {
    return this.creations.run(actor, request, async (manager) => {
      const escalation = await this.receivable(actor, escalationId, manager);
      const allowed = OUTCOMES_BY_ROUTE[escalation.route] ?? [];
      if (!allowed.includes(dto.outcome)) {
        throw new InboxRuleError(InboxError.OutcomeNotForRoute, {
          outcome: dto.outcome,
          route: escalation.route,
          allowed,
        });
      }
      const [state] = await this.escalationState.withState(manager, [escalation]);
      if (state.status === 'decided') throw new InboxRuleError(InboxError.AlreadyDecided);
      if (state.status === 'sent') await this.insertAcknowledgement(manager, actor, escalation);

      let earlyHelpEscalationId: string | null = null;
      if (escalation.route === 'mash' && dto.outcome === 'redirect_early_help') {
        earlyHelpEscalationId = await this.redirectToEarlyHelp(manager, actor, escalation);
      }
      const outcome: EscalationOutcome = {
        id: newId(),
        escalationId: escalation.id,
        outcome: dto.outcome,
        note: dto.note,
        earlyHelpEscalationId,
        ...recordedBy('decidedBy', actor),
        decidedAt: new Date(),
      };
      await this.escalationRecords.append(manager, { outcomes: [outcome] });
      // The sending DSPs are told the outcome (an acknowledgement made with it told them already).
      await this.referralNotifications.answered(manager, escalation, dto.outcome);
      await this.audit.record(
        manager,
        actor,
        'escalation.outcome_recorded',
        { type: 'escalation', id: escalation.id },
        { pupilId: escalation.pupilId, outcome: dto.outcome },
      );
      const [after] = await this.escalationState.withState(manager, [escalation]);
      return { answer: toReceivedEscalationResponse(after), subject: subjectOf(escalation) };
    });
  }

  /** Only the receiving team may act; AccessPolicy already shows a team nothing but its own route's referrals. */
  private async receivable(actor: Actor, escalationId: string, manager: EntityManager): Promise<Escalation> {
    // Locked until commit: a second acknowledgement or outcome waits, then sees the first (422, not a 500).
    const escalation = await this.escalationRecords.findVisible(manager, actor, escalationId, { forUpdate: true });
    this.accessPolicy.require(actor, 'escalation.receive');
    return escalation;
  }

  private async insertAcknowledgement(manager: EntityManager, actor: Actor, escalation: Escalation): Promise<void> {
    await this.escalationRecords.append(manager, {
      acknowledgements: [
        {
          id: newId(),
          escalationId: escalation.id,
          ...recordedBy('acknowledgedBy', actor),
          acknowledgedAt: new Date(),
        },
      ],
    });
    await this.referralNotifications.answered(manager, escalation, null);
    await this.audit.record(
      manager,
      actor,
      'escalation.acknowledged',
      { type: 'escalation', id: escalation.id },
      { pupilId: escalation.pupilId },
    );
  }

  private async redirectToEarlyHelp(manager: EntityManager, actor: Actor, mash: Escalation): Promise<string> {
    const sentAt = new Date();
    const earlyHelp: Escalation = {
      ...mash,
      id: newId(),
      route: 'early_help',
      reasonForRoute: null,
      // MASH's own routing decision: neither below nor above anything the school was shown.
      againstRecommendation: false,
      aboveGuidance: false,
      dspUnavailable: false,
      ...recordedBy('sentBy', actor),
      sentAt,
      dueBy: await this.referralClock.dueBy(manager, mash.localAuthorityId, { route: 'early_help', sentAt }),
      redirectedFromId: mash.id,
    };
    await this.escalationRecords.append(manager, { escalations: [earlyHelp] });
    const concern = await this.concernRecords.byId(manager, mash.concernId);
    await this.referralNotifications.received(manager, earlyHelp, isEmergency(earlyHelp, concern?.indicators ?? []));
    await this.audit.record(
      manager,
      actor,
      'escalation.sent',
      { type: 'escalation', id: earlyHelp.id },
      { concernId: mash.concernId, pupilId: mash.pupilId, route: 'early_help', redirectedFromId: mash.id },
    );
    return earlyHelp.id;
  }

  private async detailOf(manager: EntityManager, escalation: Escalation): Promise<InboxReferral> {
    const [[withState], pupil, organisations, current, decision, redirectOutcome, amendments] = await inSequence([
      () => this.escalationState.withState(manager, [escalation]),
      () => this.pupilRecords.profileById(manager, escalation.pupilId),
      () => this.organisations.namesByIds(manager, [escalation.organisationId]),
      () => this.concernRecords.byId(manager, escalation.concernId),
      () => this.concernRecords.latestDecisionAt(manager, escalation.concernId, escalation.sentAt),
      () =>
        escalation.redirectedFromId
          ? this.escalationRecords.outcomeOf(manager, escalation.redirectedFromId)
          : Promise.resolve(null),
      () => amendmentsOf(manager, escalation.concernId),
    ]);
    const concern = asItStoodAt(current, amendments, escalation.sentAt);
    const correctedSinceSent = amendments
      .filter((amendment) => amendment.amendedAt.getTime() > escalation.sentAt.getTime())
      .map(toAmendmentResponse);
    const organisation = organisations.get(escalation.organisationId)!;
    const received = toReceivedEscalationResponse(withState);
    return {
      ...received,
      reasonableCause: escalation.reasonableCause ?? decision?.reasonableCause ?? null,
      pupil: {
        id: pupil.id,
        upn: pupil.upn,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
        dateOfBirth: pupil.dateOfBirth,
        yearGroup: pupil.yearGroup,
        homeLanguage: pupil.homeLanguage,
        flags: pupil.flags,
        speaksWelsh: pupil.flags.includes('welsh_speaker'),
      },
      organisation: { id: organisation.id, name: organisation.name, nameCy: organisation.nameCy },
      emergency: isEmergency(escalation, concern.indicators),
      concern: {
        id: concern.id,
        category: concern.category,
        issues: concern.issues,
        indicators: concern.indicators,
        occurredAt: concern.occurredAt.toISOString(),
        summary: concern.summary,
        childsWords: concern.childsWords,
        childsWordsLanguage: concern.childsWordsLanguage,
        childsWordsLanguageName: concern.childsWordsLanguageName,
        actionTaken: concern.actionTaken,
        bodyMap: (concern.bodyMap ?? []).map((mark) => ({
          view: mark.view,
          x: mark.x,
          y: mark.y,
          note: mark.note ?? null,
        })),
        correctedSinceSent,
      },
      decision: decision
        ? {
            outcome: decision.outcome,
            rationale: decision.rationale,
            reasonableCause: decision.reasonableCause,
            at: decision.decidedAt.toISOString(),
            by: { name: decision.decidedByName, role: decision.decidedByRole },
          }
        : null,
      redirect: redirectOutcome
        ? {
            note: redirectOutcome.note,
            at: redirectOutcome.decidedAt.toISOString(),
            by: { name: redirectOutcome.decidedByName, role: redirectOutcome.decidedByRole },
          }
        : null,
    };
  }
}

/**
 * An emergency is a fact about the concern, not advice: it was at level 0 when sent (an emergency
 * indicator was ticked), or it carries one now.
 */
function isEmergency(escalation: Escalation, indicators: readonly string[]): boolean {
  return (
    escalation.recommendedLevel === 0 ||
    indicators.some((code) => (EMERGENCY_INDICATORS as readonly string[]).includes(code))
  );
}
