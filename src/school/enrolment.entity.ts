import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn } from '../common/columns';

export const ENROLMENT_TYPES = ['main', 'dual'] as const;
export type EnrolmentType = (typeof ENROLMENT_TYPES)[number];

/**
 * A pupil on an organisation's roll. `main` is the home school; `dual` is typically a PRU placement
 * while the pupil stays on the home school's roll. An enrolment is current until it has an end date.
 */
@Entity('enrolments')
@Index('idx_enrolments_organisation_current', ['organisationId', 'endedOn'])
@Index('idx_enrolments_pupil', ['pupilId'])
@Index('idx_enrolments_current_roll', ['organisationId', 'pupilId'], { where: 'ended_on IS NULL' })
export class Enrolment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @Column({ type: 'varchar', length: 10 })
  type: EnrolmentType;

  @CalendarDateColumn({ name: 'started_on' })
  startedOn: string;

  @CalendarDateColumn({ name: 'ended_on', nullable: true })
  endedOn: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}

/** Whether an enrolment is current on `today` (a London date): no end date, or one still to come. */
export function isCurrentEnrolment(enrolment: Pick<Enrolment, 'endedOn'>, today: string): boolean {
  return enrolment.endedOn === null || enrolment.endedOn > today;
}
