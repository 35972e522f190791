import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../../database/json-rows';
import { message } from '../../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../../common/pupil-events';
import { ConcernAttachment } from './concern-attachment.entity';

/** What an entry shows of an attachment. */
const SHOWN = ['id', 'filename', 'addedAt', 'addedByName', 'addedByRole'] as const;

/**
 * A pupil's concerns' attachments as chronology entries (`attachment_added`), titled with the file's
 * name as it was given. Like everything added to a concern, an entry belongs to the organisation that
 * recorded the concern (what an organisation that left keeps).
 */
@Injectable()
export class AttachmentEvents implements PupilEventSource {
  /** The attachments of the pupil's concerns (not their bytes), each with its concern's organisation. */
  branches(manager: EntityManager): PupilEventBranch[] {
    return [
      {
        tag: 'attachment',
        row: jsonRowOf(manager, ConcernAttachment, 'attachment', SHOWN, {
          concernOrganisationId: 'concern.organisation_id',
        }),
        // The concerns table by name: concerns/ imports attachments/, not the other way round.
        from: `FROM ${tableOf(manager, ConcernAttachment)} attachment
          INNER JOIN concerns concern ON concern.id = attachment.concern_id WHERE concern.pupil_id = :pupilId`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    return rowsOf('attachment').map((row) => {
      const attachment = hydrateJsonRow(manager, ConcernAttachment, row);
      return {
        id: `attachment:${attachment.id}`,
        kind: 'attachment_added',
        at: attachment.addedAt,
        recordedAt: attachment.addedAt,
        title: message('attachments.chronology.added', { filename: attachment.filename }),
        detail: null,
        actor: { name: attachment.addedByName, role: attachment.addedByRole },
        organisationId: row.concernOrganisationId as string,
      };
    });
  }
}
