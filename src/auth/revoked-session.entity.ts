import { Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/**
 * Sessions ended by signing out, by their token's `jti`. Kept only until the token would have expired
 * anyway (then pruned): after that its own expiry refuses it.
 */
@Entity('revoked_sessions')
@Index('idx_revoked_sessions_expires_at', ['expiresAt'])
export class RevokedSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti: string;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;
}
