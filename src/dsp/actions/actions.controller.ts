import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { ActionsService } from './actions.service';
import { CompleteActionDto, ListActionsQueryDto, SetActionDto } from './dto/action.dto';

/** API.md, "Daily work": actions on a concern, completing them, and "my actions". */
@ApiTags('actions')
@Controller('api')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post('concerns/:id/actions')
  set(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: SetActionDto) {
    return this.actions.set(actor, id, dto);
  }

  @Post('actions/:id/complete')
  complete(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: CompleteActionDto) {
    return this.actions.complete(actor, id, dto);
  }

  /** API.md, Paging: `{items, page, pageSize, total}`; open ones by due date (overdue first). */
  @Get('actions')
  list(@CurrentActor() actor: Actor, @Query() query: ListActionsQueryDto) {
    return this.actions.list(actor, query);
  }
}
