import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { ListSentReferralsDto } from './dto/list-sent-referrals.dto';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { EscalationsService } from './escalations.service';
import { IdParam } from '../../common/id-param';
import { AcceptsIdempotencyKey, Idempotency, IdempotentRequest } from '../submissions/idempotency';

@Controller('api')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Post('concerns/:id/escalations')
  @AcceptsIdempotencyKey()
  send(
    @CurrentActor() actor: Actor,
    @Param() { id: concernId }: IdParam,
    @Body() dto: SendEscalationDto,
    @Idempotency() request?: IdempotentRequest,
  ) {
    return this.escalations.send(actor, concernId, dto, request);
  }

  /** The referrals the caller's school or PRU sent, oldest first, paged with the true total (DSPs and head teachers). */
  @Get('escalations')
  async listSent(@CurrentActor() actor: Actor, @Query() query: ListSentReferralsDto) {
    const { items, page, pageSize, total } = await this.escalations.listForOrganisation(actor, query);
    return { items, page, pageSize, total };
  }

  @Get('escalations/:id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.escalations.get(actor, id);
  }
}
