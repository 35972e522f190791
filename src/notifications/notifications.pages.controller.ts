import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { PageFormDto } from '../common/page-form.dto';
import { pageLanguageOf } from '../i18n/reader-language';
import { NotificationsPageQueryDto } from './dto/list-notifications.dto';
import { notificationsPath, toNotificationsPage } from './notifications-page.view';
import { NotificationsService } from './notifications.service';

/** The page's forms post back which list they came from, so the reader returns to it. */
export class NotificationsFormDto extends PageFormDto {
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: string;

  @IsOptional()
  @Matches(/^[1-9][0-9]{0,6}$/)
  page?: string;
}

const backTo = (form: NotificationsFormDto) => notificationsPath(form.unread === 'true', Number(form.page ?? 1));

/** `/notifications`: the signed-in person's own list, and forms to mark one or all read (no script needed). */
@Controller('notifications')
export class NotificationsPagesController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: NotificationsPageQueryDto, @Res() response: Response) {
    const unread = query.unread === 'true';
    const listing = await this.notifications.list(actor, { unread, page: query.page, pageSize: query.pageSize });
    response.render('notifications/list', toNotificationsPage(listing, unread, pageLanguageOf(response)));
  }

  @Post('read-all')
  async readAll(@CurrentActor() actor: Actor, @Body() form: NotificationsFormDto, @Res() response: Response) {
    await this.notifications.markAllRead(actor);
    response.redirect(303, backTo(form));
  }

  /**
   * Following a notification's link from the list marks it read on the way, as a person expects once
   * they have opened it. Only an app path is followed (the links are made by the app; never another site).
   */
  @Get(':id/open')
  async open(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    const link = await this.notifications.open(actor, id);
    response.redirect(
      303,
      link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/notifications',
    );
  }

  /** Another person's or an unknown notification is the 404 page. */
  @Post(':id/read')
  async read(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: NotificationsFormDto,
    @Res() response: Response,
  ) {
    await this.notifications.markRead(actor, id);
    response.redirect(303, backTo(form));
  }
}
