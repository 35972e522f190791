import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/**
 * Kept in the database, not in memory, so every app instance enforces the same lockout. An attempt is
 * recorded as failed before its password is checked, and marked succeeded only after. Rows older than a
 * day are pruned: they are not safeguarding records.
 */
@Entity('login_attempts')
@Index('idx_login_attempts_email_at', ['email', 'at'])
@Index('idx_login_attempts_ip_address_at', ['ipAddress', 'at'])
@Index('idx_login_attempts_at', ['at'])
@Index('idx_login_attempts_device_at', ['deviceId', 'at'])
export class LoginAttempt {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'ip_address', type: 'varchar', length: 64, nullable: true })
  ipAddress: string | null;

  /**
   * The nonce of the device cookie the attempt was made with, when it is genuine and for this account
   * (a known device): such attempts count only against that device (sign-in-limits.ts).
   */
  @Column({ name: 'device_id', type: 'varchar', length: 64, nullable: true })
  deviceId: string | null;

  @InstantColumn()
  at: Date;

  @Column({ type: 'boolean' })
  succeeded: boolean;
}
