import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ReferralBalanceController } from './referral-balance.controller';
import { ReferralBalancePagesController } from './referral-balance.pages.controller';
import { ReferralBalanceService } from './referral-balance.service';

/** Read models over the core loop: aggregate figures for schools and the local authority (counts only). */
@Module({
  imports: [AccessModule],
  controllers: [ReferralBalanceController, ReferralBalancePagesController],
  providers: [ReferralBalanceService],
})
export class ReportsModule {}
