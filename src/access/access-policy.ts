import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { Organisation } from '../organisations/organisation.entity';
import { isSettingKind } from '../organisations/roles';
import { Pupil } from '../school/pupil.entity';
import { Permission, roleMay } from './permissions';

export type AuditScope = { kind: 'subject' } | { kind: 'actor_organisations'; organisationIds: string[] };

/**
 * The one place that decides what a caller may see and do. Services call it; controllers never
 * decide. Records the caller may not see are reported as missing (NotFoundError → 404).
 *
 * Pupils: school and PRU roles see pupils currently enrolled at their organisation (a dual-registered
 * pupil is seen by both). Local-authority roles see no pupil until one is referred to their team;
 * admin sees no pupil data.
 */
@Injectable()
export class AccessPolicy {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  may(actor: Actor, permission: Permission): boolean {
    return roleMay(actor.role, permission);
  }

  require(actor: Actor, permission: Permission): void {
    if (!this.may(actor, permission)) throw new ForbiddenError();
  }

  /** Narrows a query over pupils (aliased `alias`) to those the actor may see. */
  restrictPupils<T extends ObjectLiteral>(actor: Actor, qb: SelectQueryBuilder<T>, alias: string): SelectQueryBuilder<T> {
    if (!this.may(actor, 'pupil.read') || !isSettingKind(actor.organisationKind)) {
      return qb.andWhere('1 = 0');
    }
    return qb.andWhere(
      new Brackets((where) =>
        where.where(
          `EXISTS (SELECT 1 FROM enrolments access_enrolment WHERE access_enrolment.pupil_id = ${alias}.id ` +
            `AND access_enrolment.organisation_id = :accessOrganisationId AND access_enrolment.ended_on IS NULL)`,
          { accessOrganisationId: actor.organisationId },
        ),
      ),
    );
  }

  /** The subset of `pupilIds` the actor may see, in one query. */
  async visiblePupilIds(actor: Actor, pupilIds: string[], manager?: EntityManager): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select('pupil.id', 'id')
      .where('pupil.id IN (:...pupilIds)', { pupilIds });
    const rows: Array<{ id: string }> = await this.restrictPupils(actor, qb, 'pupil').getRawMany();
    return new Set(rows.map((row) => row.id));
  }

  async assertPupilVisible(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    const visible = await this.visiblePupilIds(actor, [pupilId], manager);
    if (!visible.has(pupilId)) throw new NotFoundError('Pupil');
  }

  /** Which audit entries the actor may read: a visible subject's whole history, or their organisations' actions. */
  async auditScope(actor: Actor, subject: { type: string; id: string } | null): Promise<AuditScope> {
    this.require(actor, 'audit.read');
    if (actor.role === 'la_lead') {
      return { kind: 'actor_organisations', organisationIds: await this.organisationsOfLocalAuthority(actor.localAuthorityId) };
    }
    if (!subject) return { kind: 'actor_organisations', organisationIds: [actor.organisationId] };
    if (subject.type === 'pupil' || subject.type === 'chronology') {
      await this.assertPupilVisible(actor, subject.id);
      return { kind: 'subject' };
    }
    throw new NotFoundError('Subject');
  }

  private async organisationsOfLocalAuthority(localAuthorityId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('organisation')
      .select('organisation.id', 'id')
      .where('organisation.id = :localAuthorityId OR organisation.localAuthorityId = :localAuthorityId', { localAuthorityId })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }
}

