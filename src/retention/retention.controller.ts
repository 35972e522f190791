import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { RetentionReasonDto, RetentionReviewsQueryDto } from './dto';
import { RetentionService } from './retention.service';

/** API.md (docs/api-additions.md), "Retention": the review list, legal holds and two-person disposal. */
@ApiTags('retention')
@Controller('api')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  /** API.md, Paging: `{items, page, pageSize, total}`, by review date. */
  @Get('retention/reviews')
  reviews(@CurrentActor() actor: Actor, @Query() query: RetentionReviewsQueryDto) {
    return this.retention.reviews(actor, query);
  }

  @Get('pupils/:id/retention')
  status(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.retention.status(actor, id);
  }

  @Post('pupils/:id/legal-holds')
  placeHold(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RetentionReasonDto) {
    return this.retention.placeHold(actor, id, dto);
  }

  @Post('pupils/:id/legal-holds/lift')
  @HttpCode(200)
  liftHold(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RetentionReasonDto) {
    return this.retention.liftHold(actor, id, dto);
  }

  @Post('pupils/:id/disposals')
  propose(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RetentionReasonDto) {
    return this.retention.propose(actor, id, dto);
  }

  @Post('disposals/:id/approve')
  @HttpCode(200)
  approve(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.retention.approve(actor, id);
  }

  @Post('disposals/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.retention.cancel(actor, id);
  }
}
