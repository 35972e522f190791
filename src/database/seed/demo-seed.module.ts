import { Module } from '@nestjs/common';
import { GuidanceModule } from '../../guidance/guidance.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [GuidanceModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class DemoSeedModule {}
