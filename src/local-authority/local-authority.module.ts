import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { CalendarModule } from '../calendar/calendar.module';
import { DspModule } from '../dsp/dsp.module';
import { EscalationAcknowledgement } from './escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalation-outcome.entity';
import { InboxController } from './inbox.controller';
import { InboxPagesController } from './inbox.pages.controller';
import { InboxService } from './inbox.service';

/** The local authority's side: MASH and early-help inboxes, acknowledgements, outcomes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([EscalationAcknowledgement, EscalationOutcome]),
    AccessModule,
    CalendarModule,
    DspModule,
  ],
  controllers: [InboxController, InboxPagesController],
  providers: [InboxService],
  exports: [InboxService],
})
export class LocalAuthorityModule {}
