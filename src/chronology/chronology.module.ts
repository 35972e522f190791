import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ChronologyController } from './chronology.controller';
import { ChronologyPagesController } from './chronology.pages.controller';
import { ChronologyService } from './chronology.service';

/** The per-pupil timeline: a read model over the other modules' records. */
@Module({
  imports: [AccessModule],
  controllers: [ChronologyController, ChronologyPagesController],
  providers: [ChronologyService],
  exports: [ChronologyService],
})
export class ChronologyModule {}
