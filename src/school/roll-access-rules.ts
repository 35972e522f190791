import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RetainedScope, RollAccessRules } from '../access/access-ports';
import { RetainedAccess } from './access/retained-access.entity';
import { Pupil } from './pupil.entity';

/** The roll's half of the access policy (access/access-ports.ts): enrolments and retained access are this module's tables. */
@Injectable()
export class SchoolRollAccessRules implements RollAccessRules {
  /**
   * Uncorrelated INs over the organisation's current roll, answered from the partial index
   * `idx_enrolments_current_roll` (organisation_id, pupil_id WHERE ended_on IS NULL): both engines can
   * start from the roll (a school's few hundred rows) instead of probing every pupil or record, which a
   * correlated EXISTS makes SQLite do (issue 9). An enrolment whose end date is still to come (a pupil
   * whose file was received elsewhere before the leaving day) is current until that day; the second IN
   * is a short range of `idx_enrolments_organisation_current` (organisation_id, ended_on).
   */
  enrolledNowAt(pupilColumn: string, organisationParam: string, todayParam: string): string {
    return (
      `(${pupilColumn} IN (SELECT access_enrolment.pupil_id FROM enrolments access_enrolment ` +
      `WHERE access_enrolment.organisation_id = :${organisationParam} AND access_enrolment.ended_on IS NULL) OR ` +
      `${pupilColumn} IN (SELECT leaving_enrolment.pupil_id FROM enrolments leaving_enrolment ` +
      `WHERE leaving_enrolment.organisation_id = :${organisationParam} AND leaving_enrolment.ended_on > :${todayParam}))`
    );
  }

  retainedBy(pupilColumn: string, organisationParam: string): string {
    return (
      `${pupilColumn} IN (SELECT retained.pupil_id FROM retained_access retained ` +
      `WHERE retained.organisation_id = :${organisationParam})`
    );
  }

  retainedUpTo(pupilColumn: string, madeAtColumn: string, organisationParam: string): string {
    return (
      `${pupilColumn} IN (SELECT retained_until.pupil_id FROM retained_access retained_until ` +
      `WHERE retained_until.organisation_id = :${organisationParam} AND retained_until.until_at >= ${madeAtColumn})`
    );
  }

  async retainedScopes(manager: EntityManager, pupilId: string, organisationId: string): Promise<RetainedScope[]> {
    const rows = await manager
      .getRepository(RetainedAccess)
      .find({ where: { pupilId, organisationId }, select: { id: true, until: true } });
    return rows.map((row) => ({ until: row.until }));
  }

  pupilIdsQuery(manager: EntityManager, pupilIds: string[]): SelectQueryBuilder<ObjectLiteral> {
    return manager
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select('pupil.id', 'id')
      .where('pupil.id IN (:...pupilIds)', { pupilIds });
  }
}
