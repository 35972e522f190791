import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ReferralAccessRules } from '../access/access-ports';
import { Concern } from './concerns/concern.entity';
import { Escalation } from './escalations/escalation.entity';

/** The referrals' half of the access policy (access/access-ports.ts): concerns and referrals are dsp's tables. */
@Injectable()
export class DspReferralAccessRules implements ReferralAccessRules {
  referredTo(
    column: 'pupil_id' | 'concern_id',
    value: string,
    routeParam: string,
    localAuthorityParam: string,
  ): string {
    return (
      `EXISTS (SELECT 1 FROM escalations access_escalation WHERE access_escalation.${column} = ${value} ` +
      `AND access_escalation.route = :${routeParam} AND access_escalation.local_authority_id = :${localAuthorityParam})`
    );
  }

  concernQuery(manager: EntityManager, concernId: string): SelectQueryBuilder<ObjectLiteral> {
    return manager.getRepository(Concern).createQueryBuilder('concern').where('concern.id = :concernId', { concernId });
  }

  escalationQuery(manager: EntityManager, escalationId: string): SelectQueryBuilder<ObjectLiteral> {
    return manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.id = :escalationId', { escalationId });
  }
}
