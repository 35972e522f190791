import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { EscalationsService } from './escalations.service';
import { IdParam } from '../../common/id-param';

@Controller('api')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Post('concerns/:id/escalations')
  send(@CurrentActor() actor: Actor, @Param() { id: concernId }: IdParam, @Body() dto: SendEscalationDto) {
    return this.escalations.send(actor, concernId, dto);
  }

  @Get('escalations/:id')
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.escalations.get(actor, id);
  }
}
