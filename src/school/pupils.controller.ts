import { Controller, Get, Param, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { PupilSearchQueryDto } from './dto/pupil-search.dto';
import { PupilsService } from './pupils.service';
import { IdParam } from '../common/id-param';

@Controller('api/pupils')
export class PupilsController {
  constructor(private readonly pupils: PupilsService) {}

  /** `{items, page, pageSize, total}` (API.md, Paging): by surname, `total` the true number that match. */
  @Get()
  search(@CurrentActor() actor: Actor, @Query() query: PupilSearchQueryDto) {
    return this.pupils.search(actor, query.q, { page: query.page, pageSize: query.pageSize });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.pupils.get(actor, id);
  }
}
