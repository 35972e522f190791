import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

export const RETAINED_ACCESS_REASONS = ['placement_ended', 'transferred'] as const;
export type RetainedAccessReason = (typeof RETAINED_ACCESS_REASONS)[number];

/**
 * What an organisation keeps reading about a pupil after the pupil left its roll (API.md, "PRU
 * placements and moving school"): the records it made itself, and, when `until` is set, every record
 * made up to that moment. A PRU whose placement ended keeps its own records (`until` null); a school
 * that transferred the safeguarding file keeps what it held when the file was received (`until` = the
 * receipt). Only DSPs and head teachers read through it, as they do the chronology. Written once, by
 * the event that created it; a pupil who comes back is read through the new enrolment instead.
 */
@Entity('retained_access')
@Index('idx_retained_access_organisation_pupil', ['organisationId', 'pupilId'])
@Index('idx_retained_access_pupil', ['pupilId'])
export class RetainedAccess {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  /** Records made (recorded) at or before this instant are readable too; null: only the organisation's own. */
  @InstantColumn({ name: 'until_at', nullable: true })
  until: Date | null;

  @Column({ type: 'varchar', length: 20 })
  reason: RetainedAccessReason;

  /** The placement or transfer that left this access behind. */
  @Column({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string;

  @InstantColumn({ name: 'granted_at' })
  grantedAt: Date;
}
