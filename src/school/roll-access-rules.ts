import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RollAccessRules } from '../access/access-ports';
import { Pupil } from './pupil.entity';

/** The roll's half of the access policy (access/access-ports.ts): enrolments are this module's table. */
@Injectable()
export class SchoolRollAccessRules implements RollAccessRules {
  enrolledNowAt(pupilColumn: string, organisationParam: string): string {
    return (
      `EXISTS (SELECT 1 FROM enrolments access_enrolment WHERE access_enrolment.pupil_id = ${pupilColumn} ` +
      `AND access_enrolment.organisation_id = :${organisationParam} AND access_enrolment.ended_on IS NULL)`
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
