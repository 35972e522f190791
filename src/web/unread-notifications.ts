import { Actor } from '../common/actor';
import { PageCount } from './page-counts';

/**
 * The pages' port for the header's count of unread notifications (dependency inversion, like
 * page-notices.ts): the layout shows it, notifications/ provides it under `UNREAD_NOTIFICATIONS` as one
 * indexed COUNT, run with the page's other counts. Without a provider, pages show no count.
 */
export interface UnreadNotifications {
  unreadCount(actor: Actor): PageCount<number>;
}

export const UNREAD_NOTIFICATIONS = Symbol('UNREAD_NOTIFICATIONS');
