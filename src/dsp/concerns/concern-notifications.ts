import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../../common/actor';
import { message } from '../../common/language';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import { NotificationsService } from '../../notifications/notifications.service';
import { OrganisationsService } from '../../organisations/organisations.service';
import { EnrolmentChanges } from '../../school/enrolment-changes';
import { Concern } from './concern.entity';

/** Who is told of a new concern, and the recording organisation's names for the title. */
export interface ConcernAudience {
  dspIds: string[];
  organisation: { name: string; nameCy: string | null };
}

/**
 * Who is told of a new concern (API.md, "Daily work"; issue 12's reading while placed): the DSPs of every
 * organisation where the pupil is enrolled now, so during a PRU placement (a dual enrolment) both the
 * home school's and the PRU's, whichever recorded it; never the person who recorded it. Raised in the
 * recording transaction, so a concern that rolls back tells nobody. The title names the organisation and
 * the category only: no pupil's name and no words of the concern (it outlives the reader's access; the
 * link's page checks access). Urgent when a level-0 (emergency) indicator is ticked, the same rule as
 * `concern_states.emergency`.
 */
@Injectable()
export class ConcernNotifications {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly enrolments: EnrolmentChanges,
    private readonly organisations: OrganisationsService,
  ) {}

  async recorded(manager: EntityManager, recorder: Actor, concern: Concern, audience?: ConcernAudience): Promise<void> {
    const { dspIds, organisation } = audience ?? (await this.audienceOf(manager, recorder, concern));
    await this.notifications.notify(manager, {
      kind: 'concern_recorded',
      eventKey: concern.id,
      // The concern's id was made in this transaction: no earlier notification can share its key.
      newEventKey: true,
      userIds: dspIds.filter((userId) => userId !== recorder.userId),
      link: `/concerns/${concern.id}`,
      title: message('notifications.titles.concern_recorded', { organisation }),
      urgent: concern.indicators.some((indicator) => EMERGENCY_INDICATORS.includes(indicator)),
    });
  }

  /**
   * Whom `recorded` tells about a concern of `concern.pupilId` recorded by `recorder` (three reads): a
   * creation reads it before its write transaction, on SQLite on a read connection beside the writer.
   */
  async audienceOf(
    manager: EntityManager,
    recorder: Actor,
    concern: Pick<Concern, 'pupilId' | 'organisationId'>,
  ): Promise<ConcernAudience> {
    // Enrolled now: no end date, or one still to come (a pupil leaving on a later day is still on the roll).
    const enrolments = await this.enrolments.current(manager, concern.pupilId);
    const organisationIds = new Set([concern.organisationId, ...enrolments.map((e) => e.organisationId)]);
    const dspIds = await this.organisations.activeMemberIds(manager, [...organisationIds], ['dsp']);
    const names = await this.organisations.namesByIds(manager, [concern.organisationId]);
    const recordedAt = names.get(concern.organisationId) ?? { name: recorder.organisationName, nameCy: null };
    return { dspIds, organisation: { name: recordedAt.name, nameCy: recordedAt.nameCy } };
  }

  /**
   * A correction made the concern an emergency (a level-0 indicator it did not have): the same people
   * as a new concern are told, urgently, once per correction, so nobody learns of it only by chance.
   */
  async becameEmergency(
    manager: EntityManager,
    corrector: Actor,
    concern: Concern,
    amendmentId: string,
  ): Promise<void> {
    const enrolments = await this.enrolments.current(manager, concern.pupilId);
    const organisationIds = new Set([concern.organisationId, ...enrolments.map((e) => e.organisationId)]);
    const dsps = await this.organisations.activeMemberIds(manager, [...organisationIds], ['dsp']);
    const names = await this.organisations.namesByIds(manager, [concern.organisationId]);
    const at = names.get(concern.organisationId) ?? { name: corrector.organisationName, nameCy: null };
    await this.notifications.notify(manager, {
      kind: 'concern_emergency',
      eventKey: amendmentId,
      userIds: dsps.filter((userId) => userId !== corrector.userId),
      link: `/concerns/${concern.id}`,
      title: message('notifications.titles.concern_emergency', {
        organisation: { name: at.name, nameCy: at.nameCy },
      }),
      urgent: true,
    });
  }
}
