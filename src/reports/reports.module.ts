import { Module } from '@nestjs/common';
import { DspModule } from '../dsp/dsp.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ReferralBalanceController } from './referral-balance.controller';
import { ReferralBalancePagesController } from './referral-balance.pages.controller';
import { ReferralBalanceService } from './referral-balance.service';

/** Read models over the core loop: aggregate figures for schools and the local authority (counts only). */
@Module({
  imports: [OrganisationsModule, DspModule],
  controllers: [ReferralBalanceController, ReferralBalancePagesController],
  providers: [ReferralBalanceService],
})
export class ReportsModule {}
