import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';

/** The local authority's side: MASH and early-help inboxes, acknowledgements, outcomes. */
@Module({ imports: [DspModule], controllers: [InboxController], providers: [InboxService], exports: [InboxService] })
export class LocalAuthorityModule {}
