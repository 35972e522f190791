import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/**
 * Why a session ended. `signed_out` by its own sign-out; `password_changed` (the account's other
 * sessions) and `password_reset` (all of them) by auth; `account_deactivated` and `membership_ended`
 * by whoever manages accounts, through `SessionRegistry`.
 */
export type SessionEndReason =
  | 'signed_out'
  | 'password_changed'
  | 'password_reset'
  | 'account_deactivated'
  | 'membership_ended'
  /** The person went on in another of their roles (a new session with that membership). */
  | 'switched_role';

/**
 * Every session, by its token's `jti`: a token is accepted only while its row exists and has not
 * ended (jwt.strategy.ts), so a session can be ended from anywhere (one, an account's, a membership's).
 * Kept until the token would have expired anyway, then pruned: after that its own expiry refuses it.
 */
@Entity('sessions')
@Index('idx_sessions_user_id', ['userId'])
@Index('idx_sessions_membership_id', ['membershipId'])
@Index('idx_sessions_expires_at', ['expiresAt'])
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The membership (role in an organisation) the session acts in. */
  @Column({ name: 'membership_id', type: 'varchar', length: 36 })
  membershipId: string;

  @InstantColumn({ name: 'started_at' })
  startedAt: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;

  @InstantColumn({ name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true })
  endReason: SessionEndReason | null;
}
