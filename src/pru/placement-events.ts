import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../database/json-rows';
import { calendarDay, message } from '../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../common/pupil-events';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationRef } from '../organisations/organisations.service';
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
  /** The pupil's placements with both organisations' names, and their reviews and endings. */
  branches(manager: EntityManager): PupilEventBranch[] {
    const name = (alias: string) => jsonRowOf(manager, Organisation, alias, ['id', 'name', 'nameCy']);
    const [placements, organisations] = [tableOf(manager, Placement), tableOf(manager, Organisation)];
    // A review or ending by its placement's pupil.
    const ofPupil = (alias: string) =>
      `INNER JOIN ${placements} placement ON placement.id = ${alias}.placement_id WHERE placement.pupil_id = :pupilId`;
    return [
      {
        tag: 'placement',
        row: jsonRowOf(manager, Placement, 'placement', undefined, { pru: name('pru'), home: name('home') }),
        from: `FROM ${placements} placement
          LEFT JOIN ${organisations} pru ON pru.id = placement.pru_id
          LEFT JOIN ${organisations} home ON home.id = placement.home_organisation_id
          WHERE placement.pupil_id = :pupilId`,
      },
      {
        tag: 'review',
        row: jsonRowOf(manager, PlacementReview, 'review'),
        from: `FROM ${tableOf(manager, PlacementReview)} review ${ofPupil('review')}`,
      },
      {
        tag: 'ending',
        row: jsonRowOf(manager, PlacementEnding, 'ending'),
        from: `FROM ${tableOf(manager, PlacementEnding)} ending ${ofPupil('ending')}`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    const placements = rowsOf('placement').map((row) => hydrateJsonRow(manager, Placement, row));
    if (placements.length === 0) return [];
    const reviews = rowsOf('review').map((row) => hydrateJsonRow(manager, PlacementReview, row));
    const endings = rowsOf('ending').map((row) => hydrateJsonRow(manager, PlacementEnding, row));
    // A name left out by its LEFT JOIN reads as an object of nulls on both engines.
    const names = new Map(
      rowsOf('placement')
        .flatMap((row) => [row.pru, row.home] as Array<OrganisationRef | null>)
        .flatMap((o) => (o?.id ? [[o.id, o] as const] : [])),
    );
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
