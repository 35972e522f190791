import { Injectable } from '@nestjs/common';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { londonDateOf } from '../calendar/london-time';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { inSequence } from '../common/in-sequence';
import { PAGE_SIZE } from '../common/paging';
import { recordedBy } from '../common/recorded-by';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { ConcernRepository } from '../dsp/concerns/concern.repository';
import { OrganisationsService } from '../organisations/organisations.service';
import { EnrolmentChanges } from '../school/enrolment-changes';
import { PupilRepository } from '../school/pupil.repository';
import { CreatePlacementDto, EndPlacementDto, ReviewPlacementDto } from './dto/placement.dto';
import { Placement, PlacementEnding, PlacementReview, PlacementStatus } from './placement.entity';
import { PlacementError, PlacementRuleError } from './placement-errors';
import {
  PlacementDetail,
  PlacementPage,
  PlacementParts,
  PlacementReviewResponse,
  toPlacementDetail,
  toPlacementListItem,
} from './placement.mapper';
import { assertEndNotInFuture, assertNotBeforeStart } from './placement-rules';

/** How soon a review counts as due on the PRU's dashboard (days from today; overdue ones included). */
export const REVIEW_DUE_WITHIN_DAYS = 14;

export interface PlacementListOptions {
  status?: PlacementStatus;
  page?: number;
  pageSize?: number;
  /** Only active placements whose next review is on or before this day (the dashboard's "reviews due"). */
  reviewDueBy?: string;
  /** false: the dashboard's glance, which is not a "viewed a list" entry (home/dashboard.service.ts). */
  audited?: boolean;
}

/** SQL: the placement (alias `p`) has an ending. */
const ENDED = 'EXISTS (SELECT 1 FROM placement_endings ending WHERE ending.placement_id = p.id)';

/** SQL: when the placement (alias `p`) is next reviewed: the latest review's next date, else the one set at the start. */
const NEXT_REVIEW_ON =
  '(CASE WHEN EXISTS (SELECT 1 FROM placement_reviews any_review WHERE any_review.placement_id = p.id) ' +
  'THEN (SELECT latest.next_review_on FROM placement_reviews latest WHERE latest.placement_id = p.id ' +
  'ORDER BY latest.reviewed_at DESC, latest.id DESC LIMIT 1) ELSE p.review_on END)';

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * PRU placements (API.md, "PRU placements and moving school"). Starting one puts the pupil on the PRU's
 * roll (a `dual` enrolment); ending one ends that enrolment and leaves the PRU reading only what it
 * recorded (school's `retained_access`). Each change and read is audited in its own unit of work.
 * Who may read or run a placement is the access policy's (`restrictPlacements`, `assertMayRunPlacement`).
 */
@Injectable()
export class PlacementsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly organisations: OrganisationsService,
    private readonly pupils: PupilRepository,
    private readonly enrolments: EnrolmentChanges,
    private readonly concerns: ConcernRepository,
  ) {}

  /** Whether the actor may start placements at their organisation (a PRU's DSP or head teacher). */
  mayStart(actor: Actor): boolean {
    try {
      this.accessPolicy.assertMayRunPlacement(actor, actor.organisationId);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the actor may review and end this placement (its PRU's DSPs and head teachers). */
  mayRun(actor: Actor, placement: { pru: { id: string } }): boolean {
    try {
      this.accessPolicy.assertMayRunPlacement(actor, placement.pru.id);
      return true;
    } catch {
      return false;
    }
  }

  /** 403 unless the actor may start placements at this PRU (pages ask before showing the form). */
  assertMayStart(actor: Actor, pruId = actor.organisationId): void {
    this.accessPolicy.assertMayRunPlacement(actor, pruId);
  }

  /** Whether the actor reads placements at all (the menu and the list page). */
  mayRead(actor: Actor): boolean {
    return this.accessPolicy.mayReadPlacements(actor);
  }

  async start(actor: Actor, input: CreatePlacementDto): Promise<PlacementDetail> {
    this.accessPolicy.assertMayRunPlacement(actor, input.pruId);
    assertNotBeforeStart(input.startOn, input.reviewOn, PlacementError.ReviewBeforeStart);
    try {
      return await this.unitOfWork.run(async (manager) => {
        const pupil = await this.pupils.find(manager, input.pupilId);
        if (!pupil) throw new NotFoundError('Pupil');
        const settings = new Map(
          (await this.organisations.settingsInScope(manager, { localAuthorityId: actor.localAuthorityId })).map(
            (organisation) => [organisation.id, organisation.kind],
          ),
        );
        // A pupil the local authority has never had on a roll is not the PRU's to find (as the lookup).
        const history = await this.pupils.enrolmentHistory(manager, pupil.id);
        if (!history.some((enrolment) => settings.has(enrolment.organisationId))) throw new NotFoundError('Pupil');
        const current = await this.enrolments.current(manager, pupil.id);
        const atHome = current.some(
          (enrolment) =>
            enrolment.organisationId === input.homeOrganisationId &&
            settings.get(enrolment.organisationId) === 'school',
        );
        if (!atHome) throw new PlacementRuleError(PlacementError.HomeNotPupilsSchool);
        const earlier = await manager
          .getRepository(Placement)
          .find({ where: { pupilId: pupil.id, pruId: input.pruId }, order: { sequence: 'ASC' } });
        const endings = await this.endingsOf(
          manager,
          earlier.map((placement) => placement.id),
        );
        if (earlier.some((placement) => !endings.has(placement.id)))
          throw new PlacementRuleError(PlacementError.AlreadyActive);
        if (current.some((enrolment) => enrolment.organisationId === input.pruId))
          throw new PlacementRuleError(PlacementError.AlreadyOnRoll);

        const enrolment = await this.enrolments.start(manager, {
          pupilId: pupil.id,
          organisationId: input.pruId,
          type: 'dual',
          startedOn: input.startOn,
        });
        const placement = manager.getRepository(Placement).create({
          id: newId(),
          pupilId: pupil.id,
          pruId: input.pruId,
          homeOrganisationId: input.homeOrganisationId,
          // The unique (pupil, PRU, sequence) key: a concurrent start for the same pupil takes the same
          // number and fails on insert, so there is never a second active placement.
          sequence: earlier.length + 1,
          type: input.type,
          reason: input.reason,
          reasonDetail: input.reasonDetail ?? null,
          startOn: input.startOn,
          reviewOn: input.reviewOn ?? null,
          enrolmentId: enrolment.id,
          ...recordedBy('placedBy', actor),
          placedAt: new Date(),
        });
        await manager.getRepository(Placement).insert(placement);
        await this.audit.record(
          manager,
          actor,
          'placement.started',
          { type: 'pupil', id: pupil.id },
          {
            placementId: placement.id,
            pruId: input.pruId,
            homeOrganisationId: input.homeOrganisationId,
            type: input.type,
            enrolmentId: enrolment.id,
          },
        );
        return toPlacementDetail(await this.partsOf(manager, placement), this.today());
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PlacementRuleError(PlacementError.AlreadyActive);
      throw error;
    }
  }

  async review(actor: Actor, placementId: string, input: ReviewPlacementDto): Promise<PlacementReviewResponse> {
    return this.unitOfWork.run(async (manager) => {
      const placement = await this.runnable(manager, actor, placementId);
      assertNotBeforeStart(placement.startOn, input.nextReviewOn, PlacementError.NextReviewBeforeStart);
      const review = manager.getRepository(PlacementReview).create({
        id: newId(),
        placementId: placement.id,
        note: input.note,
        nextReviewOn: input.nextReviewOn ?? null,
        ...recordedBy('reviewedBy', actor),
        reviewedAt: new Date(),
      });
      await manager.getRepository(PlacementReview).insert(review);
      await this.audit.record(
        manager,
        actor,
        'placement.reviewed',
        { type: 'pupil', id: placement.pupilId },
        { placementId: placement.id, reviewId: review.id, nextReviewOn: review.nextReviewOn },
      );
      return {
        id: review.id,
        note: review.note,
        nextReviewOn: review.nextReviewOn,
        reviewedBy: { name: actor.name, role: actor.role, organisationId: actor.organisationId },
        reviewedAt: review.reviewedAt.toISOString(),
      };
    });
  }

  /**
   * Ends the placement: the PRU enrolment ends on `endOn` (which may be still to come: the PRU reads
   * everything until then), and the PRU keeps reading only what it recorded (retained access).
   */
  async end(actor: Actor, placementId: string, input: EndPlacementDto): Promise<PlacementDetail> {
    try {
      return await this.unitOfWork.run(async (manager) => {
        const placement = await this.runnable(manager, actor, placementId);
        assertNotBeforeStart(placement.startOn, input.endOn, PlacementError.EndBeforeStart);
        assertEndNotInFuture(input.endOn, this.today());
        // Every concern the PRU recorded has a DSP's decision before the PRU steps back: after the
        // ending only the PRU can still decide it, and nobody else's queue would show it.
        if ((await this.concerns.awaitingTriageCount(manager, placement.pruId, placement.pupilId)) > 0)
          throw new PlacementRuleError(PlacementError.ConcernsAwaitingTriage);
        const ending = manager.getRepository(PlacementEnding).create({
          id: newId(),
          placementId: placement.id,
          endOn: input.endOn,
          outcome: input.outcome,
          note: input.note,
          ...recordedBy('endedBy', actor),
          endedAt: new Date(),
        });
        // First, so a concurrent second ending fails here (the unique key) before it changes the roll.
        await manager.getRepository(PlacementEnding).insert(ending);
        await this.enrolments.end(manager, placement.enrolmentId, input.endOn);
        await this.enrolments.retain(manager, {
          pupilId: placement.pupilId,
          organisationId: placement.pruId,
          until: null,
          reason: 'placement_ended',
          sourceId: placement.id,
        });
        await this.audit.record(
          manager,
          actor,
          'placement.ended',
          { type: 'pupil', id: placement.pupilId },
          { placementId: placement.id, endOn: input.endOn, outcome: input.outcome },
        );
        return toPlacementDetail(await this.partsOf(manager, placement), this.today());
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PlacementRuleError(PlacementError.AlreadyEnded);
      throw error;
    }
  }

  async get(actor: Actor, placementId: string): Promise<PlacementDetail> {
    return this.unitOfWork.read(async (manager) => {
      const placement = await this.findVisible(manager, actor, placementId);
      await this.audit.record(
        manager,
        actor,
        'placement.viewed',
        { type: 'pupil', id: placement.pupilId },
        { placementId: placement.id },
      );
      return toPlacementDetail(await this.partsOf(manager, placement), this.today());
    });
  }

  /**
   * A page of the placements the actor reads (a PRU's, or a school's pupils' at a PRU), newest start
   * first, with the true total; the dashboard's "reviews due" soonest review first.
   */
  async list(actor: Actor, options: PlacementListOptions = {}): Promise<PlacementPage> {
    // A role that reads no placements is told so (403), not shown an empty list.
    if (!this.mayRead(actor)) throw new ForbiddenError();
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? PAGE_SIZE.default;
    const work = async (manager: EntityManager) => {
      const qb = this.matching(manager, actor, options);
      const total = await qb.getCount();
      if (options.reviewDueBy) qb.orderBy(NEXT_REVIEW_ON, 'ASC').addOrderBy('p.id', 'ASC');
      else qb.orderBy('p.start_on', 'DESC').addOrderBy('p.placed_at', 'DESC').addOrderBy('p.id', 'ASC');
      const rows = await qb
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getMany();
      const items = (await this.partsOfMany(manager, rows)).map((parts) => toPlacementListItem(parts, this.today()));
      if (options.audited !== false) {
        await this.audit.record(
          manager,
          actor,
          'placement.viewed',
          { type: 'organisation', id: actor.organisationId },
          { status: options.status ?? null, page, placementIds: items.map((item) => item.id) },
        );
      }
      return { items, page, pageSize, total };
    };
    return this.unitOfWork.read(work);
  }

  /**
   * The dashboard's glance (not audited as a list: home/dashboard.service.ts): a PRU's active placements
   * whose review is due within REVIEW_DUE_WITHIN_DAYS days or overdue; a school's pupils placed at a PRU now.
   * `counted`: the glance's true total when the caller has just counted it (`dashboardCountQuery`): none
   * means nothing to read.
   */
  async dashboard(
    actor: Actor,
    pageSize = 10,
    counted?: number,
  ): Promise<{ side: 'pru' | 'home'; placements: PlacementPage } | null> {
    if (!this.mayRead(actor)) return null;
    const side = actor.organisationKind === 'pru' ? 'pru' : 'home';
    if (counted === 0) return { side, placements: { items: [], page: 1, pageSize, total: 0 } };
    const glance = this.dashboardOptions(actor);
    return { side, placements: await this.list(actor, { ...glance, pageSize, audited: false }) };
  }

  /** The dashboard glance's placements, as a query for the dashboard to count beside its other counts; null for whoever reads none. */
  dashboardCountQuery(actor: Actor): SelectQueryBuilder<Placement> | null {
    if (!this.mayRead(actor)) return null;
    return this.matching(this.unitOfWork.manager, actor, this.dashboardOptions(actor));
  }

  private dashboardOptions(actor: Actor): PlacementListOptions {
    return actor.organisationKind === 'pru'
      ? { reviewDueBy: addDays(this.today(), REVIEW_DUE_WITHIN_DAYS) }
      : { status: 'active' };
  }

  /** The placements the actor reads, narrowed by the list's filters. */
  private matching(manager: EntityManager, actor: Actor, options: PlacementListOptions): SelectQueryBuilder<Placement> {
    const qb = this.accessPolicy.restrictPlacements(actor, this.placements(manager), 'p');
    if (options.status === 'active' || options.reviewDueBy) qb.andWhere(`NOT ${ENDED}`);
    else if (options.status === 'ended') qb.andWhere(ENDED);
    if (options.reviewDueBy) {
      qb.andWhere(`${NEXT_REVIEW_ON} IS NOT NULL AND ${NEXT_REVIEW_ON} <= :reviewDueBy`, {
        reviewDueBy: options.reviewDueBy,
      });
    }
    return qb;
  }

  private today(): string {
    return londonDateOf(new Date());
  }

  private placements(manager: EntityManager): SelectQueryBuilder<Placement> {
    return manager.getRepository(Placement).createQueryBuilder('p');
  }

  /** The placement if the actor may read it, else NotFoundError (exactly as a missing one). */
  private async findVisible(manager: EntityManager, actor: Actor, placementId: string): Promise<Placement> {
    const qb = this.placements(manager).where('p.id = :placementId', { placementId });
    const placement = await this.accessPolicy.restrictPlacements(actor, qb, 'p').getOne();
    if (!placement) throw new NotFoundError('Placement');
    return placement;
  }

  /**
   * The placement to review or end: visible (else 404), run by the actor's PRU (else 403), locked while
   * it changes (PostgreSQL) and not ended (else 422).
   */
  private async runnable(manager: EntityManager, actor: Actor, placementId: string): Promise<Placement> {
    const visible = await this.findVisible(manager, actor, placementId);
    this.accessPolicy.assertMayRunPlacement(actor, visible.pruId);
    const placement = await this.unitOfWork
      .lockRows(this.placements(manager).where('p.id = :placementId', { placementId }))
      .getOneOrFail();
    if ((await this.endingsOf(manager, [placement.id])).size > 0)
      throw new PlacementRuleError(PlacementError.AlreadyEnded);
    return placement;
  }

  private async endingsOf(manager: EntityManager, placementIds: string[]): Promise<Map<string, PlacementEnding>> {
    if (placementIds.length === 0) return new Map();
    const endings = await manager.getRepository(PlacementEnding).find({ where: { placementId: In(placementIds) } });
    return new Map(endings.map((ending) => [ending.placementId, ending]));
  }

  private async partsOf(manager: EntityManager, placement: Placement): Promise<PlacementParts> {
    return (await this.partsOfMany(manager, [placement]))[0];
  }

  /** Each placement with its reviews, ending, pupil and organisations' names: four queries for any number. */
  private async partsOfMany(manager: EntityManager, placements: Placement[]): Promise<PlacementParts[]> {
    if (placements.length === 0) return [];
    const ids = placements.map((placement) => placement.id);
    const [reviews, endings, pupils, names] = await inSequence([
      () =>
        manager
          .getRepository(PlacementReview)
          .find({ where: { placementId: In(ids) }, order: { reviewedAt: 'ASC', id: 'ASC' } }),
      () => this.endingsOf(manager, ids),
      () =>
        this.pupils.byIds(
          manager,
          placements.map((placement) => placement.pupilId),
        ),
      () =>
        this.organisations.namesByIds(manager, [
          ...new Set(placements.flatMap((placement) => [placement.pruId, placement.homeOrganisationId])),
        ]),
    ] as const);
    return placements.map((placement) => ({
      placement,
      reviews: reviews.filter((review) => review.placementId === placement.id),
      ending: endings.get(placement.id) ?? null,
      pupil: pupils.get(placement.pupilId)!,
      names,
    }));
  }
}
