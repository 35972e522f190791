import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { londonDateOf } from '../calendar/london-time';
import { newId } from '../common/ids';
import { RetainedAccess, RetainedAccessReason } from './access/retained-access.entity';
import { Enrolment, EnrolmentType } from './enrolment.entity';

/**
 * Changes to the roll made by other modules' events (exported by SchoolModule): a PRU placement starts
 * and ends a dual enrolment, a received transfer moves the pupil; and what the organisation left
 * keeps reading (`retained_access`). Called inside the caller's unit of work, after the caller has
 * checked access and rules; it checks neither.
 */
@Injectable()
export class EnrolmentChanges {
  /** The pupil's current enrolments: no end date, or one still to come. */
  current(manager: EntityManager, pupilId: string, organisationId?: string): Promise<Enrolment[]> {
    const qb = manager
      .getRepository(Enrolment)
      .createQueryBuilder('enrolment')
      .where('enrolment.pupil_id = :pupilId', { pupilId })
      .andWhere(
        new Brackets((current) =>
          current
            .where('enrolment.ended_on IS NULL')
            .orWhere('enrolment.ended_on > :today', { today: londonDateOf(new Date()) }),
        ),
      );
    if (organisationId) qb.andWhere('enrolment.organisation_id = :organisationId', { organisationId });
    return qb.orderBy('enrolment.type', 'DESC').addOrderBy('enrolment.started_on', 'ASC').getMany();
  }

  /**
   * `current`'s organisations as a subquery for another module's statement (named parameters, as
   * database/json-rows.ts's branches take them): whom a new concern is told to (dsp's notifications),
   * read with the people in one statement.
   */
  currentOrganisationIdsQuery(
    manager: EntityManager,
    pupilId: string,
  ): { sql: string; parameters: Record<string, unknown> } {
    return {
      sql: `SELECT enrolment.organisation_id FROM ${manager.connection.getMetadata(Enrolment).tableName} enrolment
        WHERE enrolment.pupil_id = :currentEnrolmentPupilId
        AND (enrolment.ended_on IS NULL OR enrolment.ended_on > :currentEnrolmentToday)`,
      parameters: { currentEnrolmentPupilId: pupilId, currentEnrolmentToday: londonDateOf(new Date()) },
    };
  }

  async start(
    manager: EntityManager,
    enrolment: { pupilId: string; organisationId: string; type: EnrolmentType; startedOn: string },
  ): Promise<Enrolment> {
    const row = manager
      .getRepository(Enrolment)
      .create({ id: newId(), ...enrolment, endedOn: null, createdAt: new Date() });
    return manager.getRepository(Enrolment).save(row);
  }

  /**
   * Ends an enrolment on a day (which may be still to come: it stays current until then). An end only
   * ever moves earlier: an enrolment already ended (a transfer received elsewhere) is never re-opened
   * or extended by a later event naming a later day.
   */
  async end(manager: EntityManager, enrolmentId: string, endedOn: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Enrolment)
      .set({ endedOn })
      .where('id = :enrolmentId AND (ended_on IS NULL OR ended_on > :endedOn)', { enrolmentId, endedOn })
      .execute();
  }

  /** Records what the organisation keeps reading about the pupil now that the pupil has left it. */
  async retain(
    manager: EntityManager,
    access: {
      pupilId: string;
      organisationId: string;
      until: Date | null;
      reason: RetainedAccessReason;
      sourceId: string;
    },
  ): Promise<void> {
    await manager.getRepository(RetainedAccess).insert({ id: newId(), ...access, grantedAt: new Date() });
  }
}
