import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { calendarDay, message } from '../common/language';
import { PupilEvent, PupilEventSource } from '../common/pupil-events';
import { Organisation } from '../organisations/organisation.entity';
import { Placement, PlacementEnding, PlacementReview } from './placement.entity';

/** A dated event's moment: the day's start, as the chronology places an enrolment. */
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
/** An ending belongs after everything else that happened on its day (a concern recorded that morning). */
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999Z`);

/**
 * A pupil's placements as chronology entries (the chronology's PupilEventSource; it asks the access
 * policy first and filters by what the reader keeps). Each is made at the PRU, so after a placement
 * ends the PRU still reads its own placement entries. A placement's start and end replace the entries
 * its dual enrolment would have made (the same fact, less said).
 */
@Injectable()
export class PlacementEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    // Each placement with its reviews, its ending and both organisations' names, in one query.
    const placements = (await manager
      .getRepository(Placement)
      .createQueryBuilder('placement')
      .leftJoinAndMapMany('placement.reviews', PlacementReview, 'review', 'review.placement_id = placement.id')
      .leftJoinAndMapOne('placement.ending', PlacementEnding, 'ending', 'ending.placement_id = placement.id')
      .leftJoinAndMapOne('placement.pru', Organisation, 'pru', 'pru.id = placement.pru_id')
      .leftJoinAndMapOne('placement.home', Organisation, 'home', 'home.id = placement.home_organisation_id')
      .select([
        'placement',
        'review',
        'ending',
        'pru.id',
        'pru.name',
        'pru.nameCy',
        'home.id',
        'home.name',
        'home.nameCy',
      ])
      .where('placement.pupil_id = :pupilId', { pupilId })
      .getMany()) as Array<
      Placement & {
        reviews: PlacementReview[];
        ending: PlacementEnding | null;
        pru: Organisation | null;
        home: Organisation | null;
      }
    >;
    if (placements.length === 0) return [];
    const reviews = placements.flatMap((placement) => placement.reviews);
    const endings = placements.flatMap((placement) => (placement.ending ? [placement.ending] : []));
    const names = new Map(placements.flatMap((p) => [p.pru, p.home]).flatMap((o) => (o ? [[o.id, o] as const] : [])));
    const nameOf = (id: string) => {
      const name = names.get(id);
      return { name: name?.name ?? '', nameCy: name?.nameCy ?? null };
    };
    const byId = new Map(placements.map((placement) => [placement.id, placement]));
    const events: PupilEvent[] = [];
    for (const placement of placements) {
      events.push({
        id: `placement:${placement.id}`,
        kind: 'placement_started',
        at: dayStart(placement.startOn),
        recordedAt: placement.placedAt,
        title: message('placements.chronology.started', {
          pru: nameOf(placement.pruId),
          home: nameOf(placement.homeOrganisationId),
          type: message(`placements.types.${placement.type}`),
          reason: message(`placements.reasons.${placement.reason}`),
        }),
        detail: placement.reasonDetail,
        actor: { name: placement.placedByName, role: placement.placedByRole },
        organisationId: placement.pruId,
        replaces: [`enrolment:${placement.enrolmentId}`],
      });
    }
    for (const review of reviews) {
      const placement = byId.get(review.placementId)!;
      events.push({
        id: `placement-review:${review.id}`,
        kind: 'placement_reviewed',
        at: review.reviewedAt,
        recordedAt: review.reviewedAt,
        title: review.nextReviewOn
          ? message('placements.chronology.reviewedNext', {
              pru: nameOf(placement.pruId),
              next: calendarDay(review.nextReviewOn),
            })
          : message('placements.chronology.reviewed', { pru: nameOf(placement.pruId) }),
        detail: review.note,
        actor: { name: review.reviewedByName, role: review.reviewedByRole },
        organisationId: placement.pruId,
      });
    }
    for (const ending of endings) {
      const placement = byId.get(ending.placementId)!;
      events.push({
        id: `placement-ended:${ending.id}`,
        kind: 'placement_ended',
        at: dayEnd(ending.endOn),
        recordedAt: ending.endedAt,
        title: message('placements.chronology.ended', {
          pru: nameOf(placement.pruId),
          outcome: message(`placements.outcomes.${ending.outcome}`),
        }),
        detail: ending.note,
        actor: { name: ending.endedByName, role: ending.endedByRole },
        organisationId: placement.pruId,
        replaces: [`enrolment-ended:${placement.enrolmentId}`],
      });
    }
    return events;
  }
}
