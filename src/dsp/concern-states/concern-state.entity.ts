import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/**
 * A DERIVED read model, one row per concern: its status and current (latest) decision, as the lists
 * and the DSP's dashboard need them. Not a safeguarding record: it is written only by
 * `ConcernStateWriter` (concern-states.ts), in the same transaction as every append that changes it
 * (a concern recorded, a decision, a closure, a referral sent), and `rebuildConcernStates` can rebuild
 * it from the appended records at any time. The rule stays `concernStatus` (concern-status.ts);
 * test/medium/derived-status.medium-spec.ts checks the stored row agrees after each kind of append.
 *
 * `list_key` makes the concern list's order one ascending index order within a status: the time it
 * was recorded while awaiting triage or open (oldest first), and the same time with its digits
 * inverted once closed (most recent first).
 */
@Entity('concern_states')
@Index('idx_concern_states_list', ['organisationId', 'statusRank', 'listKey', 'concernId'])
@Index('idx_concern_states_queue', ['organisationId', 'statusRank', 'triageRank', 'recordedAt', 'concernId'])
@Index('idx_concern_states_pending', ['organisationId', 'referralPending', 'decisionDecidedAt', 'decisionId'])
@Index('idx_concern_states_below', [
  'organisationId',
  'statusRank',
  'decisionBelowGuidance',
  'decisionDecidedAt',
  'decisionId',
])
// The DSP's counts narrow by the pupils on the roll: this holds what they test (migration 1764640600000),
// with when each was recorded for what an organisation keeps after a pupil leaves (1764641400000).
@Index('idx_concern_states_counts', [
  'organisationId',
  'statusRank',
  'pupilId',
  'emergency',
  'referralPending',
  'decisionBelowGuidance',
  'recordedAt',
])
@Index('idx_concern_states_recorder', ['organisationId', 'recordedByUserId', 'recordedAt', 'concernId'])
@Index('idx_concern_states_phoned', ['decisionPhonedAt'], { where: "referral_pending = 'phoned'" })
export class ConcernState {
  @PrimaryColumn({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'recorded_by_user_id', type: 'varchar', length: 36 })
  recordedByUserId: string;

  @InstantColumn({ name: 'recorded_at' })
  recordedAt: Date;

  @InstantColumn({ name: 'occurred_at' })
  occurredAt: Date;

  /** 0 awaiting triage, 1 open, 2 closed (CONCERN_STATUSES' order). */
  @Column({ name: 'status_rank', type: 'integer' })
  statusRank: number;

  @Column({ name: 'list_key', type: 'varchar', length: 24 })
  listKey: string;

  /** Any emergency (level-0) indicator. */
  @Column({ type: 'boolean' })
  emergency: boolean;

  /** 0 for an emergency, 1 otherwise: the triage queue's first key. */
  @Column({ name: 'triage_rank', type: 'integer' })
  triageRank: number;

  /** Any referral sent on the concern. */
  @Column({ type: 'boolean' })
  referred: boolean;

  // The current decision (the latest by decided_at, then id), or nulls.
  @Column({ name: 'decision_id', type: 'varchar', length: 36, nullable: true })
  decisionId: string | null;

  @Column({ name: 'decision_outcome', type: 'varchar', length: 30, nullable: true })
  decisionOutcome: string | null;

  @Column({ name: 'decision_guidance_level', type: 'integer', nullable: true })
  decisionGuidanceLevel: number | null;

  @Column({ name: 'decision_below_guidance', type: 'boolean' })
  decisionBelowGuidance: boolean;

  @InstantColumn({ name: 'decision_phoned_at', nullable: true })
  decisionPhonedAt: Date | null;

  @InstantColumn({ name: 'decision_decided_at', nullable: true })
  decisionDecidedAt: Date | null;

  /**
   * The concern is not closed, its current decision is to refer, and nothing was sent on that route:
   * 'phoned' (the DSP phoned, the written referral is due) or 'not_sent'; otherwise null.
   */
  @Column({ name: 'referral_pending', type: 'varchar', length: 10, nullable: true })
  referralPending: 'phoned' | 'not_sent' | null;

  @InstantColumn({ name: 'closed_at', nullable: true })
  closedAt: Date | null;
}
