import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { Message } from '../common/language';
import { PAGE_SIZE } from '../common/paging';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationKind } from './notification-kinds';
import { Notification } from './notification.entity';
import { NotificationEmails } from './notification-emails';

/** An event to tell people of: who, what (a kind and its unique key) and where to look. */
export interface NotificationEvent {
  kind: NotificationKind;
  /** What happened, unique within the kind (a concern's id): the same event for the same person is stored once. */
  eventKey: string;
  /**
   * The event key was made in the caller's transaction (a new concern's id), so no stored notification
   * can share it: every row inserted is new, and `notify` need not read back which were.
   */
  newEventKey?: boolean;
  /** The recipients' user ids (repeats are ignored). */
  userIds: string[];
  /** An app path to the thing (`/concerns/:id`); the page there checks access itself. */
  link: string;
  /** Words in no language yet; never a pupil's name or a concern's words (the title outlives access). */
  title: Message;
  urgent?: boolean;
}

/** One notification as its reader's list holds it (the edge translates the title). */
export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  createdAt: Date;
  readAt: Date | null;
  link: string;
  title: Message;
  urgent: boolean;
}

export interface NotificationPage {
  items: NotificationItem[];
  page: number;
  pageSize: number;
  total: number;
}

export interface NotificationListOptions {
  unread?: boolean;
  page?: number;
  pageSize?: number;
}

/** The after-commit step that sends the transaction's new notifications' emails (once per transaction). */
const FLUSH_EMAILS = {};

/** Rows per INSERT: 13 values each, well inside SQLite's limit on bound variables. */
const INSERT_CHUNK = 50;

/**
 * In-app notifications: raised by other modules inside their own transactions (`notify`), read and
 * marked read by their recipients. A person reads only their own, whatever role they are signed in
 * with; someone else's is 404 like a missing one.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly emails: NotificationEmails,
  ) {}

  /**
   * Stores one notification per recipient in the caller's transaction (so a change that rolls back
   * raises nothing). An event already stored for a person (same kind and key) stays as it is
   * (`INSERT ... ON CONFLICT DO NOTHING`, on both engines), so raising it again, from this instance or
   * another on the same PostgreSQL, stores nothing more. Answers the recipients newly notified, for
   * whoever must also tell them by another way (email) exactly once.
   */
  async notify(manager: EntityManager, event: NotificationEvent): Promise<string[]> {
    // Sorted: concurrent raisers of the same event insert (and wait on) the same keys in the same order.
    const userIds = [...new Set(event.userIds)].sort();
    if (userIds.length === 0) return [];
    const createdAt = new Date();
    const rows: Notification[] = userIds.map((userId) => ({
      id: newId(),
      userId,
      kind: event.kind,
      eventKey: event.eventKey,
      titleKey: event.title.key,
      titleParams: event.title.params ?? {},
      link: event.link,
      urgent: event.urgent ?? false,
      createdAt,
      readAt: null,
      emailState: 'pending',
      emailClaimedAt: null,
      emailedAt: null,
    }));
    for (let start = 0; start < rows.length; start += INSERT_CHUNK)
      await manager
        .createQueryBuilder()
        .insert()
        .into(Notification)
        .values(rows.slice(start, start + INSERT_CHUNK))
        .orIgnore()
        // Nothing to read back: every column's value is in the row (TypeORM would re-read the defaults).
        .updateEntity(false)
        .execute();
    // The rows this call made are those whose new ids are there: a conflict kept the other row instead.
    const stored = event.newEventKey
      ? rows
      : await manager.getRepository(Notification).find({
          select: { id: true, userId: true },
          where: { id: In(rows.map((row) => row.id)) },
        });
    // Each new row is also an email to send (notification-emails.ts), once this transaction has committed
    // (not waited for). Outside a unit of work the next sweep's flush sends them.
    if (stored.length > 0)
      this.unitOfWork.afterCommit(manager, FLUSH_EMAILS, () => Promise.resolve(this.emails.flushSoon()));
    return stored.map((row) => row.userId);
  }

  /**
   * Which of these events of one kind have been raised already (to anyone): one range of the
   * `(kind, event_key)` index. The reminder sweep leaves them out, so a reminder that stays due is not
   * inserted again each minute; the unique key still decides when two sweeps race.
   */
  async raisedEventKeys(manager: EntityManager, kind: NotificationKind, eventKeys: string[]): Promise<Set<string>> {
    const raised = new Set<string>();
    const keys = [...new Set(eventKeys)];
    for (let start = 0; start < keys.length; start += INSERT_CHUNK * 10) {
      const rows = await manager
        .getRepository(Notification)
        .createQueryBuilder('notification')
        .select('DISTINCT notification.event_key', 'eventKey')
        .where('notification.kind = :kind', { kind })
        .andWhere('notification.event_key IN (:...keys)', { keys: keys.slice(start, start + INSERT_CHUNK * 10) })
        .getRawMany<{ eventKey: string }>();
      for (const row of rows) raised.add(row.eventKey);
    }
    return raised;
  }

  /**
   * A page of the caller's own notifications (all, or only unread), newest first, with the true total
   * (a COUNT on the list's index, the unread one's partial index when `unread`).
   */
  async list(actor: Actor, options: NotificationListOptions = {}): Promise<NotificationPage> {
    const page = Math.max(1, Math.floor(options.page ?? 1));
    const pageSize = Math.min(PAGE_SIZE.max, Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE.default)));
    return this.unitOfWork.read(async (manager) => {
      const where = { userId: actor.userId, ...(options.unread ? { readAt: IsNull() } : {}) };
      const repository = manager.getRepository(Notification);
      const total = await countOf(manager, actor, options.unread ?? false);
      const rows =
        total > (page - 1) * pageSize
          ? await repository.find({
              where,
              order: { createdAt: 'DESC', id: 'DESC' },
              skip: (page - 1) * pageSize,
              take: pageSize,
            })
          : [];
      return { items: rows.map(toItem), page, pageSize, total };
    });
  }

  /** How many of the caller's notifications are unread: one COUNT on the unread partial index, per page drawn. */
  unreadCount(actor: Actor): Promise<number> {
    return countOf(this.unitOfWork.manager, actor, true);
  }

  /** The same count as a query, for the pages to run beside their other counts (web/page-counts.ts). */
  unreadCountQuery(actor: Actor): SelectQueryBuilder<Notification> {
    return countQuery(this.unitOfWork.manager, actor, true);
  }

  /**
   * Marks one of the caller's notifications read. Already read: nothing changes (the first time stays).
   * Another person's, or none with that id: 404.
   */
  async markRead(actor: Actor, notificationId: string): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const repository = manager.getRepository(Notification);
      const changed = await repository.update(
        { id: notificationId, userId: actor.userId, readAt: IsNull() },
        { readAt: new Date() },
      );
      if ((changed.affected ?? 0) > 0) return;
      if (!(await repository.exists({ where: { id: notificationId, userId: actor.userId } })))
        throw new NotFoundError('Notification');
    });
  }

  /**
   * Opens one of the caller's notifications: marks it read (the first time stays) and answers where it
   * points. Another person's, or none with that id: 404.
   */
  async open(actor: Actor, notificationId: string): Promise<string> {
    return this.unitOfWork.run(async (manager) => {
      const repository = manager.getRepository(Notification);
      const notification = await repository.findOne({ where: { id: notificationId, userId: actor.userId } });
      if (!notification) throw new NotFoundError('Notification');
      if (notification.readAt === null)
        await repository.update({ id: notification.id, readAt: IsNull() }, { readAt: new Date() });
      return notification.link;
    });
  }

  /** Marks every unread notification of the caller read. */
  async markAllRead(actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await manager
        .getRepository(Notification)
        .update({ userId: actor.userId, readAt: IsNull() }, { readAt: new Date() });
    });
  }
}

/** A plain `COUNT(*)` of the person's rows (all, or unread: the partial index), not TypeORM's COUNT(DISTINCT id). */
async function countOf(manager: EntityManager, actor: Actor, unread: boolean): Promise<number> {
  const row = await countQuery(manager, actor, unread).getRawOne<{ total: string | number }>();
  return Number(row?.total ?? 0);
}

/** One row, one column (`total`): how many notifications the person has (`unread`: not yet read). */
function countQuery(manager: EntityManager, actor: Actor, unread: boolean): SelectQueryBuilder<Notification> {
  const qb = manager
    .getRepository(Notification)
    .createQueryBuilder('notification')
    .select('COUNT(*)', 'total')
    .where('notification.user_id = :userId', { userId: actor.userId });
  if (unread) qb.andWhere('notification.read_at IS NULL');
  return qb;
}

function toItem(row: Notification): NotificationItem {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt,
    readAt: row.readAt,
    link: row.link,
    title: { key: row.titleKey, params: row.titleParams },
    urgent: Boolean(row.urgent),
  };
}
