import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DspModule } from '../dsp/dsp.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { PruModule } from '../pru/pru.module';
import { DemoSeedService } from './demo-seed.service';

/**
 * The demo world, seeded at start when SEED_DEMO is on. It writes every module's tables, so it sits
 * on top of them all; nothing but the app module imports it (dependency-cruiser checks).
 */
@Module({
  imports: [
    OrganisationsModule,
    SchoolModule,
    // DspModule re-exports guidance as it registers it (the directory the seed fills).
    DspModule,
    CalendarModule,
    PruModule,
  ],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoSeedModule {}
