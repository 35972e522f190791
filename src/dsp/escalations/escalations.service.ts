import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { WorkingDayCalendar } from '../../calendar/working-days';
import { Actor } from '../../common/actor';
import { RuleBrokenError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { recordedBy } from '../../common/recorded-by';
import { UnitOfWork } from '../../database/unit-of-work';
import { isAgainstRecommendation } from '../../guidance/guidance-engine';
import { ConcernsService } from '../concerns/concerns.service';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { Escalation, ReferralDetails } from './escalation.entity';
import { EscalationStateReader, stateOf } from './escalation-state';
import { EscalationResponse, toEscalationResponse } from './escalation.mapper';

/** The least a reason for going against the guidance must say (DOMAIN.md). */
export const MIN_REASON_FOR_ROUTE = 20;

/**
 * Referrals from a DSP. Never blocked: going against the guidance only needs a reason, which is
 * recorded with `againstRecommendation`. Consent rules are Wales's: early help needs consent (and
 * who gave it); MASH without consent sought needs the reason why.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly concerns: ConcernsService,
    private readonly calendar: WorkingDayCalendar,
    private readonly escalationState: EscalationStateReader,
  ) {}

  async send(actor: Actor, concernId: string, dto: SendEscalationDto): Promise<EscalationResponse> {
    return this.unitOfWork.run(async (manager) => {
      const concern = await this.accessPolicy.visibleConcern(actor, concernId, manager);
      this.accessPolicy.require(actor, 'escalation.send');
      await this.concerns.assertNotClosed(manager, concern);
      const guidance = await this.concerns.guidanceFor(manager, concern, actor);
      const againstRecommendation = isAgainstRecommendation(dto.route, guidance);
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
        recommendedLevel: guidance.level,
        recommendedRoute: guidance.route,
        consent: {
          sought: dto.consent.sought,
          given: dto.consent.given ?? null,
          givenBy: dto.consent.givenBy ?? null,
          reasonNotSought: dto.consent.reasonNotSought ?? null,
        },
        referral: (dto.referral ?? {}) as ReferralDetails,
        ...recordedBy('sentBy', actor),
        sentAt,
        dueBy: this.calendar.addWorkingDays(sentAt, 1),
        redirectedFromId: null,
      };
      await manager.getRepository(Escalation).insert(escalation);
      await this.audit.record(manager, actor, 'escalation.sent', { type: 'escalation', id: escalation.id }, { concernId: concern.id, pupilId: concern.pupilId, route: dto.route });
      return toEscalationResponse(stateOf(escalation, null, null));
    });
  }

  /** One referral with its local-authority status: for the sender's DSPs and head, or the receiving team. */
  async get(actor: Actor, escalationId: string): Promise<EscalationResponse> {
    return this.unitOfWork.run(async (manager) => {
      const escalation = await this.accessPolicy.visibleEscalation(actor, escalationId, manager);
      const [withState] = await this.escalationState.withState(manager, [escalation]);
      await this.audit.record(manager, actor, 'escalation.viewed', { type: 'escalation', id: escalation.id }, { pupilId: escalation.pupilId });
      return toEscalationResponse(withState);
    });
  }
}

/** DOMAIN.md's escalation rules; each broken rule is a 422 naming the field it is about. */
export function assertEscalationRules(dto: SendEscalationDto, againstRecommendation: boolean): void {
  if (againstRecommendation && (dto.reasonForRoute ?? '').trim().length < MIN_REASON_FOR_ROUTE) {
    throw new RuleBrokenError(
      'reason_required_against_recommendation',
      'reasonForRoute',
      `This route goes against the guidance for this concern: say why in reasonForRoute (at least ${MIN_REASON_FOR_ROUTE} characters)`,
    );
  }
  if (dto.route === 'early_help') {
    if (dto.consent.given !== true) {
      throw new RuleBrokenError('early_help_needs_consent', 'consent.given', 'An early help referral needs the family\'s consent: record that consent was given');
    }
    if (!dto.consent.givenBy) {
      throw new RuleBrokenError('early_help_needs_consent', 'consent.givenBy', 'Record who gave consent for the early help referral');
    }
  }
  if (dto.route === 'mash' && !dto.consent.sought && !dto.consent.reasonNotSought) {
    throw new RuleBrokenError(
      'mash_consent_not_sought_needs_reason',
      'consent.reasonNotSought',
      'Consent was not sought: say why (for example, it would put the child at further risk)',
    );
  }
}
