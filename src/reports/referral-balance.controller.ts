import { Controller, Get, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { ReferralBalanceQueryDto } from './referral-balance.dto';
import { ReferralBalanceService } from './referral-balance.service';

@Controller('api/reports')
export class ReferralBalanceController {
  constructor(private readonly referralBalance: ReferralBalanceService) {}

  /** API.md: `{items, totals}` (plus `period`, the dates counted once the defaults are applied). */
  @Get('referral-balance')
  get(@CurrentActor() actor: Actor, @Query() query: ReferralBalanceQueryDto) {
    return this.referralBalance.report(actor, query);
  }
}
