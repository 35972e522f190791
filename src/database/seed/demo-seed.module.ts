import { Module } from '@nestjs/common';
import { ConcernHistoryReader } from '../../dsp/concerns/concern-history.reader';
import { GuidanceModule } from '../../guidance/guidance.module';
import { DemoSeedService } from './demo-seed.service';

@Module({
  imports: [GuidanceModule.register({ pupilHistory: ConcernHistoryReader })],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoSeedModule {}
