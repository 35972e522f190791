import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { attachmentUploadOf, AttachmentUploadRequest } from './attachment-body';
import { contentDispositionOf, downloadNameOf } from './attachment-file';
import { AttachmentDownload, AttachmentsService } from './attachments.service';

/** Sends a stored file so no browser renders or sniffs it in the app's origin. */
export function sendAttachment(response: Response, file: AttachmentDownload): void {
  response
    .status(200)
    .set({
      'Content-Type': file.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.contentType,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': contentDispositionOf(downloadNameOf(file.filename, file.contentType)),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
    .end(file.bytes);
}

/** API.md, Daily work: attachments on a concern. */
@Controller('api')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Multipart, field `file` (the middleware in attachment-body.ts has read it). */
  @Post('concerns/:id/attachments')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  add(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Req() request: AttachmentUploadRequest) {
    return this.attachments.add(actor, id, attachmentUploadOf(request));
  }

  @Get('attachments/:id')
  async download(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    sendAttachment(response, await this.attachments.download(actor, id));
  }
}
