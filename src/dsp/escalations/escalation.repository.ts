import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { Escalation } from './escalation.entity';

/**
 * The referral aggregate's reads (the referral, its acknowledgement and outcome: EscalationStateReader
 * attaches those), for dsp's services and, through DspModule's exports, the local authority's inbox.
 */
@Injectable()
export class EscalationRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
  ) {}

  /** A referral the actor may see, or NotFoundError (404); `forUpdate` locks the row until commit. */
  async findVisible(
    manager: EntityManager,
    actor: Actor,
    escalationId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<Escalation> {
    const qb = manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.id = :escalationId', { escalationId });
    if (options.forUpdate) this.unitOfWork.lockRows(qb);
    const escalation = await this.accessPolicy.restrictEscalations(actor, qb, 'escalation').getOne();
    if (!escalation) throw new NotFoundError('Referral');
    return escalation;
  }
}
