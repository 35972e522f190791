import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Another pupil named in a concern. Their chronology shows the mention and role, never the content. */
@Entity('concern_linked_pupils')
@Index('idx_concern_linked_pupils_pupil', ['pupilId'])
@Index('idx_concern_linked_pupils_concern', ['concernId'])
export class ConcernLinkedPupil {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ type: 'varchar', length: 30 })
  role: string;
}
