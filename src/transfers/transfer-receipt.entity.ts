import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/** The receiving DSP's confirmation that the file arrived: one per transfer (its primary key), written once. */
@Entity('transfer_receipts')
export class TransferReceipt {
  @PrimaryColumn({ name: 'transfer_id', type: 'varchar', length: 36 })
  transferId: string;

  @InstantColumn({ name: 'received_at' })
  receivedAt: Date;

  @Column({ name: 'received_by_user_id', type: 'varchar', length: 36 })
  receivedByUserId: string;

  @Column({ name: 'received_by_name', type: 'varchar', length: 200 })
  receivedByName: string;

  @Column({ name: 'received_by_role', type: 'varchar', length: 20 })
  receivedByRole: string;

  @Column({ name: 'received_by_organisation_id', type: 'varchar', length: 36 })
  receivedByOrganisationId: string;
}
