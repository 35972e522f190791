import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { CreatePlacementDto, EndPlacementDto, ListPlacementsQueryDto, ReviewPlacementDto } from './dto/placement.dto';
import { PlacementsService } from './placements.service';

/** API.md, "PRU placements and moving school". */
@Controller('api/placements')
export class PlacementsController {
  constructor(private readonly placements: PlacementsService) {}

  @Post()
  start(@CurrentActor() actor: Actor, @Body() dto: CreatePlacementDto) {
    return this.placements.start(actor, dto);
  }

  /** API.md, Paging: `{items, page, pageSize, total}`, `total` the true number matching. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListPlacementsQueryDto) {
    return this.placements.list(actor, { status: query.status, page: query.page, pageSize: query.pageSize });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.placements.get(actor, id);
  }

  @Post(':id/reviews')
  review(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: ReviewPlacementDto) {
    return this.placements.review(actor, id, dto);
  }

  @Post(':id/end')
  end(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: EndPlacementDto) {
    return this.placements.end(actor, id, dto);
  }
}
