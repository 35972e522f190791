import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/**
 * An account's authenticator: one row per account that has ever started setting one up. The secrets are
 * sealed (TwoFactorSecrets: AES-256-GCM, bound to the account), never stored or logged in clear.
 * `secret` is the one in use (null while two-factor is off); `pendingSecret` the one being set up,
 * until a code from it is confirmed. `lastUsedStep` is the time step of the last code accepted, so no
 * code (and no earlier one) is accepted twice.
 */
@Entity('two_factor_credentials')
export class TwoFactorCredential {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  secret: string | null;

  @Column({ name: 'pending_secret', type: 'varchar', length: 200, nullable: true })
  pendingSecret: string | null;

  @InstantColumn({ name: 'enabled_at', nullable: true })
  enabledAt: Date | null;

  @Column({ name: 'last_used_step', type: 'integer', nullable: true })
  lastUsedStep: number | null;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;
}

/**
 * One recovery code, kept only as a keyed hash. Used once (`usedAt`), or replaced when the account
 * makes new ones or turns two-factor off (`revokedAt`); never deleted, so the account's history stays.
 */
@Entity('two_factor_recovery_codes')
@Index('idx_two_factor_recovery_codes_user', ['userId', 'codeHash'])
export class RecoveryCode {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}

/**
 * The second step of a sign-in: made when the password proved right for an account with two-factor on,
 * kept as a keyed hash of its token, good for a few minutes, for that account only, and used up by the
 * sign-in it completes. `attemptId` is the password step's login attempt, which counts as a failure
 * until the code is accepted.
 */
@Entity('two_factor_challenges')
@Index('idx_two_factor_challenges_expires_at', ['expiresAt'])
export class TwoFactorChallenge {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'attempt_id', type: 'varchar', length: 36 })
  attemptId: string;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  failures: number;
}
