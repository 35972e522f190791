import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';
import { Role } from '../common/roles';

/** One role in one organisation. A person who works in two places has two memberships. */
@Entity('memberships')
@Index('idx_memberships_user', ['userId'])
@Index('idx_memberships_organisation_role', ['organisationId', 'role'])
export class Membership {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  /**
   * When the role ended (null: current). Ending never deletes the row: records keep the role they were
   * made with, and sessions signed in with it stop at once.
   */
  @InstantColumn({ name: 'ended_at', nullable: true })
  endedAt: Date | null;
}
