import { Global, Module } from '@nestjs/common';
import { Mailer } from './mailer';

/** Email for every feature (invitations, password resets, notifications): one transport, one format. */
@Global()
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
