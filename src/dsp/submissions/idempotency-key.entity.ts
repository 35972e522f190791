import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/**
 * A creation made under an idempotency key (the API's `Idempotency-Key` header, or a page form's
 * one-use token), with the answer it gave. Keys are per person: the primary key is (user, key).
 * Written in the creation's own transaction; deleted 24 hours after (IDEMPOTENCY_KEY_LIFETIME_MS).
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** The method and path the key was first sent to (`POST /api/concerns/<id>/decision`). */
  @Column({ type: 'varchar', length: 300 })
  route: string;

  /** SHA-256 of the body's canonical JSON; null for a page form, where any repeat of the token replays. */
  @Column({ name: 'body_hash', type: 'varchar', length: 64, nullable: true })
  bodyHash: string | null;

  /** The answer's HTTP status and JSON body (null only inside the creating transaction). */
  @Column({ type: 'integer' })
  status: number;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** What was created, for the replay's audit entry (and the page's redirect). */
  @Column({ name: 'subject_type', type: 'varchar', length: 40, nullable: true })
  subjectType: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 36, nullable: true })
  subjectId: string | null;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36, nullable: true })
  pupilId: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
