import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';
import { Language } from '../common/roles';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Stored lower-cased so sign-in is case-insensitive on both engines. */
  @Column({ type: 'varchar', length: 320, unique: true })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** An scrypt hash, or `UNUSABLE_PASSWORD_HASH` until the person accepts their invitation. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  /** A deactivated account cannot sign in, and its sessions stop at once. Accounts are never deleted. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  /** Whether the person wants emails about their work (account-security emails are always sent). */
  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}

/**
 * The password of an account whose invitation has not been accepted: no hash verifies against it
 * (`verifyPassword` refuses anything not `scrypt$...`), so nobody can sign in to it.
 */
export const UNUSABLE_PASSWORD_HASH = '!invited';

export const hasPassword = (user: Pick<User, 'passwordHash'>): boolean => user.passwordHash !== UNUSABLE_PASSWORD_HASH;
