import { Controller, Get, Param, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { PupilSearchQueryDto } from './dto/pupil-search.dto';
import { PupilsService } from './pupils.service';
import { IdParam } from '../common/id-param';
import { PupilLookupQueryDto } from './roll/dto/roll-import.dto';

@Controller('api/pupils')
export class PupilsController {
  constructor(private readonly pupils: PupilsService) {}

  /** `{items, page, pageSize, total}` (API.md, Paging): by surname, `total` the true number that match. */
  @Get()
  search(@CurrentActor() actor: Actor, @Query() query: PupilSearchQueryDto) {
    return this.pupils.search(actor, query.q, { page: query.page, pageSize: query.pageSize });
  }

  /** API.md: the one pupil of the LA with this UPN and date of birth, else 404 (never a list). */
  @Get('lookup')
  lookUp(@CurrentActor() actor: Actor, @Query() query: PupilLookupQueryDto) {
    return this.pupils.lookUp(actor, query.upn, query.dateOfBirth);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.pupils.get(actor, id);
  }
}
