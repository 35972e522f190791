import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../../common/language';
import { PupilEvent, PupilEventSource } from '../../common/pupil-events';
import { Concern } from './concern.entity';
import { ConcernAmendment } from './concern-amendment.entity';

/**
 * A pupil's concerns' corrections as chronology entries (`concern_amended`): "Concern corrected:
 * {field}" with the reason as detail, who and when. Made at the concern's organisation. One indexed
 * query by pupil. No access check: the chronology asks the access policy first.
 */
@Injectable()
export class ConcernAmendmentEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const rows = await manager
      .getRepository(ConcernAmendment)
      .createQueryBuilder('amendment')
      .innerJoin(Concern, 'c', 'c.id = amendment.concern_id')
      .addSelect('c.organisation_id', 'concern_organisation_id')
      .where('c.pupil_id = :pupilId', { pupilId })
      .getRawAndEntities();
    const organisationOf = new Map(
      (rows.raw as Array<{ amendment_id: string; concern_organisation_id: string }>).map((raw) => [
        raw.amendment_id,
        raw.concern_organisation_id,
      ]),
    );
    const amendments = rows.entities;
    return amendments.map((amendment) => ({
      id: `concern-amended:${amendment.id}`,
      kind: 'concern_amended' as const,
      at: amendment.amendedAt,
      recordedAt: amendment.amendedAt,
      title: message('amendments.chronology.title', { field: message(`amendments.fields.${amendment.field}`) }),
      detail: amendment.reason,
      actor: { name: amendment.amendedByName, role: amendment.amendedByRole },
      organisationId: organisationOf.get(amendment.id)!,
    }));
  }
}
