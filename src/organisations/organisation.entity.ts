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

  /**
   * The establishment code: 7 digits (LA number + establishment number) for a school or PRU, unique;
   * a local authority's own 3-digit number, or null.
   */
  @Column({ type: 'varchar', length: 7, nullable: true })
  code: string | null;

  /**
   * A deactivated organisation's memberships cannot sign in or act; its pupils' records stay readable
   * to the local authority and to any other organisation they are enrolled at.
   */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
