import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { PageCount } from '../web/page-counts';
import { UnreadNotifications } from '../web/unread-notifications';
import { NotificationsService } from './notifications.service';

/** notifications' implementation of the pages' port: the header's unread count on every page. */
@Injectable()
export class UnreadNotificationCount implements UnreadNotifications {
  constructor(private readonly notifications: NotificationsService) {}

  unreadCount(actor: Actor): PageCount<number> {
    return { query: this.notifications.unreadCountQuery(actor), answer: (count) => count };
  }
}
