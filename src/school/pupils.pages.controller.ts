import { Controller, Get, Param, Query, Render } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { pagerFor } from '../common/pager';
import { PageQueryDto } from '../common/page-query.dto';
import { PupilSearchPageQueryDto } from './dto/pupil-search.dto';
import { PUPIL_PAGE_SIZE, PupilsService } from './pupils.service';
import { IdParam } from '../common/id-param';

@Controller('pupils')
export class PupilsPagesController {
  constructor(private readonly pupils: PupilsService) {}

  /** The roll, 50 to a page with govuk pagination; the count is the true number that match. */
  @Get()
  @Render('school/pupils')
  async list(@CurrentActor() actor: Actor, @Query() query: PupilSearchPageQueryDto) {
    const answer = await this.pupils.search(actor, query.q, {
      page: query.page ?? 1,
      pageSize: PUPIL_PAGE_SIZE.default,
    });
    const q = query.q?.trim() ?? '';
    const hrefOf = (n: number) => {
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      if (n > 1) params.set('page', String(n));
      const text = params.toString();
      return text ? `/pupils?${text}` : '/pupils';
    };
    return {
      title: 'pupils.title',
      q: query.q ?? '',
      searched: Boolean(q),
      pupils: answer.items,
      count: answer.total,
      pagination: pagerFor(answer, hrefOf),
    };
  }

  @Get(':id')
  @Render('school/pupil')
  async show(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Query() _query: PageQueryDto) {
    const pupil = await this.pupils.get(actor, id);
    return { titleText: `${pupil.firstName} ${pupil.lastName}`, pupil };
  }
}
