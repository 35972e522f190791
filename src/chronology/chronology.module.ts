import { Module } from '@nestjs/common';
import { ChronologyController } from './chronology.controller';
import { ChronologyPagesController } from './chronology.pages.controller';
import { ChronologyService } from './chronology.service';

/** The per-pupil timeline: a read model over the other modules' records. */
@Module({
  controllers: [ChronologyController, ChronologyPagesController],
  providers: [ChronologyService],
  exports: [ChronologyService],
})
export class ChronologyModule {}
