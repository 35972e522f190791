import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../common/columns';
import type { AuditDetails } from './audit-entry.entity';

/**
 * An audit entry committed with the change or read it records but not yet on the chain (PostgreSQL
 * only): `AuditChainer` moves it onto `audit_entries`, with its `seq` and hashes, in one transaction
 * that also deletes it here. A queue, not a record: the entry itself is never edited, only moved.
 */
@Entity('audit_pending')
export class AuditPendingEntry {
  /**
   * Insertion order; the chainer takes committed entries in this order, a transaction's together.
   * BIGINT on PostgreSQL, which node-postgres reads as a string: only compared and passed back.
   */
  @PrimaryGeneratedColumn('increment')
  position: number | string;

  @Column({ type: 'varchar', length: 36, unique: true })
  id: string;

  /** The transaction that recorded it (one id per transaction's entries): they stay together on the chain. */
  @Column({ type: 'varchar', length: 36 })
  batch: string;

  @InstantColumn()
  at: Date;

  @Column({ name: 'actor_user_id', type: 'varchar', length: 36, nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ name: 'actor_organisation_id', type: 'varchar', length: 36, nullable: true })
  actorOrganisationId: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 40 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string;

  @JsonColumn({ nullable: true })
  details: AuditDetails | null;

  /** Becomes `audit_entries.pupil_id` (outside the hash) when the entry is chained. */
  @Column({ name: 'pupil_id', type: 'varchar', length: 36, nullable: true })
  pupilId: string | null;
}
