import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../../common/language';
import { PupilEvent, PupilEventSource } from '../../common/pupil-events';
import { ConcernAttachment } from './concern-attachment.entity';

/**
 * A pupil's concerns' attachments as chronology entries (`attachment_added`), titled with the file's
 * name as it was given. Like everything added to a concern, an entry belongs to the organisation that
 * recorded the concern (what an organisation that left keeps).
 */
@Injectable()
export class AttachmentEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const rows = await manager
      .getRepository(ConcernAttachment)
      .createQueryBuilder('attachment')
      // The concerns table by name: concerns/ imports attachments/, not the other way round.
      .innerJoin('concerns', 'concern', 'concern.id = attachment.concern_id')
      .addSelect('concern.organisation_id', 'concern_organisation_id')
      .where('concern.pupil_id = :pupilId', { pupilId })
      .getRawAndEntities();
    const organisationOf = new Map(
      (rows.raw as Array<{ attachment_id: string; concern_organisation_id: string }>).map((raw) => [
        raw.attachment_id,
        raw.concern_organisation_id,
      ]),
    );
    return rows.entities.map((attachment) => ({
      id: `attachment:${attachment.id}`,
      kind: 'attachment_added',
      at: attachment.addedAt,
      recordedAt: attachment.addedAt,
      title: message('attachments.chronology.added', { filename: attachment.filename }),
      detail: null,
      actor: { name: attachment.addedByName, role: attachment.addedByRole },
      organisationId: organisationOf.get(attachment.id)!,
    }));
  }
}
