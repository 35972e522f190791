import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { message } from '../../common/language';
import { PupilEvent, PupilEventSource } from '../../common/pupil-events';
import { Concern } from './concern.entity';
import { ConcernAmendment } from './concern-amendment.entity';

/**
 * A pupil's concerns' corrections as chronology entries (`concern_amended`): "Concern corrected:
 * {field}" with the reason as detail, who and when. Made at the concern's organisation. One indexed
 * queries by pupil. No access check: the chronology asks the access policy first.
 */
@Injectable()
export class ConcernAmendmentEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const concerns = await manager
      .getRepository(Concern)
      .createQueryBuilder('c')
      .select(['c.id', 'c.organisationId'])
      .innerJoin(ConcernAmendment, 'amendment', 'amendment.concern_id = c.id')
      .where('c.pupil_id = :pupilId', { pupilId })
      .getMany();
    if (concerns.length === 0) return [];
    const organisationOf = new Map(concerns.map((concern) => [concern.id, concern.organisationId]));
    const amendments = await manager
      .getRepository(ConcernAmendment)
      .find({ where: { concernId: In([...organisationOf.keys()]) } });
    return amendments.map((amendment) => ({
      id: `concern-amended:${amendment.id}`,
      kind: 'concern_amended' as const,
      at: amendment.amendedAt,
      recordedAt: amendment.amendedAt,
      title: message('amendments.chronology.title', { field: message(`amendments.fields.${amendment.field}`) }),
      detail: amendment.reason,
      actor: { name: amendment.amendedByName, role: amendment.amendedByRole },
      organisationId: organisationOf.get(amendment.concernId)!,
    }));
  }
}
