import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/** A one-time link to set an invited account's password. Only the token's SHA-256 is stored. */
@Entity('invitations')
export class Invitation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The membership the person was invited to (named on the welcome page). */
  @Column({ name: 'membership_id', type: 'varchar', length: 36 })
  membershipId: string;

  /** Null when the first administrator was created from the command line. */
  @Column({ name: 'invited_by_user_id', type: 'varchar', length: 36, nullable: true })
  invitedByUserId: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;
}
