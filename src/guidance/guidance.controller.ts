import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { Language } from '../common/language';
import { ReaderLanguage } from '../i18n/reader-language';
import { EvaluateGuidanceDto } from './dto/evaluate-guidance.dto';
import { DraftGuidanceService } from './draft-guidance.service';
import { toGuidanceAnswer } from './guidance.mapper';

@Controller('api/guidance')
export class GuidanceController {
  constructor(private readonly draftGuidance: DraftGuidanceService) {}

  /** Guidance for a concern being drafted (the live panel on the forms); nothing is stored. */
  @Post('evaluate')
  @HttpCode(200)
  async evaluate(@CurrentActor() actor: Actor, @ReaderLanguage() language: Language, @Body() dto: EvaluateGuidanceDto) {
    return toGuidanceAnswer(await this.draftGuidance.evaluate(actor, dto), language);
  }
}
