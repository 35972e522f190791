import { Controller, Get, Param, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { sendAttachment } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** The concern page's download links (the signed-in session's cookie); the upload is on ConcernsPagesController. */
@Controller('attachments')
export class AttachmentsPagesController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id')
  async download(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    sendAttachment(response, await this.attachments.download(actor, id));
  }
}
