import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditPupils } from '../audit/audit-pupils';
import { Actor } from '../common/actor';
import { whereNameOrUpnMatches } from './pupil-search';
import { Pupil } from './pupil.entity';

/** The roll's answer to the audit log's port (audit/audit-pupils.ts): names only where the reader may see the pupil. */
@Injectable()
export class SchoolAuditPupils implements AuditPupils {
  constructor(private readonly accessPolicy: AccessPolicy) {}

  async namesFor(manager: EntityManager, actor: Actor, pupilIds: string[]): Promise<Map<string, string>> {
    if (pupilIds.length === 0) return new Map();
    const qb = manager
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select(['pupil.id', 'pupil.firstName', 'pupil.lastName'])
      .where('pupil.id IN (:...pupilIds)', { pupilIds });
    const pupils = await this.accessPolicy.restrictPupils(actor, qb, 'pupil').getMany();
    return new Map(pupils.map((pupil) => [pupil.id, `${pupil.firstName} ${pupil.lastName}`]));
  }

  async matching(
    manager: EntityManager,
    actor: Actor,
    text: string,
    limit: number,
  ): Promise<Array<{ id: string; name: string }>> {
    const qb = manager
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select(['pupil.id', 'pupil.firstName', 'pupil.lastName']);
    this.accessPolicy.restrictPupils(actor, qb, 'pupil');
    const pupils = await whereNameOrUpnMatches(qb, 'pupil', text)
      .orderBy('pupil.lastName', 'ASC')
      .addOrderBy('pupil.firstName', 'ASC')
      .addOrderBy('pupil.id', 'ASC')
      .take(limit)
      .getMany();
    return pupils.map((pupil) => ({ id: pupil.id, name: `${pupil.firstName} ${pupil.lastName}` }));
  }
}
