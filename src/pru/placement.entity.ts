import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn } from '../common/columns';

export const PLACEMENT_TYPES = ['dual', 'full_time'] as const;
export type PlacementType = (typeof PLACEMENT_TYPES)[number];

export const PLACEMENT_REASONS = ['excluded', 'at_risk_of_exclusion', 'medical', 'other'] as const;
export type PlacementReason = (typeof PLACEMENT_REASONS)[number];

export const PLACEMENT_OUTCOMES = [
  'reintegrated',
  'other_provision',
  'stays_at_pru',
  'left_education',
  'other',
] as const;
export type PlacementOutcome = (typeof PLACEMENT_OUTCOMES)[number];

export const PLACEMENT_STATUSES = ['active', 'ended'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/**
 * A pupil placed at a PRU from their home school (API.md, "PRU placements and moving school"). Written
 * once; its reviews and its ending are rows of their own, so its status is derived (active until it has
 * an ending). `sequence` numbers the pupil's placements at this PRU from 1: unique with the pupil and
 * the PRU, so two placements started at once for the same pupil cannot both be the next one (one
 * active placement per pupil at a PRU, on both engines, without a lock).
 */
@Entity('placements')
@Index('idx_placements_pupil_pru_sequence', ['pupilId', 'pruId', 'sequence'], { unique: true })
@Index('idx_placements_pru', ['pruId', 'startOn'])
@Index('idx_placements_home', ['homeOrganisationId', 'startOn'])
export class Placement {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'pru_id', type: 'varchar', length: 36 })
  pruId: string;

  @Column({ name: 'home_organisation_id', type: 'varchar', length: 36 })
  homeOrganisationId: string;

  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar', length: 20 })
  type: PlacementType;

  @Column({ type: 'varchar', length: 30 })
  reason: PlacementReason;

  @Column({ name: 'reason_detail', type: 'text', nullable: true })
  reasonDetail: string | null;

  @CalendarDateColumn({ name: 'start_on' })
  startOn: string;

  @CalendarDateColumn({ name: 'review_on', nullable: true })
  reviewOn: string | null;

  /** The pupil's `dual` enrolment at the PRU that the placement started (and its ending ends). */
  @Column({ name: 'enrolment_id', type: 'varchar', length: 36 })
  enrolmentId: string;

  @Column({ name: 'placed_by_user_id', type: 'varchar', length: 36 })
  placedByUserId: string;

  @Column({ name: 'placed_by_name', type: 'varchar', length: 200 })
  placedByName: string;

  @Column({ name: 'placed_by_role', type: 'varchar', length: 30 })
  placedByRole: string;

  @Column({ name: 'placed_by_organisation_id', type: 'varchar', length: 36 })
  placedByOrganisationId: string;

  @InstantColumn({ name: 'placed_at' })
  placedAt: Date;
}

/** A review of a placement: what was said and when the next one is. Appended, never edited. */
@Entity('placement_reviews')
@Index('idx_placement_reviews_placement', ['placementId', 'reviewedAt'])
export class PlacementReview {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'placement_id', type: 'varchar', length: 36 })
  placementId: string;

  @Column({ type: 'text' })
  note: string;

  @CalendarDateColumn({ name: 'next_review_on', nullable: true })
  nextReviewOn: string | null;

  @Column({ name: 'reviewed_by_user_id', type: 'varchar', length: 36 })
  reviewedByUserId: string;

  @Column({ name: 'reviewed_by_name', type: 'varchar', length: 200 })
  reviewedByName: string;

  @Column({ name: 'reviewed_by_role', type: 'varchar', length: 30 })
  reviewedByRole: string;

  @Column({ name: 'reviewed_by_organisation_id', type: 'varchar', length: 36 })
  reviewedByOrganisationId: string;

  @InstantColumn({ name: 'reviewed_at' })
  reviewedAt: Date;
}

/** How a placement ended (one per placement: the unique key makes a second, concurrent ending fail). */
@Entity('placement_endings')
@Index('idx_placement_endings_placement', ['placementId'], { unique: true })
export class PlacementEnding {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'placement_id', type: 'varchar', length: 36 })
  placementId: string;

  @CalendarDateColumn({ name: 'end_on' })
  endOn: string;

  @Column({ type: 'varchar', length: 30 })
  outcome: PlacementOutcome;

  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'ended_by_user_id', type: 'varchar', length: 36 })
  endedByUserId: string;

  @Column({ name: 'ended_by_name', type: 'varchar', length: 200 })
  endedByName: string;

  @Column({ name: 'ended_by_role', type: 'varchar', length: 30 })
  endedByRole: string;

  @Column({ name: 'ended_by_organisation_id', type: 'varchar', length: 36 })
  endedByOrganisationId: string;

  @InstantColumn({ name: 'ended_at' })
  endedAt: Date;
}
