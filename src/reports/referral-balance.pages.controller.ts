import { Controller, Get, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { ReferralBalancePageQueryDto } from './referral-balance.dto';
import { ReferralBalanceService } from './referral-balance.service';
import { toReferralBalanceErrorPage, toReferralBalancePage } from './referral-balance.view';
import { ReportPeriodError } from './report-period';

@Controller('reports')
export class ReferralBalancePagesController {
  constructor(private readonly referralBalance: ReferralBalanceService) {}

  /**
   * The dashboard page. A period that cannot be read re-renders the form with an error summary (400);
   * a role that may not read the report gets the 403 page from the exception filter.
   */
  @Get('referral-balance')
  async show(@CurrentActor() actor: Actor, @Query() query: ReferralBalancePageQueryDto, @Res() response: Response) {
    try {
      const report = await this.referralBalance.report(actor, { from: query.from, to: query.to });
      response.render('reports/referral-balance', toReferralBalancePage(report));
    } catch (error) {
      if (!(error instanceof ReportPeriodError)) throw error;
      response.status(400).render('reports/referral-balance', toReferralBalanceErrorPage(query, error));
    }
  }
}
