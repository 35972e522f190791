import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/**
 * A password-reset link sent by email: only the SHA-256 of its token is stored (one-time-token.ts).
 * Good once, for an hour; using any of an account's links uses up all of them. Kept (not deleted): how
 * many were asked for lately is what limits the emails one account can be sent.
 */
@Entity('password_resets')
@Index('idx_password_resets_user_created', ['userId', 'createdAt'])
export class PasswordReset {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;
}
