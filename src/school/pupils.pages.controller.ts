import { Controller, Get, Param, Query, Render } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { PageQueryDto } from '../common/page-query.dto';
import { PupilSearchPageQueryDto } from './dto/pupil-search.dto';
import { PupilsService } from './pupils.service';
import { IdParam } from '../common/id-param';

@Controller('pupils')
export class PupilsPagesController {
  constructor(private readonly pupils: PupilsService) {}

  @Get()
  @Render('school/pupils')
  async list(@CurrentActor() actor: Actor, @Query() query: PupilSearchPageQueryDto) {
    const pupils = await this.pupils.search(actor, query.q);
    return {
      title: 'pupils.title',
      q: query.q ?? '',
      searched: Boolean(query.q?.trim()),
      pupils,
      count: pupils.length,
    };
  }

  @Get(':id')
  @Render('school/pupil')
  async show(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Query() _query: PageQueryDto) {
    const pupil = await this.pupils.get(actor, id);
    return { titleText: `${pupil.firstName} ${pupil.lastName}`, pupil };
  }
}
