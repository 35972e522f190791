import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { InboxQueryDto, RecordOutcomeDto } from './inbox.dto';
import { InboxService } from './inbox.service';
import { IdParam } from '../common/id-param';
import { AcceptsIdempotencyKey, Idempotency, IdempotentRequest } from '../dsp/submissions/idempotency';

@Controller('api/la/escalations')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto) {
    const { items, page, pageSize, total } = await this.inbox.page(actor, query);
    return { items, page, pageSize, total };
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.inbox.get(actor, id);
  }

  @Post(':id/acknowledge')
  @AcceptsIdempotencyKey()
  acknowledge(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Idempotency() request?: IdempotentRequest) {
    return this.inbox.acknowledge(actor, id, request);
  }

  @Post(':id/outcome')
  @AcceptsIdempotencyKey()
  outcome(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: RecordOutcomeDto,
    @Idempotency() request?: IdempotentRequest,
  ) {
    return this.inbox.recordOutcome(actor, id, dto, request);
  }
}
