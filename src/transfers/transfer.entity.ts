import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn } from '../common/columns';

/** How a file sent outside the local authority went (API.md). */
export const EXTERNAL_SEND_METHODS = ['secure_email', 'by_hand', 'post'] as const;
export type ExternalSendMethod = (typeof EXTERNAL_SEND_METHODS)[number];

/** What `previous_transfer_id` holds for a pupil's first transfer (a value, so the unique key covers it). */
export const FIRST_TRANSFER = 'first';

/**
 * A pupil's safeguarding file sent to another school or PRU of the local authority (`toOrganisationId`),
 * or recorded as sent outside it (`externalName`, `externalLocalAuthority`, `sentBy`). Written once; its
 * receipt is its own row (TransferReceipt), and its status is derived (transfer-rules.ts).
 *
 * One open transfer per pupil: each transfer names the pupil's transfer before it (`previousTransferId`,
 * FIRST_TRANSFER for the first), under the unique key (pupil_id, previous_transfer_id). Two sends at
 * once both name the same previous transfer, so the second insert fails on the key and answers 422, on
 * either engine, without a lock and without editing or deleting a row.
 */
@Entity('transfers')
@Index('uq_transfers_pupil_previous', ['pupilId', 'previousTransferId'], { unique: true })
@Index('idx_transfers_from', ['fromOrganisationId', 'sentAt'])
@Index('idx_transfers_to', ['toOrganisationId', 'sentAt'])
@Index('idx_transfers_due', ['dueBy'], { where: 'to_organisation_id IS NOT NULL' })
export class Transfer {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'previous_transfer_id', type: 'varchar', length: 36 })
  previousTransferId: string;

  @Column({ name: 'from_organisation_id', type: 'varchar', length: 36 })
  fromOrganisationId: string;

  /** The receiving school or PRU of the local authority; null for a transfer outside it. */
  @Column({ name: 'to_organisation_id', type: 'varchar', length: 36, nullable: true })
  toOrganisationId: string | null;

  @Column({ name: 'external_name', type: 'varchar', length: 200, nullable: true })
  externalName: string | null;

  @Column({ name: 'external_local_authority', type: 'varchar', length: 200, nullable: true })
  externalLocalAuthority: string | null;

  /** How an external transfer went; null inside the local authority. */
  @Column({ name: 'sent_by', type: 'varchar', length: 20, nullable: true })
  sentBy: ExternalSendMethod | null;

  @CalendarDateColumn({ name: 'leaving_on' })
  leavingOn: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @InstantColumn({ name: 'sent_at' })
  sentAt: Date;

  @InstantColumn({ name: 'due_by' })
  dueBy: Date;

  @Column({ name: 'sent_by_user_id', type: 'varchar', length: 36 })
  sentByUserId: string;

  @Column({ name: 'sent_by_name', type: 'varchar', length: 200 })
  sentByName: string;

  @Column({ name: 'sent_by_role', type: 'varchar', length: 20 })
  sentByRole: string;
}
