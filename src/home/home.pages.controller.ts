import { Controller, Get, Query, Render } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { DashboardQueryDto } from './dashboard-query.dto';
import { DashboardService } from './dashboard.service';
import { paged, worklistView } from './worklist.view';

/** The signed-in person's starting page: what their role can do from here, and the work waiting for them. */
@Controller()
export class HomePagesController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Render('home/dashboard')
  async dashboardPage(@CurrentActor() actor: Actor, @Query() query: DashboardQueryDto) {
    const pages = query.section && query.page ? { [query.section]: Number(query.page) } : {};
    const dashboard = await this.dashboard.forActor(actor, pages);
    return {
      title: 'home.title',
      ...dashboard,
      worklist: dashboard.triage ? worklistView(dashboard.triage.worklist) : null,
      openConcerns: dashboard.triage ? paged('open', dashboard.triage.open) : null,
      mine: dashboard.myConcerns ? paged('mine', dashboard.myConcerns) : null,
      referrals: dashboard.triage ? paged('referrals', dashboard.triage.referrals) : null,
    };
  }
}
