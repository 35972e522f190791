import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../common/columns';
import { MessageParam } from '../common/language';
import { NotificationKind } from './notification-kinds';

/**
 * Something a person is told in the app (docs/architecture.md, "Notifications"). One row per person and
 * event: `(user_id, kind, event_key)` is unique, so the same event raised twice for the same person (a
 * retry, a second app instance) stores one. The title is a catalogue message, translated when read in
 * the reader's language; it never holds a pupil's name or a concern's words (it outlives the reader's
 * access), and the link goes to a page that checks access itself.
 */
@Entity('notifications')
@Index('uq_notifications_event', ['userId', 'kind', 'eventKey'], { unique: true })
@Index('idx_notifications_list', ['userId', 'createdAt', 'id'])
@Index('idx_notifications_unread', ['userId', 'createdAt', 'id'], { where: 'read_at IS NULL' })
@Index('idx_notifications_email_outbox', ['createdAt', 'id'], { where: 'email_state IS NOT NULL' })
@Index('idx_notifications_kind_event', ['kind', 'eventKey'])
export class Notification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The recipient. */
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 40 })
  kind: NotificationKind;

  /** What happened, unique per kind for one person: a concern's id for `concern_recorded`. */
  @Column({ name: 'event_key', type: 'varchar', length: 200 })
  eventKey: string;

  @Column({ name: 'title_key', type: 'varchar', length: 200 })
  titleKey: string;

  @JsonColumn({ name: 'title_params' })
  titleParams: Record<string, MessageParam>;

  /** An app path (`/concerns/:id`). */
  @Column({ type: 'varchar', length: 500 })
  link: string;

  @Column({ type: 'boolean', default: false })
  urgent: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'read_at', nullable: true })
  readAt: Date | null;

  /**
   * The row as its own email outbox (notification-emails.ts): 'pending' when stored, 'sending' while an
   * instance holds it, null once settled (sent, or the person wants no email).
   */
  @Column({ name: 'email_state', type: 'varchar', length: 10, nullable: true })
  emailState: 'pending' | 'sending' | null;

  /** When the instance sending it took it (a claim older than the lease is taken again: a crash). */
  @InstantColumn({ name: 'email_claimed_at', nullable: true })
  emailClaimedAt: Date | null;

  /** When the email went (null: not sent, or not wanted). */
  @InstantColumn({ name: 'emailed_at', nullable: true })
  emailedAt: Date | null;
}
