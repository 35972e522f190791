import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/** Closing a concern, with the DSP's rationale. At most one per concern (a unique key enforces it). */
@Entity('concern_closures')
export class ConcernClosure {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36, unique: true })
  concernId: string;

  @Column({ type: 'text' })
  rationale: string;

  // Who, as they were at the time (name and role kept so history reads true after changes).
  @Column({ name: 'closed_by_user_id', type: 'varchar', length: 36 })
  closedByUserId: string;

  @Column({ name: 'closed_by_name', type: 'varchar', length: 200 })
  closedByName: string;

  @Column({ name: 'closed_by_role', type: 'varchar', length: 20 })
  closedByRole: string;

  @Column({ name: 'closed_by_organisation_id', type: 'varchar', length: 36 })
  closedByOrganisationId: string;

  @InstantColumn({ name: 'closed_at' })
  closedAt: Date;
}
