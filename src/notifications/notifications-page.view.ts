import { Language } from '../common/language';
import { pagerFor } from '../common/pager';
import { translateMessage } from '../i18n/i18n.service';
import { NotificationPage } from './notifications.service';

/** Where the page's forms send the reader back to: the same filter and page. */
export function notificationsPath(unread: boolean, page: number): string {
  const params = new URLSearchParams();
  if (unread) params.set('unread', 'true');
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/notifications?${query}` : '/notifications';
}

/** `/notifications`: the reader's own list, newest first, unread marked, each a link, with the pager. */
export function toNotificationsPage(listing: NotificationPage, unread: boolean, language: Language) {
  return {
    title: 'notifications.page.title',
    unreadOnly: unread,
    allHref: notificationsPath(false, 1),
    unreadHref: notificationsPath(true, 1),
    returnPage: listing.page,
    total: listing.total,
    items: listing.items.map((item) => ({
      id: item.id,
      title: translateMessage(language, item.title),
      link: item.link,
      createdAt: item.createdAt.toISOString(),
      unread: item.readAt === null,
      urgent: item.urgent,
    })),
    pager: pagerFor(listing, (page) => notificationsPath(unread, page)),
  };
}
