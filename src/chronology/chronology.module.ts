import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { ChronologyController } from './chronology.controller';
import { ChronologyPagesController } from './chronology.pages.controller';
import { ChronologyService } from './chronology.service';

/** The per-pupil timeline: a read model over the other modules' records. */
@Module({
  imports: [DspModule, SchoolModule, OrganisationsModule],
  controllers: [ChronologyController, ChronologyPagesController],
  providers: [ChronologyService],
  exports: [ChronologyService],
})
export class ChronologyModule {}
