import { Language } from '../common/language';
import { translateMessage } from '../i18n/i18n.service';
import { NotificationKind } from './notification-kinds';
import { NotificationItem, NotificationPage } from './notifications.service';

/** API.md's notification, its title in the reader's language. */
export interface NotificationResponse {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  readAt: string | null;
  link: string;
  title: string;
  urgent: boolean;
}

export function toNotificationResponse(item: NotificationItem, language: Language): NotificationResponse {
  return {
    id: item.id,
    kind: item.kind,
    createdAt: item.createdAt.toISOString(),
    readAt: item.readAt ? item.readAt.toISOString() : null,
    link: item.link,
    title: translateMessage(language, item.title),
    urgent: item.urgent,
  };
}

export function toNotificationPageResponse(listing: NotificationPage, language: Language) {
  return {
    items: listing.items.map((item) => toNotificationResponse(item, language)),
    page: listing.page,
    pageSize: listing.pageSize,
    total: listing.total,
  };
}
