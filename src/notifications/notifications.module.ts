import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UNREAD_NOTIFICATIONS } from '../web/unread-notifications';
import { OrganisationsModule } from '../organisations/organisations.module';
import { Notification } from './notification.entity';
import { NotificationEmails } from './notification-emails';
import { NotificationsController } from './notifications.controller';
import { NotificationsPagesController } from './notifications.pages.controller';
import { NotificationsService } from './notifications.service';
import { UnreadNotificationCount } from './unread-notification-count';

/**
 * In-app notifications: the `notifications` table, `NotificationsService.notify` for the modules that
 * raise them (inside their own transactions), the API and `/notifications`, and the header's unread
 * count (the pages' `UNREAD_NOTIFICATIONS` port). It knows no raiser: dsp imports it, never the reverse.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification]), OrganisationsModule],
  controllers: [NotificationsController, NotificationsPagesController],
  providers: [
    NotificationsService,
    NotificationEmails,
    { provide: UNREAD_NOTIFICATIONS, useClass: UnreadNotificationCount },
  ],
  exports: [NotificationsService, NotificationEmails, UNREAD_NOTIFICATIONS],
})
export class NotificationsModule {}
