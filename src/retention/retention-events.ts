import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../database/json-rows';
import { calendarDay, message } from '../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../common/pupil-events';
import { londonDateOf } from '../calendar/london-time';
import { Disposal } from './retention.entities';

/**
 * A disposal's tombstone as the pupil's chronology shows it (`records_disposed`): "Records disposed of
 * on <date> after review, approved by <name>", with the counts and never any content. The chronology
 * leaves out the entries of the records it stands for.
 */
@Injectable()
export class RetentionEvents implements PupilEventSource {
  /** The pupil's disposal, if any (one per pupil). */
  branches(manager: EntityManager): PupilEventBranch[] {
    return [
      {
        tag: 'disposal',
        row: jsonRowOf(manager, Disposal, 'disposal'),
        from: `FROM ${tableOf(manager, Disposal)} disposal WHERE disposal.pupil_id = :pupilId`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    const [row] = rowsOf('disposal');
    if (!row) return [];
    const disposal = hydrateJsonRow(manager, Disposal, row);
    const c = disposal.counts;
    return [
      {
        id: `disposal:${disposal.id}`,
        kind: 'records_disposed',
        at: disposal.disposedAt,
        recordedAt: disposal.disposedAt,
        title: message('retention.chronology.disposed', {
          date: calendarDay(londonDateOf(disposal.disposedAt)),
          name: disposal.approvedByName,
          concerns: c.concerns,
          referrals: c.referrals,
          actions: c.actions,
          attachments: c.attachments,
        }),
        detail: null,
        actor: { name: disposal.approvedByName, role: disposal.approvedByRole },
        organisationId: disposal.approvedByOrganisationId,
      },
    ];
  }
}
