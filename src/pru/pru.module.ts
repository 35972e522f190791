import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { Placement, PlacementEnding, PlacementReview } from './placement.entity';
import { PlacementEvents } from './placement-events';
import { PlacementsController } from './placements.controller';
import { PlacementsPagesController } from './placements.pages.controller';
import { PlacementsService } from './placements.service';
import { PlacementSeed } from './placement-seed';

/**
 * PRU placements (docs/architecture.md, "The PRU module and who reads what, when"): the placement, its
 * reviews and its ending; the dual enrolment each starts and ends through school's EnrolmentChanges.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Placement, PlacementReview, PlacementEnding]),
    SchoolModule,
    OrganisationsModule,
    DspModule,
  ],
  controllers: [PlacementsController, PlacementsPagesController],
  providers: [PlacementsService, PlacementEvents, PlacementSeed],
  exports: [PlacementsService, PlacementEvents, PlacementSeed],
})
export class PruModule {}
