import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../../database/json-rows';
import { message } from '../../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../../common/pupil-events';
import { Concern } from './concern.entity';
import { ConcernAmendment } from './concern-amendment.entity';

/** What an entry shows of a correction. */
const SHOWN = ['id', 'field', 'reason', 'amendedAt', 'amendedByName', 'amendedByRole'] as const;

/**
 * A pupil's concerns' corrections as chronology entries (`concern_amended`): "Concern corrected:
 * {field}" with the reason as detail, who and when. Made at the concern's organisation. One indexed
 * read by pupil. No access check: the chronology asks the access policy first.
 */
@Injectable()
export class ConcernAmendmentEvents implements PupilEventSource {
  /** The corrections of the pupil's concerns (not the values), each with its concern's organisation. */
  branches(manager: EntityManager): PupilEventBranch[] {
    return [
      {
        tag: 'amendment',
        row: jsonRowOf(manager, ConcernAmendment, 'amendment', SHOWN, { concernOrganisationId: 'c.organisation_id' }),
        from: `FROM ${tableOf(manager, ConcernAmendment)} amendment
          INNER JOIN ${tableOf(manager, Concern)} c ON c.id = amendment.concern_id WHERE c.pupil_id = :pupilId`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    return rowsOf('amendment').map((row) => {
      const amendment = hydrateJsonRow(manager, ConcernAmendment, row);
      return {
        id: `concern-amended:${amendment.id}`,
        kind: 'concern_amended' as const,
        at: amendment.amendedAt,
        recordedAt: amendment.amendedAt,
        title: message('amendments.chronology.title', { field: message(`amendments.fields.${amendment.field}`) }),
        detail: amendment.reason,
        actor: { name: amendment.amendedByName, role: amendment.amendedByRole },
        organisationId: row.concernOrganisationId as string,
      };
    });
  }
}
