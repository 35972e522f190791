import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { ConcernAmendmentsService } from './concern-amendments.service';
import { AmendConcernDto } from './dto/amend-concern.dto';

/** API.md, Corrections: `POST /api/concerns/:id/amendments` → 201 with the amendment. */
@Controller('api/concerns')
export class ConcernAmendmentsController {
  constructor(private readonly amendments: ConcernAmendmentsService) {}

  @Post(':id/amendments')
  @HttpCode(201)
  amend(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: AmendConcernDto) {
    return this.amendments.amend(actor, id, dto);
  }
}
