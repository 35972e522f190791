import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/** An action done, with a note of what was done: one per action (its primary key), written once. */
@Entity('action_completions')
export class ActionCompletion {
  @PrimaryColumn({ name: 'action_id', type: 'varchar', length: 36 })
  actionId: string;

  @Column({ type: 'text' })
  note: string;

  @InstantColumn({ name: 'completed_at' })
  completedAt: Date;

  @Column({ name: 'completed_by_user_id', type: 'varchar', length: 36 })
  completedByUserId: string;

  @Column({ name: 'completed_by_name', type: 'varchar', length: 200 })
  completedByName: string;

  @Column({ name: 'completed_by_role', type: 'varchar', length: 20 })
  completedByRole: string;

  @Column({ name: 'completed_by_organisation_id', type: 'varchar', length: 36 })
  completedByOrganisationId: string;
}
