import { organisationName } from '../organisations/organisation-name';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { isSettingKind } from '../common/roles';
import { translate } from '../i18n/i18n.service';
import { pageLanguageOf } from '../i18n/reader-language';
import { ReferralBalancePageQueryDto, ReferralBalanceTableQueryDto } from './referral-balance.dto';
import { ReferralBalanceService } from './referral-balance.service';
import {
  periodErrors,
  toReferralBalanceErrorPage,
  toReferralBalanceOrganisationPage,
  toReferralBalanceTable,
} from './referral-balance.view';
import { ReportPeriodError } from './report-period';

@Controller('reports')
export class ReferralBalancePagesController {
  constructor(private readonly referralBalance: ReferralBalanceService) {}

  /**
   * The table, one row per school or PRU, sorted by `?sort=&dir=`. A school or PRU reader has one row:
   * they go straight to their own figures in full. A period that cannot be read re-renders the form
   * with an error summary (400); a role that may not read the report gets the 403 page.
   */
  @Get('referral-balance')
  async show(@CurrentActor() actor: Actor, @Query() query: ReferralBalanceTableQueryDto, @Res() response: Response) {
    const period = { from: query.from, to: query.to };
    const ownPage = () => {
      const params = new URLSearchParams();
      if (query.from) params.set('from', query.from);
      if (query.to) params.set('to', query.to);
      if (query.lang) params.set('lang', query.lang);
      const search = params.toString();
      response.redirect(303, `/reports/referral-balance/${actor.organisationId}${search ? `?${search}` : ''}`);
    };
    try {
      const report = await this.referralBalance.report(actor, period);
      if (isSettingKind(actor.organisationKind)) return ownPage();
      response.render('reports/referral-balance', toReferralBalanceTable(report, query.sort, query.dir));
    } catch (error) {
      if (!(error instanceof ReportPeriodError)) throw error;
      // Only a reader allowed the report gets this far: a school's own page shows the error itself.
      if (isSettingKind(actor.organisationKind)) return ownPage();
      response.status(400).render('reports/referral-balance', toReferralBalanceErrorPage(query, error));
    }
  }

  /** One school or PRU in full: its own readers, or the local authority lead; anyone else 404 or 403. */
  @Get('referral-balance/:id')
  async organisation(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: ReferralBalancePageQueryDto,
    @Res() response: Response,
  ) {
    const language = pageLanguageOf(response);
    const title = (name: string) => translate(language, 'reports.organisation.pageTitle', { organisation: name });
    try {
      const report = await this.referralBalance.organisation(actor, id, { from: query.from, to: query.to });
      response.render(
        'reports/referral-balance-organisation',
        toReferralBalanceOrganisationPage(report, title(organisationName(report.item, language))),
      );
    } catch (error) {
      if (!(error instanceof ReportPeriodError)) throw error;
      // The school's name and the reader's access, over the default period; then the form to correct.
      const found = await this.referralBalance.organisation(actor, id, {});
      const page = toReferralBalanceOrganisationPage(found, title(organisationName(found.item, language)));
      response.status(400).render('reports/referral-balance-organisation', {
        ...page,
        form: { from: query.from ?? '', to: query.to ?? '' },
        errors: periodErrors(error),
        report: null,
      });
    }
  }
}
