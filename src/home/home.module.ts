import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DspModule } from '../dsp/dsp.module';
import { LocalAuthorityModule } from '../local-authority/local-authority.module';
import { SchoolModule } from '../school/school.module';
import { PruModule } from '../pru/pru.module';
import { TransfersModule } from '../transfers/transfers.module';
import { DashboardService } from './dashboard.service';
import { HomePagesController } from './home.pages.controller';

@Module({
  imports: [SchoolModule, DspModule, LocalAuthorityModule, AccountsModule, PruModule, TransfersModule],
  controllers: [HomePagesController],
  providers: [DashboardService],
})
export class HomeModule {}
