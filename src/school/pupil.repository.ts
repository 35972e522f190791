import { Injectable } from '@nestjs/common';
import { EntityManager, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { hydrateJsonRow, JsonRowBranch, jsonRowOf, RowsOfTag, tableOf } from '../database/json-rows';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { Enrolment } from './enrolment.entity';
import { Pupil, PupilFlag, pupilFlags } from './pupil.entity';

/** An enrolment with its organisation's names. */
export type EnrolmentWithOrganisation = Enrolment & {
  organisation: { id: string; name: string; nameCy: string | null };
};

/** What other modules may read of a pupil once they have decided the reader may see it. */
export type PupilNames = Pick<Pupil, 'id' | 'upn' | 'firstName' | 'lastName' | 'dateOfBirth' | 'yearGroup'>;

/** What a receiving team reads of a referral's pupil: the names, home language and flags. */
export type PupilProfile = PupilNames & { homeLanguage: string; flags: PupilFlag[] };

/**
 * The roll's reader for other modules (exported by SchoolModule): pupils by id inside the caller's
 * transaction. It does not check access: callers have already loaded the records naming these pupils
 * through the access policy.
 */
@Injectable()
export class PupilRepository {
  constructor(private readonly organisations: OrganisationsService) {}

  /** One pupil by id, or null (one query). */
  find(manager: EntityManager, pupilId: string): Promise<Pupil | null> {
    return manager.getRepository(Pupil).findOne({ where: { id: pupilId } });
  }

  /** A query over the one pupil by id, aliased `pupil` (for a caller that adds to it, as the chronology's access check). */
  byIdQuery(manager: EntityManager, pupilId: string): SelectQueryBuilder<Pupil> {
    return manager.getRepository(Pupil).createQueryBuilder('pupil').where('pupil.id = :pupilId', { pupilId });
  }

  /** Every enrolment of the pupil, past and present, each with its organisation (one query). */
  async enrolmentHistory(manager: EntityManager, pupilId: string): Promise<EnrolmentWithOrganisation[]> {
    const qb = manager
      .getRepository(Enrolment)
      .createQueryBuilder('enrolment')
      .where('enrolment.pupil_id = :pupilId', { pupilId });
    const rows = await this.organisations
      .joinOrganisation(qb, 'enrolment.organisation', 'o', 'enrolment.organisation_id')
      .getMany();
    return rows as EnrolmentWithOrganisation[];
  }

  /**
   * `enrolmentHistory`'s read as a `UNION ALL` branch by `:pupilId` (database/json-rows.ts), for the
   * chronology to run with its other reads in one statement; `enrolmentsFrom` reads its rows.
   */
  enrolmentBranch(manager: EntityManager): JsonRowBranch {
    return {
      tag: 'enrolment',
      row: jsonRowOf(manager, Enrolment, 'enrolment', undefined, {
        organisation: jsonRowOf(manager, Organisation, 'o', ['id', 'name', 'nameCy']),
      }),
      from: `FROM ${tableOf(manager, Enrolment)} enrolment
        INNER JOIN ${tableOf(manager, Organisation)} o ON o.id = enrolment.organisation_id
        WHERE enrolment.pupil_id = :pupilId`,
    };
  }

  /** The enrolments of `enrolmentBranch`'s rows, as `enrolmentHistory` answers them. */
  enrolmentsFrom(manager: EntityManager, rowsOf: RowsOfTag): EnrolmentWithOrganisation[] {
    return rowsOf('enrolment').map((row) =>
      Object.assign(hydrateJsonRow(manager, Enrolment, row), {
        organisation: row.organisation as EnrolmentWithOrganisation['organisation'],
      }),
    );
  }

  /** Pupils by id, in one query (none for no ids). */
  async byIds(manager: EntityManager, pupilIds: string[]): Promise<Map<string, PupilNames>> {
    if (pupilIds.length === 0) return new Map();
    const pupils = await manager.getRepository(Pupil).find({ where: { id: In([...new Set(pupilIds)]) } });
    return new Map(pupils.map((p) => [p.id, p]));
  }

  /** One pupil by id, in one query; a missing pupil is a bug in the caller (the records name it). */
  byId(manager: EntityManager, pupilId: string): Promise<PupilNames> {
    return manager.getRepository(Pupil).findOneOrFail({ where: { id: pupilId } });
  }

  /** One pupil with home language and flags, in one query; a missing pupil is a bug in the caller. */
  async profileById(manager: EntityManager, pupilId: string): Promise<PupilProfile> {
    const pupil = await manager.getRepository(Pupil).findOneOrFail({ where: { id: pupilId } });
    return {
      id: pupil.id,
      upn: pupil.upn,
      firstName: pupil.firstName,
      lastName: pupil.lastName,
      dateOfBirth: pupil.dateOfBirth,
      yearGroup: pupil.yearGroup,
      homeLanguage: pupil.homeLanguage,
      flags: pupilFlags(pupil),
    };
  }

  /**
   * Adds each row's pupil to another module's query, in the same query: the pupil whose id is the
   * column expression `pupilIdColumn`, aliased `pupil`, mapped onto the row's property `mapTo`
   * (`alias.property`). Read it back with `joinedPupil(row)`.
   */
  joinPupil<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    mapTo: string,
    pupilIdColumn: string,
  ): SelectQueryBuilder<T> {
    return qb.innerJoinAndMapOne(mapTo, Pupil, 'pupil', `pupil.id = ${pupilIdColumn}`);
  }
}

/** The pupil `PupilRepository.joinPupil` mapped onto a row's `pupil` property. */
export function joinedPupil(row: object): PupilNames {
  return (row as { pupil: PupilNames }).pupil;
}
