import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, MoreThan, Or, SelectQueryBuilder } from 'typeorm';
import { londonDateOf } from '../calendar/london-time';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { isSettingKind } from '../common/roles';
import { NotFoundError } from '../common/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { OrganisationsService } from '../organisations/organisations.service';
import { Enrolment, isCurrentEnrolment } from './enrolment.entity';
import { Pupil } from './pupil.entity';
import { whereNameOrUpnMatches } from './pupil-search';
import {
  EnrolmentWithName,
  PupilDetailResponse,
  PupilSummaryResponse,
  toPupilDetail,
  toPupilSummary,
} from './pupil.mapper';
import { PAGE_SIZE } from '../common/paging';
import { PupilContactDetailsView, PupilContactsReader } from './roll/pupil-contacts.reader';

/** Pupil list pages: `pageSize` 1 to 200, 50 unless asked (API.md, Paging). */
export const PUPIL_PAGE_SIZE = PAGE_SIZE;

/** API.md, `GET /api/pupils/lookup`. */
export interface PupilLookupResponse {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  /** Where the pupil is enrolled now, with the Welsh name too (`nameCy`, null when it has none). */
  organisations: Array<{ id: string; name: string; nameCy: string | null }>;
}

/** One page of the pupils a caller may see, with the true number that match (API.md, Paging). */
export interface PupilPage {
  items: PupilSummaryResponse[];
  page: number;
  pageSize: number;
  total: number;
}

@Injectable()
export class PupilsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly organisations: OrganisationsService,
    private readonly contacts: PupilContactsReader,
  ) {}

  /**
   * One page of the pupils the actor may see, optionally matching `q` (the start of a first, last or
   * preferred name, or of "first last", or a whole UPN; pupil-search.ts), by surname, with the true
   * total. Both queries start from indexes: the caller's current roll (idx_enrolments_current_roll) and
   * the search columns. Audited with the ids it showed only for a local-authority team (below).
   */
  async search(actor: Actor, q?: string, paging: { page?: number; pageSize?: number } = {}): Promise<PupilPage> {
    const page = paging.page ?? 1;
    const pageSize = paging.pageSize ?? PUPIL_PAGE_SIZE.default;
    return this.unitOfWork.read(async (manager) => {
      const qb = manager.getRepository(Pupil).createQueryBuilder('pupil');
      // The roll, not every pupil the caller may read: a pupil who left (a placement ended, a file
      // transferred) is reached from the placements and transfers lists, not listed as on the roll.
      this.accessPolicy.restrictPupils(actor, qb, 'pupil', 'roll');
      const term = q?.trim();
      if (term) whereNameOrUpnMatches(qb, 'pupil', term);
      const total = await qb.getCount();
      const pupils =
        total > (page - 1) * pageSize
          ? await qb
              .orderBy('pupil.lastName', 'ASC')
              .addOrderBy('pupil.firstName', 'ASC')
              .addOrderBy('pupil.id', 'ASC')
              .offset((page - 1) * pageSize)
              .limit(pageSize)
              .getMany()
          : [];
      const enrolments = await this.currentEnrolments(
        manager,
        pupils.map((pupil) => pupil.id),
      );
      // A school's or PRU's own roll (names, UPNs, year groups, where enrolled) is not safeguarding data:
      // staff see it in the school's information system, and DOMAIN's audit rule is for views of
      // safeguarding records, each of which is audited when opened (pupil.viewed, concern.viewed,
      // chronology.viewed). A row per list view only buried those. A local-authority team's list is
      // different: every pupil on it was referred to that team, so the list itself is safeguarding data.
      if (!isSettingKind(actor.organisationKind)) {
        await this.audit.record(
          manager,
          actor,
          'pupil_list.viewed',
          { type: 'pupil_list', id: actor.organisationId },
          // Not the words typed: a search term is usually a child's name, and this log keeps everything
          // for ever. That a search was made, how long it was and what it showed is what a review needs.
          {
            searched: Boolean(term),
            termLength: term?.length ?? 0,
            matches: total,
            page,
            pupilIds: pupils.map((pupil) => pupil.id),
          },
        );
      }
      return {
        items: pupils.map((pupil) =>
          toPupilSummary(
            pupil,
            enrolments.filter((enrolment) => enrolment.pupilId === pupil.id),
          ),
        ),
        page,
        pageSize,
        total,
      };
    });
  }

  /** One pupil with enrolments and the siblings the actor may also see; 404 when not visible. */
  async get(actor: Actor, pupilId: string): Promise<PupilDetailResponse> {
    return this.unitOfWork.read(async (manager) => {
      await this.accessPolicy.assertPupilVisible(actor, pupilId, manager);
      const pupil = await manager.getRepository(Pupil).findOne({ where: { id: pupilId } });
      if (!pupil) throw new NotFoundError('Pupil');
      const enrolments = await this.currentEnrolments(manager, [pupil.id]);
      const siblings = await this.visibleSiblings(actor, manager, pupil);
      await this.audit.record(manager, actor, 'pupil.viewed', { type: 'pupil', id: pupil.id });
      const detail = toPupilDetail(pupil, enrolments, siblings);
      if (isSettingKind(actor.organisationKind))
        detail.onCallersRoll = enrolments.some((enrolment) => enrolment.organisationId === actor.organisationId);
      // Address and contacts: only for those the access policy lets read them (the field is left out for others).
      if (this.contacts.mayRead(actor)) detail.contactDetails = await this.contacts.forPupil(actor, manager, pupil.id);
      return detail;
    });
  }

  /** The pupil's address and contacts for a referral form (null when none, or not the actor's to read). */
  async contactDetails(actor: Actor, pupilId: string): Promise<PupilContactDetailsView | null> {
    if (!this.contacts.mayRead(actor)) return null;
    return this.unitOfWork.read((manager) => this.contacts.forPupil(actor, manager, pupilId));
  }

  /**
   * API.md, `GET /api/pupils/lookup`: the one pupil of the caller's local authority with exactly this
   * UPN and date of birth (known to the LA: enrolled, now or before, at one of its schools or PRUs),
   * with where they are enrolled now; otherwise 404. It never lists. Every lookup is audited as
   * `pupil.looked_up`: a hit names the pupil; a miss names only the caller's organisation and that it
   * found nothing (never the UPN or date typed), so repeated fishing shows in the log.
   */
  async lookUp(actor: Actor, upn: string, dateOfBirth: string): Promise<PupilLookupResponse> {
    this.accessPolicy.assertMayLookUpPupils(actor);
    const found = await this.unitOfWork.read(async (manager) => {
      const pupil = await manager.getRepository(Pupil).findOne({ where: { upn, dateOfBirth } });
      let answer: PupilLookupResponse | null = null;
      if (pupil) {
        const enrolments = await manager.getRepository(Enrolment).find({ where: { pupilId: pupil.id } });
        const today = londonDateOf(new Date());
        const ours = new Set(
          (await this.organisations.settingsInScope(manager, { localAuthorityId: actor.localAuthorityId })).map(
            (organisation) => organisation.id,
          ),
        );
        if (enrolments.some((enrolment) => ours.has(enrolment.organisationId))) {
          const current = [
            ...new Set(
              enrolments
                .filter((enrolment) => isCurrentEnrolment(enrolment, today))
                .map((enrolment) => enrolment.organisationId),
            ),
          ];
          const names = await this.organisations.namesByIds(manager, current);
          answer = {
            id: pupil.id,
            firstName: pupil.firstName,
            lastName: pupil.lastName,
            dateOfBirth: pupil.dateOfBirth,
            organisations: current.map((id) => ({
              id,
              name: names.get(id)?.name ?? '',
              nameCy: names.get(id)?.nameCy ?? null,
            })),
          };
        }
      }
      await this.audit.record(
        manager,
        actor,
        'pupil.looked_up',
        answer ? { type: 'pupil', id: answer.id } : { type: 'organisation', id: actor.organisationId },
        { found: Boolean(answer) },
      );
      return answer;
    });
    if (!found) throw new NotFoundError('Pupil');
    return found;
  }

  /** How many pupils are on the actor's roll (no pupil data, so not audited). */
  async countVisible(actor: Actor): Promise<number> {
    return this.rollCountQuery(actor).getCount();
  }

  /** The pupils on the actor's roll, as a query for a page to count beside its other counts (`countsOf`). */
  rollCountQuery(actor: Actor): SelectQueryBuilder<Pupil> {
    const qb = this.unitOfWork.manager.getRepository(Pupil).createQueryBuilder('pupil');
    return this.accessPolicy.restrictPupils(actor, qb, 'pupil', 'roll');
  }

  private async currentEnrolments(manager: EntityManager, pupilIds: string[]): Promise<EnrolmentWithName[]> {
    if (pupilIds.length === 0) return [];
    const enrolments = await manager.getRepository(Enrolment).find({
      // Current: no end date, or one still to come (a transferred pupil before the leaving day).
      where: { pupilId: In(pupilIds), endedOn: Or(IsNull(), MoreThan(londonDateOf(new Date()))) },
      order: { type: 'DESC', startedOn: 'ASC' },
    });
    const organisationIds = [...new Set(enrolments.map((enrolment) => enrolment.organisationId))];
    const names = await this.organisations.namesByIds(manager, organisationIds);
    return enrolments.map((enrolment) =>
      Object.assign(enrolment, {
        organisationName: names.get(enrolment.organisationId)?.name ?? '',
        organisationNameCy: names.get(enrolment.organisationId)?.nameCy ?? null,
      }),
    );
  }

  private async visibleSiblings(actor: Actor, manager: EntityManager, pupil: Pupil): Promise<Pupil[]> {
    if (!pupil.householdId) return [];
    const qb = manager
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .where('pupil.household_id = :householdId AND pupil.id <> :pupilId', {
        householdId: pupil.householdId,
        pupilId: pupil.id,
      });
    return this.accessPolicy.restrictPupils(actor, qb, 'pupil').orderBy('pupil.dateOfBirth', 'ASC').getMany();
  }
}
