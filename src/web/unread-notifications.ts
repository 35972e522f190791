import { Actor } from '../common/actor';

/**
 * The pages' port for the header's count of unread notifications (dependency inversion, like
 * page-notices.ts): the layout shows it, notifications/ provides it under `UNREAD_NOTIFICATIONS` with
 * one indexed COUNT per page. Without a provider, pages show no count.
 */
export interface UnreadNotifications {
  unreadCountFor(actor: Actor): Promise<number>;
}

export const UNREAD_NOTIFICATIONS = Symbol('UNREAD_NOTIFICATIONS');
