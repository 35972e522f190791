import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../../common/actor';
import { message } from '../../common/language';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import { NotificationsService } from '../../notifications/notifications.service';
import { OrganisationsService } from '../../organisations/organisations.service';
import { EnrolmentChanges } from '../../school/enrolment-changes';
import { JsonRowBranch, RowsOfTag, unionOfJsonRows } from '../../database/json-rows';
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
   * Whom `recorded` tells about a concern of `concern.pupilId` recorded by `recorder`, in one statement
   * (the DSPs of the recording organisation and of every organisation where the pupil is enrolled now,
   * and the recording organisation's names: issue 9, each statement a round trip through the event
   * loop). A creation reads it before its write transaction, on SQLite on a read connection beside the
   * writer. Never cached: whoever holds the role when the concern is recorded is told.
   */
  async audienceOf(
    manager: EntityManager,
    recorder: Actor,
    concern: Pick<Concern, 'pupilId' | 'organisationId'>,
  ): Promise<ConcernAudience> {
    const { branches, parameters } = this.audienceBranches(manager, concern);
    return this.audienceFrom(manager, recorder, await unionOfJsonRows(manager, branches, parameters));
  }

  /**
   * `audienceOf` in two halves, for a caller that reads whom to tell with other rows in one statement
   * (a creation reads it with the guidance's history and directory): its `UNION ALL` branches
   * (database/json-rows.ts) with their parameters, and the audience of their rows.
   */
  audienceBranches(
    manager: EntityManager,
    concern: Pick<Concern, 'pupilId' | 'organisationId'>,
  ): { branches: JsonRowBranch[]; parameters: Record<string, unknown> } {
    // Enrolled now: no end date, or one still to come (a pupil leaving on a later day is still on the roll).
    const enrolled = this.enrolments.currentOrganisationIdsQuery(manager, concern.pupilId);
    const { branches, parameters } = this.organisations.membersAndNamesBranches(manager, ['dsp'], enrolled.sql);
    return { branches, parameters: { ...enrolled.parameters, ...parameters(concern.organisationId) } };
  }

  audienceFrom(manager: EntityManager, recorder: Actor, rowsOf: RowsOfTag): ConcernAudience {
    const { memberIds, names } = this.organisations.membersAndNamesFrom(manager, rowsOf);
    const recordedAt = names ?? { name: recorder.organisationName, nameCy: null };
    return { dspIds: memberIds, organisation: { name: recordedAt.name, nameCy: recordedAt.nameCy } };
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
    // The same people as a new concern's, read the same way (one statement).
    const { dspIds: dsps, organisation: at } = await this.audienceOf(manager, corrector, concern);
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
