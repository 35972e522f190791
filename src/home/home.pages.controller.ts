import { Controller, Get, Query, Render } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { PageQueryDto } from '../common/page-query.dto';
import { DashboardService } from './dashboard.service';

/** The signed-in person's starting page: what their role can do from here, and the work waiting for them. */
@Controller()
export class HomePagesController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Render('home/dashboard')
  async dashboardPage(@CurrentActor() actor: Actor, @Query() _query: PageQueryDto) {
    return { title: 'home.title', ...(await this.dashboard.forActor(actor)) };
  }
}
