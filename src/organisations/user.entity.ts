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

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  /** Whether the person wants emails about their work (account-security emails are always sent). */
  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
