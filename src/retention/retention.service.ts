import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { londonDateOf } from '../calendar/london-time';
import { Actor } from '../common/actor';
import { NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { PAGE_SIZE } from '../common/paging';
import { UnitOfWork } from '../database/unit-of-work';
import { Concern } from '../dsp/concerns/concern.entity';
import { Pupil } from '../school/pupil.entity';
import { RecordDisposer } from './record-disposer';
import { RetentionError, RetentionRuleError } from './retention-errors';
import { isDueForReview, reviewCutOff, reviewDateOf } from './retention-rules';
import {
  Disposal,
  DisposalDecision,
  DisposalOutcome,
  DisposalProposal,
  DisposedCounts,
  LegalHold,
  LegalHoldLift,
} from './retention.entities';

export interface RetentionPupil {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

export interface RetentionPerson {
  userId: string;
  name: string;
  role: string;
}

export interface RetentionStatus {
  pupil: RetentionPupil;
  /** The pupil's 25th birthday (London date). */
  reviewOn: string;
  due: boolean;
  legalHold: { id: string; reason: string; placedAt: string; placedBy: RetentionPerson } | null;
  pendingDisposal: { id: string; reason: string; proposedAt: string; proposedBy: RetentionPerson } | null;
  disposal: {
    id: string;
    reason: string;
    proposedAt: string;
    proposedBy: RetentionPerson;
    disposedAt: string;
    approvedBy: RetentionPerson;
    counts: DisposedCounts;
  } | null;
}

export interface RetentionReviewItem {
  pupil: RetentionPupil;
  reviewOn: string;
  legalHold: boolean;
  pendingDisposal: boolean;
}

export interface RetentionReviewPage {
  items: RetentionReviewItem[];
  page: number;
  pageSize: number;
  total: number;
}

/** SQL (pupil column `pupil.id`): safeguarding records of the pupil were made where AccessPolicy says. */
const RECORDS = {
  heldAt: (organisationParam: string) =>
    `EXISTS (SELECT 1 FROM concerns rc WHERE rc.pupil_id = pupil.id AND rc.organisation_id = :${organisationParam})`,
  heldInLocalAuthority: (localAuthorityParam: string) =>
    `EXISTS (SELECT 1 FROM concerns rc INNER JOIN organisations ro ON ro.id = rc.organisation_id WHERE rc.pupil_id = pupil.id AND ro.local_authority_id = :${localAuthorityParam})`,
};

const NOT_DISPOSED = 'NOT EXISTS (SELECT 1 FROM disposals rd WHERE rd.pupil_id = pupil.id)';

const person = (userId: string, name: string, role: string): RetentionPerson => ({ userId, name, role });

/**
 * Retention review (issue 14, DOMAIN.md "Retention"): records reach review at the pupil's 25th
 * birthday; a DSP (their organisation's records) or the LA lead (the local authority's) reviews them,
 * may place and lift legal holds, and disposes of them only as two people: one proposes, another
 * approves, and the approval removes the content (RecordDisposer) and keeps a tombstone, with its audit
 * entry, in one transaction. Nothing is disposed of automatically: no scheduler calls this.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly disposer: RecordDisposer,
  ) {}

  /** Whether the actor reviews retention at all (the menu, the list page). */
  mayReview(actor: Actor): boolean {
    return this.accessPolicy.may(actor, 'retention.review');
  }

  /**
   * The pupils whose records the actor reviews that have reached review and are not disposed of,
   * oldest review date first, one page with the true total. One indexed range over dates of birth.
   */
  async reviews(actor: Actor, options: { page?: number; pageSize?: number } = {}): Promise<RetentionReviewPage> {
    this.accessPolicy.require(actor, 'retention.review');
    const page = Math.max(1, Math.floor(options.page ?? 1));
    const pageSize = Math.min(PAGE_SIZE.max, Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE.default)));
    return this.unitOfWork.read(async (manager) => {
      const cutOff = reviewCutOff(londonDateOf(new Date()));
      const matching = () =>
        this.accessPolicy.restrictRetention(
          actor,
          manager
            .getRepository(Pupil)
            .createQueryBuilder('pupil')
            .where('pupil.date_of_birth <= :cutOff', { cutOff })
            .andWhere(NOT_DISPOSED),
          RECORDS,
        );
      const counted = await matching().select('COUNT(*)', 'total').getRawOne<{ total: string | number }>();
      const total = Number(counted?.total ?? 0);
      const pupils =
        total > (page - 1) * pageSize
          ? await matching()
              .orderBy('pupil.date_of_birth', 'ASC')
              .addOrderBy('pupil.id', 'ASC')
              .skip((page - 1) * pageSize)
              .take(pageSize)
              .getMany()
          : [];
      const ids = pupils.map((pupil) => pupil.id);
      const held = await this.heldAmong(manager, ids);
      const pending = await this.pendingAmong(manager, ids);
      await this.audit.record(
        manager,
        actor,
        'retention_list.viewed',
        { type: 'organisation', id: actor.organisationId },
        { page, pupilIds: ids },
      );
      return {
        items: pupils.map((pupil) => ({
          pupil: toRetentionPupil(pupil),
          reviewOn: reviewDateOf(pupil.dateOfBirth),
          legalHold: held.has(pupil.id),
          pendingDisposal: pending.has(pupil.id),
        })),
        page,
        pageSize,
        total,
      };
    });
  }

  /** One pupil's retention: the review date, any hold, a pending proposal, the tombstone. 404 if not theirs to review. */
  async status(actor: Actor, pupilId: string): Promise<RetentionStatus> {
    return this.unitOfWork.read(async (manager) => {
      const pupil = await this.reviewedPupil(manager, actor, pupilId);
      await this.audit.record(manager, actor, 'retention.viewed', { type: 'pupil', id: pupilId });
      return this.statusOf(manager, pupil);
    });
  }

  async placeHold(actor: Actor, pupilId: string, dto: { reason: string }): Promise<RetentionStatus> {
    return this.unitOfWork.run(async (manager) => {
      const pupil = await this.lockedPupil(manager, actor, pupilId);
      if (await this.disposalOf(manager, pupilId)) throw new RetentionRuleError(RetentionError.AlreadyDisposed);
      if (await this.currentHold(manager, pupilId)) throw new RetentionRuleError(RetentionError.AlreadyHeld);
      const hold: LegalHold = {
        id: newId(),
        pupilId,
        reason: dto.reason,
        placedAt: new Date(),
        placedByUserId: actor.userId,
        placedByName: actor.name,
        placedByRole: actor.role,
        placedByOrganisationId: actor.organisationId,
      };
      await manager.getRepository(LegalHold).insert(hold);
      await this.audit.record(manager, actor, 'legal_hold.placed', { type: 'pupil', id: pupilId }, { holdId: hold.id });
      return this.statusOf(manager, pupil);
    });
  }

  async liftHold(actor: Actor, pupilId: string, dto: { reason: string }): Promise<RetentionStatus> {
    return this.unitOfWork.run(async (manager) => {
      const pupil = await this.lockedPupil(manager, actor, pupilId);
      const hold = await this.currentHold(manager, pupilId);
      if (!hold) throw new RetentionRuleError(RetentionError.NotHeld);
      // A hold is its placer's: another school must not undo, say, the police's request to the first.
      if (!isLocalAuthorityLead(actor) && hold.placedByOrganisationId !== actor.organisationId)
        throw new RetentionRuleError(RetentionError.HoldPlacedElsewhere);
      await manager.getRepository(LegalHoldLift).insert({
        holdId: hold.id,
        reason: dto.reason,
        liftedAt: new Date(),
        liftedByUserId: actor.userId,
        liftedByName: actor.name,
        liftedByRole: actor.role,
        liftedByOrganisationId: actor.organisationId,
      });
      await this.audit.record(manager, actor, 'legal_hold.lifted', { type: 'pupil', id: pupilId }, { holdId: hold.id });
      return this.statusOf(manager, pupil);
    });
  }

  /** Person A: proposes disposing of the pupil's records. Refused while held, before review, or while one is pending. */
  async propose(actor: Actor, pupilId: string, dto: { reason: string }): Promise<RetentionStatus> {
    return this.unitOfWork.run(async (manager) => {
      const pupil = await this.lockedPupil(manager, actor, pupilId);
      await this.assertDisposable(manager, pupil);
      await this.assertAllRecordsHeldBy(manager, actor, pupil);
      if (await this.pendingProposal(manager, pupilId)) throw new RetentionRuleError(RetentionError.DisposalPending);
      const proposal: DisposalProposal = {
        id: newId(),
        pupilId,
        reason: dto.reason,
        proposedAt: new Date(),
        proposedByUserId: actor.userId,
        proposedByName: actor.name,
        proposedByRole: actor.role,
        proposedByOrganisationId: actor.organisationId,
      };
      await manager.getRepository(DisposalProposal).insert(proposal);
      await this.audit.record(
        manager,
        actor,
        'disposal.proposed',
        { type: 'pupil', id: pupilId },
        { proposalId: proposal.id },
      );
      return this.statusOf(manager, pupil);
    });
  }

  /**
   * Person B: approves a pending proposal, and the records' content is removed, the tombstone written
   * and the disposal audited, all in this one transaction. Someone else than the proposer (422
   * `disposal_same_person`); refused while a hold stands (`legal_hold`) or before review (`not_yet_due`).
   */
  async approve(actor: Actor, proposalId: string): Promise<RetentionStatus> {
    return this.unitOfWork.run(async (manager) => {
      const { proposal, pupil } = await this.pendingFor(manager, actor, proposalId);
      if (proposal.proposedByUserId === actor.userId) throw new RetentionRuleError(RetentionError.SamePerson);
      // The second person answers for the same records: a colleague of the proposer, or the LA lead.
      if (!isLocalAuthorityLead(actor) && proposal.proposedByOrganisationId !== actor.organisationId)
        throw new RetentionRuleError(RetentionError.ApproverOtherOrganisation);
      await this.assertDisposable(manager, pupil);
      await this.assertAllRecordsHeldBy(manager, actor, pupil);
      await this.decide(manager, actor, proposal, 'approved');
      const counts = await this.disposer.dispose(manager, pupil.id, actor);
      const disposal: Disposal = {
        id: newId(),
        pupilId: pupil.id,
        proposalId: proposal.id,
        reviewOn: reviewDateOf(pupil.dateOfBirth),
        reason: proposal.reason,
        proposedAt: proposal.proposedAt,
        proposedByUserId: proposal.proposedByUserId,
        proposedByName: proposal.proposedByName,
        proposedByRole: proposal.proposedByRole,
        proposedByOrganisationId: proposal.proposedByOrganisationId,
        disposedAt: new Date(),
        approvedByUserId: actor.userId,
        approvedByName: actor.name,
        approvedByRole: actor.role,
        approvedByOrganisationId: actor.organisationId,
        counts,
      };
      await manager.getRepository(Disposal).insert(disposal);
      await this.audit.record(
        manager,
        actor,
        'disposal.approved',
        { type: 'pupil', id: pupil.id },
        {
          proposalId: proposal.id,
          disposalId: disposal.id,
          proposedBy: proposal.proposedByUserId,
          ...counts,
        },
      );
      return this.statusOf(manager, pupil);
    });
  }

  /** Either person (anyone who reviews the pupil's retention) cancels a pending proposal; nothing is disposed of. */
  async cancel(actor: Actor, proposalId: string): Promise<RetentionStatus> {
    return this.unitOfWork.run(async (manager) => {
      const { proposal, pupil } = await this.pendingFor(manager, actor, proposalId);
      await this.decide(manager, actor, proposal, 'cancelled');
      await this.audit.record(
        manager,
        actor,
        'disposal.cancelled',
        { type: 'pupil', id: pupil.id },
        { proposalId: proposal.id },
      );
      return this.statusOf(manager, pupil);
    });
  }

  /** The pupil of a proposal (404 if the proposal or its pupil is not the actor's to review), locked; 422 if decided. */
  async proposalPupilId(actor: Actor, proposalId: string): Promise<string> {
    return this.unitOfWork.read(async (manager) => {
      const proposal = await manager.getRepository(DisposalProposal).findOneBy({ id: proposalId });
      if (!proposal) throw new NotFoundError('Disposal');
      await this.reviewedPupil(manager, actor, proposal.pupilId, 'Disposal');
      return proposal.pupilId;
    });
  }

  private async pendingFor(manager: EntityManager, actor: Actor, proposalId: string) {
    const proposal = await manager.getRepository(DisposalProposal).findOneBy({ id: proposalId });
    if (!proposal) throw new NotFoundError('Disposal');
    const pupil = await this.lockedPupil(manager, actor, proposal.pupilId, 'Disposal');
    if (await manager.getRepository(DisposalDecision).existsBy({ proposalId }))
      throw new RetentionRuleError(RetentionError.NotPending);
    return { proposal, pupil };
  }

  private async decide(manager: EntityManager, actor: Actor, proposal: DisposalProposal, outcome: DisposalOutcome) {
    await manager.getRepository(DisposalDecision).insert({
      proposalId: proposal.id,
      outcome,
      decidedAt: new Date(),
      decidedByUserId: actor.userId,
      decidedByName: actor.name,
      decidedByRole: actor.role,
      decidedByOrganisationId: actor.organisationId,
    });
  }

  private async assertDisposable(manager: EntityManager, pupil: Pupil): Promise<void> {
    if (await this.disposalOf(manager, pupil.id)) throw new RetentionRuleError(RetentionError.AlreadyDisposed);
    if (await this.currentHold(manager, pupil.id)) throw new RetentionRuleError(RetentionError.LegalHold);
    if (!isDueForReview(pupil.dateOfBirth, londonDateOf(new Date())))
      throw new RetentionRuleError(RetentionError.NotYetDue);
  }

  /**
   * A disposal removes all of the pupil's records, so a school or PRU may dispose of them only when it
   * alone made them (concerns, and the referrals, actions and files that hang on them); records at more
   * than one organisation are the local authority safeguarding lead's to dispose of.
   */
  private async assertAllRecordsHeldBy(manager: EntityManager, actor: Actor, pupil: Pupil): Promise<void> {
    if (isLocalAuthorityLead(actor)) return;
    const elsewhere = await manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .where('concern.pupil_id = :pupilId', { pupilId: pupil.id })
      .andWhere('concern.organisation_id != :organisationId', { organisationId: actor.organisationId })
      .getExists();
    if (elsewhere) throw new RetentionRuleError(RetentionError.RecordsHeldElsewhere);
  }

  /** The pupil if the actor reviews their retention, else 404 (403 first for a role that never does). */
  private async reviewedPupil(manager: EntityManager, actor: Actor, pupilId: string, what = 'Pupil'): Promise<Pupil> {
    if (!this.mayReview(actor)) throw new NotFoundError(what);
    const qb = manager.getRepository(Pupil).createQueryBuilder('pupil').where('pupil.id = :pupilId', { pupilId });
    const pupil = await this.accessPolicy.restrictRetention(actor, qb, RECORDS).getOne();
    if (!pupil) throw new NotFoundError(what);
    return pupil;
  }

  /** `reviewedPupil`, with the pupil's row locked until commit (PostgreSQL): one retention change per pupil at a time. */
  private async lockedPupil(manager: EntityManager, actor: Actor, pupilId: string, what = 'Pupil'): Promise<Pupil> {
    const pupil = await this.reviewedPupil(manager, actor, pupilId, what);
    await this.unitOfWork
      .lockRows(manager.getRepository(Pupil).createQueryBuilder('pupil').where('pupil.id = :pupilId', { pupilId }))
      .getOne();
    return pupil;
  }

  private async currentHold(manager: EntityManager, pupilId: string): Promise<LegalHold | null> {
    return manager
      .getRepository(LegalHold)
      .createQueryBuilder('hold')
      .leftJoin(LegalHoldLift, 'lift', 'lift.hold_id = hold.id')
      .where('hold.pupil_id = :pupilId', { pupilId })
      .andWhere('lift.hold_id IS NULL')
      .orderBy('hold.placed_at', 'DESC')
      .getOne();
  }

  private async pendingProposal(manager: EntityManager, pupilId: string): Promise<DisposalProposal | null> {
    return manager
      .getRepository(DisposalProposal)
      .createQueryBuilder('proposal')
      .leftJoin(DisposalDecision, 'decision', 'decision.proposal_id = proposal.id')
      .where('proposal.pupil_id = :pupilId', { pupilId })
      .andWhere('decision.proposal_id IS NULL')
      .orderBy('proposal.proposed_at', 'DESC')
      .getOne();
  }

  private disposalOf(manager: EntityManager, pupilId: string): Promise<Disposal | null> {
    return manager.getRepository(Disposal).findOneBy({ pupilId });
  }

  private async heldAmong(manager: EntityManager, pupilIds: string[]): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const rows = await manager
      .getRepository(LegalHold)
      .createQueryBuilder('hold')
      .leftJoin(LegalHoldLift, 'lift', 'lift.hold_id = hold.id')
      .select('hold.pupil_id', 'pupilId')
      .where('hold.pupil_id IN (:...pupilIds)', { pupilIds })
      .andWhere('lift.hold_id IS NULL')
      .getRawMany<{ pupilId: string }>();
    return new Set(rows.map((row) => row.pupilId));
  }

  private async pendingAmong(manager: EntityManager, pupilIds: string[]): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const rows = await manager
      .getRepository(DisposalProposal)
      .createQueryBuilder('proposal')
      .leftJoin(DisposalDecision, 'decision', 'decision.proposal_id = proposal.id')
      .select('proposal.pupil_id', 'pupilId')
      .where('proposal.pupil_id IN (:...pupilIds)', { pupilIds })
      .andWhere('decision.proposal_id IS NULL')
      .getRawMany<{ pupilId: string }>();
    return new Set(rows.map((row) => row.pupilId));
  }

  private async statusOf(manager: EntityManager, pupil: Pupil): Promise<RetentionStatus> {
    const reviewOn = reviewDateOf(pupil.dateOfBirth);
    const hold = await this.currentHold(manager, pupil.id);
    const disposal = await this.disposalOf(manager, pupil.id);
    const pending = disposal ? null : await this.pendingProposal(manager, pupil.id);
    return {
      pupil: toRetentionPupil(pupil),
      reviewOn,
      due: reviewOn <= londonDateOf(new Date()),
      legalHold: hold && {
        id: hold.id,
        reason: hold.reason,
        placedAt: hold.placedAt.toISOString(),
        placedBy: person(hold.placedByUserId, hold.placedByName, hold.placedByRole),
      },
      pendingDisposal: pending && {
        id: pending.id,
        reason: pending.reason,
        proposedAt: pending.proposedAt.toISOString(),
        proposedBy: person(pending.proposedByUserId, pending.proposedByName, pending.proposedByRole),
      },
      disposal: disposal && {
        id: disposal.id,
        reason: disposal.reason,
        proposedAt: disposal.proposedAt.toISOString(),
        proposedBy: person(disposal.proposedByUserId, disposal.proposedByName, disposal.proposedByRole),
        disposedAt: disposal.disposedAt.toISOString(),
        approvedBy: person(disposal.approvedByUserId, disposal.approvedByName, disposal.approvedByRole),
        counts: disposal.counts,
      },
    };
  }
}

const isLocalAuthorityLead = (actor: Actor) => actor.role === 'la_lead';

function toRetentionPupil(pupil: Pupil): RetentionPupil {
  return { id: pupil.id, firstName: pupil.firstName, lastName: pupil.lastName, dateOfBirth: pupil.dateOfBirth };
}
