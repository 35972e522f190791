import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn } from '../../common/columns';

/**
 * An action a DSP set on a concern: what to do, who does it and by when. Written once; it is open until
 * an `ActionCompletion` names it. The pupil and organisation are the concern's, kept here so the lists
 * and reminders read one table by index.
 */
@Entity('actions')
export class Action {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'assignee_user_id', type: 'varchar', length: 36 })
  assigneeUserId: string;

  /** The assignee's name when the action was set (history reads true after a change of name). */
  @Column({ name: 'assignee_name', type: 'varchar', length: 200 })
  assigneeName: string;

  /** The London calendar day it is due (`YYYY-MM-DD`). */
  @CalendarDateColumn({ name: 'due_on' })
  dueOn: string;

  @InstantColumn({ name: 'set_at' })
  setAt: Date;

  @Column({ name: 'set_by_user_id', type: 'varchar', length: 36 })
  setByUserId: string;

  @Column({ name: 'set_by_name', type: 'varchar', length: 200 })
  setByName: string;

  @Column({ name: 'set_by_role', type: 'varchar', length: 20 })
  setByRole: string;

  @Column({ name: 'set_by_organisation_id', type: 'varchar', length: 36 })
  setByOrganisationId: string;
}
