import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { PruModule } from '../pru/pru.module';
import { PlacementEvents } from '../pru/placement-events';
import { ChronologyController } from './chronology.controller';
import { ChronologyPagesController } from './chronology.pages.controller';
import { ChronologyService } from './chronology.service';
import { PUPIL_EVENT_SOURCES, PupilEventSource } from '../common/pupil-events';
import { TransferEvents } from '../transfers/transfer-events';
import { TransfersModule } from '../transfers/transfers.module';
import { ConcernAmendmentEvents } from '../dsp/concerns/amendment-events';
import { ActionEvents } from '../dsp/actions/action-events';
import { AttachmentEvents } from '../dsp/attachments/attachment-events';
import { RetentionEvents } from '../retention/retention-events';
import { RetentionModule } from '../retention/retention.module';

/** The per-pupil timeline: a read model over the other modules' records. */
@Module({
  imports: [DspModule, SchoolModule, OrganisationsModule, PruModule, TransfersModule, RetentionModule],
  controllers: [ChronologyController, ChronologyPagesController],
  providers: [
    ChronologyService,
    // Each module that keeps pupil events (pru's placements, transfers) adds its reader here.
    {
      provide: PUPIL_EVENT_SOURCES,
      useFactory: (...sources: PupilEventSource[]) => sources,
      inject: [
        PlacementEvents,
        TransferEvents,
        ConcernAmendmentEvents,
        ActionEvents,
        AttachmentEvents,
        RetentionEvents,
      ],
    },
  ],
  exports: [ChronologyService],
})
export class ChronologyModule {}
