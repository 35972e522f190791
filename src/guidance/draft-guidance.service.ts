import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { UnitOfWork } from '../database/unit-of-work';
import { EvaluateGuidanceDto } from './dto/evaluate-guidance.dto';
import { Guidance } from './guidance-engine';
import { GuidanceService } from './guidance.service';

/**
 * Guidance for a draft. With a pupil, the pupil's history counts (history triggers), so the pupil
 * must be visible to the caller and the read is audited; without one, only the rules apply.
 */
@Injectable()
export class DraftGuidanceService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly guidance: GuidanceService,
  ) {}

  async evaluate(actor: Actor, dto: EvaluateGuidanceDto): Promise<Guidance> {
    this.accessPolicy.require(actor, 'guidance.evaluate');
    const subject = {
      category: dto.category,
      issues: dto.issues ?? [],
      indicators: dto.indicators ?? [],
      occurredAt: dto.occurredAt ? new Date(dto.occurredAt) : new Date(),
      reasonableCause: dto.reasonableCause ?? null,
      pupilId: dto.pupilId ?? null,
      concernId: null,
      localAuthorityId: actor.localAuthorityId,
    };
    if (!dto.pupilId) return this.guidance.evaluate(this.unitOfWork.manager, actor, subject);
    return this.unitOfWork.run(async (manager) => {
      await this.accessPolicy.assertPupilVisible(actor, dto.pupilId!, manager);
      const answer = await this.guidance.evaluate(manager, actor, subject);
      await this.audit.record(manager, actor, 'guidance.evaluated', { type: 'pupil', id: dto.pupilId! });
      return answer;
    });
  }
}
