import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { InboxController } from './inbox.controller';
import { InboxPagesController } from './inbox.pages.controller';
import { InboxService } from './inbox.service';

/** The local authority's side: MASH and early-help inboxes, acknowledgements, outcomes. */
@Module({
  imports: [OrganisationsModule, DspModule, SchoolModule],
  controllers: [InboxController, InboxPagesController],
  providers: [InboxService],
  exports: [InboxService],
})
export class LocalAuthorityModule {}
