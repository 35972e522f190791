import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { Language } from '../common/language';
import { ReaderLanguage } from '../i18n/reader-language';
import { ListNotificationsDto } from './dto/list-notifications.dto';
import { toNotificationPageResponse } from './notification.mapper';
import { NotificationsService } from './notifications.service';

/** The caller's own notifications (any signed-in role). */
@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** `{items, page, pageSize, total}`, newest first; `unread=true` for those not yet read. */
  @Get()
  async list(@CurrentActor() actor: Actor, @ReaderLanguage() language: Language, @Query() query: ListNotificationsDto) {
    const listing = await this.notifications.list(actor, {
      unread: query.unread === 'true',
      page: query.page,
      pageSize: query.pageSize,
    });
    return toNotificationPageResponse(listing, language);
  }

  /** Every unread one read. */
  @Post('read-all')
  @HttpCode(204)
  async readAll(@CurrentActor() actor: Actor): Promise<void> {
    await this.notifications.markAllRead(actor);
  }

  /** One read (again: nothing changes); someone else's or unknown: 404. */
  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentActor() actor: Actor, @Param() { id }: IdParam): Promise<void> {
    await this.notifications.markRead(actor, id);
  }
}
