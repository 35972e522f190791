import { Injectable } from '@nestjs/common';
import { inSequence } from '../common/in-sequence';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { NotFoundError } from '../common/domain-error';
import { InboxError, InboxRuleError } from './inbox-errors';
import { newId } from '../common/ids';
import { recordedBy } from '../common/recorded-by';
import { UnitOfWork } from '../database/unit-of-work';
import { ConcernRepository } from '../dsp/concerns/concern.repository';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { EscalationStateReader } from '../dsp/escalations/escalation-state';
import { EscalationResponse, toEscalationResponse } from '../dsp/escalations/escalation.mapper';
import { EscalationRepository } from '../dsp/escalations/escalation.repository';
import { OrganisationsService } from '../organisations/organisations.service';
import { PupilRepository } from '../school/pupil.repository';
import { EscalationOutcome } from '../dsp/escalations/escalation-outcome.entity';
import { ESCALATION_STATUSES, OUTCOMES_BY_ROUTE, RecordOutcomeDto } from './inbox.dto';

export interface InboxItem {
  id: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  againstRecommendation: boolean;
  recommendedLevel: number;
  pupil: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  /** The sending school or PRU, with its Welsh name when it has one (pages show the reader's). */
  organisation: { id: string; name: string; nameCy: string | null };
}

export interface InboxReferral extends EscalationResponse {
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string; yearGroup: number };
  /** The sending school or PRU, with its Welsh name when it has one (pages show the reader's). */
  organisation: { id: string; name: string; nameCy: string | null };
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
  };
}

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
    private readonly calendar: WorkingDayCalendar,
    private readonly escalationState: EscalationStateReader,
    private readonly escalationRecords: EscalationRepository,
    private readonly concernRecords: ConcernRepository,
    private readonly pupilRecords: PupilRepository,
    private readonly organisations: OrganisationsService,
  ) {}

  /**
   * The team's referrals in a fixed number of queries: overdue first, then the others still to decide
   * (oldest first), then decided ones (most recent first). The limit keeps the list bounded without
   * ever hiding a referral still to decide behind old decided ones.
   */
  async list(
    actor: Actor,
    status?: (typeof ESCALATION_STATUSES)[number],
    options: { audited?: boolean } = {},
  ): Promise<InboxItem[]> {
    this.accessPolicy.require(actor, 'escalation.receive');
    return this.unitOfWork.run(async (manager) => {
      const escalations = await this.escalationRecords.listReceived(manager, actor, status);
      const withState = await this.escalationState.withState(manager, escalations);
      const { pupils, organisations } = await this.namesFor(manager, escalations);
      // The dashboard counts the inbox with audited: false (home/dashboard.service.ts says why).
      if (options.audited !== false) {
        await this.audit.record(
          manager,
          actor,
          'escalation_list.viewed',
          { type: 'organisation', id: actor.organisationId },
          { status: status ?? null, escalationIds: escalations.map((e) => e.id) },
        );
      }
      const items = withState.map(({ escalation: e, status: s, overdue }) => {
        const pupil = pupils.get(e.pupilId)!;
        return {
          id: e.id,
          route: e.route,
          status: s,
          sentAt: e.sentAt.toISOString(),
          dueBy: e.dueBy.toISOString(),
          overdue,
          againstRecommendation: e.againstRecommendation,
          recommendedLevel: e.recommendedLevel,
          pupil: { id: pupil.id, firstName: pupil.firstName, lastName: pupil.lastName, dateOfBirth: pupil.dateOfBirth },
          organisation: {
            id: e.organisationId,
            name: organisations.get(e.organisationId)?.name ?? '',
            nameCy: organisations.get(e.organisationId)?.nameCy ?? null,
          },
        };
      });
      return [...items.filter((i) => i.overdue), ...items.filter((i) => !i.overdue)];
    });
  }

  /** One referral as the receiving team reads it: the referral, the pupil and the concern it is about. */
  async get(actor: Actor, escalationId: string): Promise<InboxReferral> {
    // The inbox view is the receiving team's; the sending school reads the referral at /api/escalations/:id.
    if (!this.accessPolicy.may(actor, 'escalation.receive')) throw new NotFoundError('Referral');
    return this.unitOfWork.run(async (manager) => {
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

  async acknowledge(actor: Actor, escalationId: string): Promise<EscalationResponse> {
    return this.unitOfWork.run(async (manager) => {
      const escalation = await this.receivable(actor, escalationId, manager);
      const [state] = await this.escalationState.withState(manager, [escalation]);
      if (state.status !== 'sent') throw new InboxRuleError(InboxError.AlreadyAcknowledged, { status: state.status });
      await this.insertAcknowledgement(manager, actor, escalation);
      const [after] = await this.escalationState.withState(manager, [escalation]);
      return toEscalationResponse(after);
    });
  }

  /**
   * Records the team's decision. An outcome on a referral nobody acknowledged acknowledges it too.
   * A MASH `redirect_early_help` creates the early-help referral for the early-help team, copied from
   * the MASH one (the early-help team seeks consent itself).
   */
  async recordOutcome(actor: Actor, escalationId: string, dto: RecordOutcomeDto): Promise<EscalationResponse> {
    return this.unitOfWork.run(async (manager) => {
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
      await this.escalationRecords.insertOutcome(manager, outcome);
      await this.audit.record(
        manager,
        actor,
        'escalation.outcome_recorded',
        { type: 'escalation', id: escalation.id },
        { pupilId: escalation.pupilId, outcome: dto.outcome },
      );
      const [after] = await this.escalationState.withState(manager, [escalation]);
      return toEscalationResponse(after);
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
    await this.escalationRecords.insertAcknowledgement(manager, {
      id: newId(),
      escalationId: escalation.id,
      ...recordedBy('acknowledgedBy', actor),
      acknowledgedAt: new Date(),
    });
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
      againstRecommendation: false,
      ...recordedBy('sentBy', actor),
      sentAt,
      dueBy: this.calendar.addWorkingDays(sentAt, 1),
      redirectedFromId: mash.id,
    };
    await this.escalationRecords.insert(manager, earlyHelp);
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
    const [[withState], pupil, organisations, concern] = await inSequence([
      () => this.escalationState.withState(manager, [escalation]),
      () => this.pupilRecords.byId(manager, escalation.pupilId),
      () => this.organisations.namesByIds(manager, [escalation.organisationId]),
      () => this.concernRecords.byId(manager, escalation.concernId),
    ]);
    const organisation = organisations.get(escalation.organisationId)!;
    return {
      ...toEscalationResponse(withState),
      pupil: {
        id: pupil.id,
        upn: pupil.upn,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
        dateOfBirth: pupil.dateOfBirth,
        yearGroup: pupil.yearGroup,
      },
      organisation: { id: organisation.id, name: organisation.name, nameCy: organisation.nameCy },
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
      },
    };
  }

  private async namesFor(manager: EntityManager, escalations: Escalation[]) {
    const pupils = await this.pupilRecords.byIds(
      manager,
      escalations.map((e) => e.pupilId),
    );
    const organisations = await this.organisations.namesByIds(manager, [
      ...new Set(escalations.map((e) => e.organisationId)),
    ]);
    return { pupils, organisations };
  }
}
