import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';
import { OrganisationKind } from '../common/roles';

/** A local authority, or a school or PRU that belongs to one. */
@Entity('organisations')
export class Organisation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: OrganisationKind;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The Welsh name, shown to readers who chose Welsh; null when the organisation has none (the English name is shown). */
  @Column({ name: 'name_cy', type: 'varchar', length: 200, nullable: true })
  nameCy: string | null;

  @Index('idx_organisations_local_authority')
  @Column({ name: 'local_authority_id', type: 'varchar', length: 36, nullable: true })
  localAuthorityId: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
