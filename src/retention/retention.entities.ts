import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn, JsonColumn } from '../common/columns';

/** A legal hold on a pupil's records: it stands (and stops any disposal) until a LegalHoldLift names it. */
@Entity('legal_holds')
export class LegalHold {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ type: 'text' })
  reason: string;

  @InstantColumn({ name: 'placed_at' })
  placedAt: Date;

  @Column({ name: 'placed_by_user_id', type: 'varchar', length: 36 })
  placedByUserId: string;

  @Column({ name: 'placed_by_name', type: 'varchar', length: 200 })
  placedByName: string;

  @Column({ name: 'placed_by_role', type: 'varchar', length: 20 })
  placedByRole: string;

  @Column({ name: 'placed_by_organisation_id', type: 'varchar', length: 36 })
  placedByOrganisationId: string;
}

/** The lifting of one hold, written once (the primary key is the hold). */
@Entity('legal_hold_lifts')
export class LegalHoldLift {
  @PrimaryColumn({ name: 'hold_id', type: 'varchar', length: 36 })
  holdId: string;

  @Column({ type: 'text' })
  reason: string;

  @InstantColumn({ name: 'lifted_at' })
  liftedAt: Date;

  @Column({ name: 'lifted_by_user_id', type: 'varchar', length: 36 })
  liftedByUserId: string;

  @Column({ name: 'lifted_by_name', type: 'varchar', length: 200 })
  liftedByName: string;

  @Column({ name: 'lifted_by_role', type: 'varchar', length: 20 })
  liftedByRole: string;

  @Column({ name: 'lifted_by_organisation_id', type: 'varchar', length: 36 })
  liftedByOrganisationId: string;
}

/** Person A's proposal to dispose of a pupil's records: pending until a DisposalDecision names it. */
@Entity('disposal_proposals')
export class DisposalProposal {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ type: 'text' })
  reason: string;

  @InstantColumn({ name: 'proposed_at' })
  proposedAt: Date;

  @Column({ name: 'proposed_by_user_id', type: 'varchar', length: 36 })
  proposedByUserId: string;

  @Column({ name: 'proposed_by_name', type: 'varchar', length: 200 })
  proposedByName: string;

  @Column({ name: 'proposed_by_role', type: 'varchar', length: 20 })
  proposedByRole: string;

  @Column({ name: 'proposed_by_organisation_id', type: 'varchar', length: 36 })
  proposedByOrganisationId: string;
}

export const DISPOSAL_OUTCOMES = ['approved', 'cancelled'] as const;
export type DisposalOutcome = (typeof DISPOSAL_OUTCOMES)[number];

/** How a proposal ended: approved by a second person (the records were disposed of) or cancelled. Written once. */
@Entity('disposal_decisions')
export class DisposalDecision {
  @PrimaryColumn({ name: 'proposal_id', type: 'varchar', length: 36 })
  proposalId: string;

  @Column({ type: 'varchar', length: 20 })
  outcome: DisposalOutcome;

  @InstantColumn({ name: 'decided_at' })
  decidedAt: Date;

  @Column({ name: 'decided_by_user_id', type: 'varchar', length: 36 })
  decidedByUserId: string;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 200 })
  decidedByName: string;

  @Column({ name: 'decided_by_role', type: 'varchar', length: 20 })
  decidedByRole: string;

  @Column({ name: 'decided_by_organisation_id', type: 'varchar', length: 36 })
  decidedByOrganisationId: string;
}

/** What kinds of record a disposal removed the content of, and how many of each. */
export interface DisposedCounts {
  concerns: number;
  decisions: number;
  closures: number;
  amendments: number;
  attachments: number;
  actions: number;
  actionCompletions: number;
  referrals: number;
  referralAcknowledgements: number;
  referralOutcomes: number;
}

/** The tombstone: who proposed and who approved the disposal, when, why, and what kinds of record (one per pupil). */
@Entity('disposals')
export class Disposal {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36, unique: true })
  pupilId: string;

  @Column({ name: 'proposal_id', type: 'varchar', length: 36 })
  proposalId: string;

  @CalendarDateColumn({ name: 'review_on' })
  reviewOn: string;

  @Column({ type: 'text' })
  reason: string;

  @InstantColumn({ name: 'proposed_at' })
  proposedAt: Date;

  @Column({ name: 'proposed_by_user_id', type: 'varchar', length: 36 })
  proposedByUserId: string;

  @Column({ name: 'proposed_by_name', type: 'varchar', length: 200 })
  proposedByName: string;

  @Column({ name: 'proposed_by_role', type: 'varchar', length: 20 })
  proposedByRole: string;

  @Column({ name: 'proposed_by_organisation_id', type: 'varchar', length: 36 })
  proposedByOrganisationId: string;

  @InstantColumn({ name: 'disposed_at' })
  disposedAt: Date;

  @Column({ name: 'approved_by_user_id', type: 'varchar', length: 36 })
  approvedByUserId: string;

  @Column({ name: 'approved_by_name', type: 'varchar', length: 200 })
  approvedByName: string;

  @Column({ name: 'approved_by_role', type: 'varchar', length: 20 })
  approvedByRole: string;

  @Column({ name: 'approved_by_organisation_id', type: 'varchar', length: 36 })
  approvedByOrganisationId: string;

  @JsonColumn()
  counts: DisposedCounts;
}
