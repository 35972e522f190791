import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/** A page form that recorded something, by the one-use token rendered into it (the primary key). */
@Entity('form_submissions')
export class FormSubmission {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  token: string;

  @Column({ type: 'varchar', length: 20 })
  kind: SubmissionKind;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @InstantColumn({ name: 'submitted_at' })
  submittedAt: Date;
}

export type SubmissionKind = 'decision' | 'referral' | 'close';
