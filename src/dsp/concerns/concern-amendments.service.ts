import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { ForbiddenError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { recordedBy } from '../../common/recorded-by';
import { UnitOfWork } from '../../database/unit-of-work';
import { ConcernStateWriter } from '../concern-states/concern-states';
import { Concern } from './concern.entity';
import { ConcernNotifications } from './concern-notifications';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import { ConcernDecision } from './concern-decision.entity';
import { Escalation } from '../escalations/escalation.entity';
import { ConcernRepository } from './concern.repository';
import {
  AmendmentUnchangedError,
  AmendmentAfterTriageError,
  AmendmentWindowClosedError,
  parseAmendmentValue,
  sameValue,
  valueOf,
  withinRecorderWindow,
  withValue,
} from './amendment-rules';
import { AmendableField, AmendmentValue, ConcernAmendment, ConcernCurrent } from './concern-amendment.entity';
import { AmendConcernDto } from './dto/amend-concern.dto';

export interface AmendmentResponse {
  id: string;
  concernId: string;
  at: string;
  by: { name: string; role: string };
  field: AmendableField;
  previous: AmendmentValue;
  value: AmendmentValue;
  reason: string;
}

export function toAmendmentResponse(amendment: ConcernAmendment): AmendmentResponse {
  return {
    id: amendment.id,
    concernId: amendment.concernId,
    at: amendment.amendedAt.toISOString(),
    by: { name: amendment.amendedByName, role: amendment.amendedByRole },
    field: amendment.field,
    previous: amendment.previous,
    value: amendment.value,
    reason: amendment.reason,
  };
}

/** A concern's amendments, oldest first (one indexed query). */
export function amendmentsOf(manager: EntityManager, concernId: string): Promise<ConcernAmendment[]> {
  return manager.getRepository(ConcernAmendment).find({ where: { concernId }, order: { amendedAt: 'ASC', id: 'ASC' } });
}

/** Who may correct: its recorder (within 24 hours: a rule) or a DSP of its organisation. */
export type AmendAbility = 'dsp' | 'recorder' | 'recorder_too_late' | 'recorder_after_triage' | 'none';

/**
 * Corrections of a concern (API.md, Corrections): nothing is overwritten. Each correction is appended
 * to `concern_amendments`; the concern's row keeps what was recorded; `concern_current` (a projection)
 * and `concern_states` (the lists' read model: time, emergency) are brought up to date in the same
 * transaction, with the audit entry `concern.amended`. The guidance is worked out from the current
 * values whenever it is read, so a changed category, issue or indicator changes it at once.
 */
@Injectable()
export class ConcernAmendmentsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly concernRecords: ConcernRepository,
    private readonly concernStates: ConcernStateWriter,
    private readonly concernNotifications: ConcernNotifications,
  ) {}

  /** Who the actor is to this concern, for a correction (the page shows its link by it). */
  abilityOn(actor: Actor, concern: Pick<Concern, 'organisationId' | 'recordedByUserId' | 'recordedAt'>): AmendAbility {
    if (this.accessPolicy.may(actor, 'concern.triage') && this.accessPolicy.ownsConcern(actor, concern)) return 'dsp';
    if (actor.userId === concern.recordedByUserId && actor.organisationId === concern.organisationId)
      return withinRecorderWindow(concern.recordedAt, new Date()) ? 'recorder' : 'recorder_too_late';
    return 'none';
  }

  /** Whether the actor may correct the concern now (the concern page's link; no audit: the page audits its read). */
  mayAmend(actor: Actor, concernId: string): Promise<boolean> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await manager
        .getRepository(Concern)
        .findOne({ where: { id: concernId }, select: ['id', 'organisationId', 'recordedByUserId', 'recordedAt'] });
      if (!concern) return false;
      const ability = await this.abilityNow(manager, actor, concern);
      return ability === 'dsp' || ability === 'recorder';
    });
  }

  /** The concern as it now reads, for the correction form (404 if not visible, 403/422 if not theirs to correct). */
  async concernToAmend(actor: Actor, concernId: string): Promise<Concern> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId);
      await this.assertMayAmend(manager, actor, concern);
      await this.audit.record(
        manager,
        actor,
        'concern.viewed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, part: 'amend' },
      );
      return concern;
    });
  }

  async amend(actor: Actor, concernId: string, dto: AmendConcernDto): Promise<AmendmentResponse> {
    // Bad input is a 400 that stores nothing, before any record is read.
    const value = parseAmendmentValue(dto.field, dto.value);
    return this.unitOfWork.run(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId, { forUpdate: true });
      await this.assertMayAmend(manager, actor, concern);
      const previous = valueOf(concern, dto.field);
      if (sameValue(previous, value)) throw new AmendmentUnchangedError();
      const amendment: ConcernAmendment = {
        id: newId(),
        concernId: concern.id,
        field: dto.field,
        previous,
        value,
        reason: dto.reason,
        amendedAt: new Date(),
        ...recordedBy('amendedBy', actor),
      };
      await manager.getRepository(ConcernAmendment).insert(amendment);
      const current = withValue(concern, dto.field, value);
      await manager.getRepository(ConcernCurrent).upsert(
        {
          concernId: concern.id,
          pupilId: concern.pupilId,
          occurredAt: current.occurredAt,
          category: current.category,
          issues: current.issues,
          indicators: current.indicators,
          context: current.context,
          summary: current.summary,
          childsWords: current.childsWords,
          actionTaken: current.actionTaken,
        },
        ['concernId'],
      );
      // Made an emergency by this correction: told as urgently as a new emergency concern would be.
      const emergency = (indicators: string[]) =>
        indicators.some((code) => (EMERGENCY_INDICATORS as readonly string[]).includes(code));
      if (dto.field === 'indicators' && emergency(current.indicators) && !emergency(concern.indicators))
        await this.concernNotifications.becameEmergency(manager, actor, current, amendment.id);
      // The lists' read model takes the current time and emergency from concern_current.
      await this.concernStates.changed(manager, concern.id);
      await this.audit.record(
        manager,
        actor,
        'concern.amended',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, field: dto.field },
      );
      return toAmendmentResponse(amendment);
    });
  }

  /** `abilityOn`, and a recorder's window closes early once a DSP has decided or referred. */
  private async abilityNow(
    manager: EntityManager,
    actor: Actor,
    concern: Pick<Concern, 'id' | 'organisationId' | 'recordedByUserId' | 'recordedAt'>,
  ): Promise<AmendAbility> {
    const ability = this.abilityOn(actor, concern);
    if (ability !== 'recorder') return ability;
    const actedOn =
      (await manager.getRepository(ConcernDecision).exists({ where: { concernId: concern.id } })) ||
      (await manager.getRepository(Escalation).exists({ where: { concernId: concern.id } }));
    return actedOn ? 'recorder_after_triage' : 'recorder';
  }

  private async assertMayAmend(manager: EntityManager, actor: Actor, concern: Concern): Promise<void> {
    const ability = await this.abilityNow(manager, actor, concern);
    if (ability === 'recorder_too_late') throw new AmendmentWindowClosedError();
    if (ability === 'recorder_after_triage') throw new AmendmentAfterTriageError();
    if (ability === 'none') {
      // A DSP of the other organisation of a dual-registered pupil: the concern is owned elsewhere (422).
      if (this.accessPolicy.may(actor, 'concern.triage')) this.accessPolicy.assertOwnsConcern(actor, concern);
      throw new ForbiddenError(
        'Only its recorder (within 24 hours) or a designated safeguarding person can correct a concern',
      );
    }
  }
}
