import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { UnreadNotifications } from '../web/unread-notifications';
import { NotificationsService } from './notifications.service';

/** notifications' implementation of the pages' port: the header's unread count on every page. */
@Injectable()
export class UnreadNotificationCount implements UnreadNotifications {
  constructor(private readonly notifications: NotificationsService) {}

  unreadCountFor(actor: Actor): Promise<number> {
    return this.notifications.unreadCount(actor);
  }
}
