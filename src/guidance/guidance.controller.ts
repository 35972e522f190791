import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { EvaluateGuidanceDto } from './dto/evaluate-guidance.dto';
import { DraftGuidanceService } from './draft-guidance.service';

@Controller('api/guidance')
export class GuidanceController {
  constructor(private readonly draftGuidance: DraftGuidanceService) {}

  /** Guidance for a concern being drafted (the live panel on the forms); nothing is stored. */
  @Post('evaluate')
  @HttpCode(200)
  evaluate(@CurrentActor() actor: Actor, @Body() dto: EvaluateGuidanceDto) {
    return this.draftGuidance.evaluate(actor, dto);
  }
}
