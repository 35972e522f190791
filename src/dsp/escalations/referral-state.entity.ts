import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';
import { EscalationRoute } from '../../guidance/codes';

/**
 * A derived read model, not a record: one row per referral with its status as the rule in
 * referral-status.ts derives it from the appended rows (escalations, escalation_acknowledgements,
 * escalation_outcomes). It is rewritten from those rows by `EscalationRepository.project` in the same
 * transaction as every append that changes it, and can be rebuilt from them at any time
 * (`rebuildReferralStates`). The inboxes, dashboards and the school's lists order, filter and count
 * referrals by it through its indexes, instead of a correlated EXISTS per referral of all history.
 * Column names match `escalations` where they mean the same, so `AccessPolicy.restrictEscalations`
 * narrows a query on it as it narrows one on the referrals.
 */
@Entity('referral_states')
@Index('idx_referral_states_inbox', ['localAuthorityId', 'route', 'inboxKey', 'escalationId'])
@Index('idx_referral_states_status', ['localAuthorityId', 'route', 'statusRank', 'inboxKey', 'escalationId'])
@Index('idx_referral_states_overdue', ['localAuthorityId', 'route', 'dueBy'], { where: 'status_rank < 2' })
@Index('idx_referral_states_due', ['dueBy'], { where: 'status_rank < 2' })
@Index('idx_referral_states_unacknowledged', ['sentAt'], { where: 'status_rank = 0' })
@Index('idx_referral_states_sent', ['organisationId', 'sentAt', 'escalationId'])
@Index('idx_referral_states_sent_status', ['organisationId', 'statusRank', 'sentAt', 'escalationId'])
@Index('idx_referral_states_sent_undecided', ['organisationId', 'sentAt', 'escalationId'], {
  where: 'status_rank < 2',
})
export class ReferralState {
  @PrimaryColumn({ name: 'escalation_id', type: 'varchar', length: 36 })
  escalationId: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  /** The sending school or PRU. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  /** The receiving local authority; with `route`, the receiving team. */
  @Column({ name: 'local_authority_id', type: 'varchar', length: 36 })
  localAuthorityId: string;

  @Column({ type: 'varchar', length: 30 })
  route: EscalationRoute;

  /** 0 sent, 1 acknowledged, 2 decided (REFERRAL_STATUS_RANK). */
  @Column({ name: 'status_rank', type: 'integer' })
  statusRank: number;

  @InstantColumn({ name: 'sent_at' })
  sentAt: Date;

  @InstantColumn({ name: 'due_by' })
  dueBy: Date;

  @InstantColumn({ name: 'acknowledged_at', nullable: true })
  acknowledgedAt: Date | null;

  @InstantColumn({ name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  /**
   * The inbox's order as one ascending text key: undecided referrals first, oldest first (`0` and the
   * send time), then decided ones, most recently sent first (`1` and the send time with each digit
   * mapped to a letter in reverse, so a later time sorts earlier).
   */
  @Column({ name: 'inbox_key', type: 'varchar', length: 30 })
  inboxKey: string;
}
