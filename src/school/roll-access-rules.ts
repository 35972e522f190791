import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RollAccessRules } from '../access/access-ports';
import { Pupil } from './pupil.entity';

/** The roll's half of the access policy (access/access-ports.ts): enrolments are this module's table. */
@Injectable()
export class SchoolRollAccessRules implements RollAccessRules {
  /**
   * An uncorrelated IN over the organisation's current roll, answered from the partial index
   * `idx_enrolments_current_roll` (organisation_id, pupil_id WHERE ended_on IS NULL): both engines can
   * start from the roll (a school's few hundred rows) instead of probing every pupil or record, which a
   * correlated EXISTS makes SQLite do (issue 9).
   */
  enrolledNowAt(pupilColumn: string, organisationParam: string): string {
    return (
      `${pupilColumn} IN (SELECT access_enrolment.pupil_id FROM enrolments access_enrolment ` +
      `WHERE access_enrolment.organisation_id = :${organisationParam} AND access_enrolment.ended_on IS NULL)`
    );
  }

  pupilIdsQuery(manager: EntityManager, pupilIds: string[]): SelectQueryBuilder<ObjectLiteral> {
    return manager
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select('pupil.id', 'id')
      .where('pupil.id IN (:...pupilIds)', { pupilIds });
  }
}
