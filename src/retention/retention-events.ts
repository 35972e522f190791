import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { calendarDay, message } from '../common/language';
import { PupilEvent, PupilEventSource } from '../common/pupil-events';
import { londonDateOf } from '../calendar/london-time';
import { Disposal } from './retention.entities';

/**
 * A disposal's tombstone as the pupil's chronology shows it (`records_disposed`): "Records disposed of
 * on <date> after review, approved by <name>", with the counts and never any content. The chronology
 * leaves out the entries of the records it stands for.
 */
@Injectable()
export class RetentionEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const disposal = await manager.getRepository(Disposal).findOneBy({ pupilId });
    if (!disposal) return [];
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
