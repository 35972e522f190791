import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { Language } from '../../common/language';
import { toGuidanceAnswer } from '../../guidance/guidance.mapper';
import { ReaderLanguage } from '../../i18n/reader-language';
import { organisationName } from '../../organisations/organisation-name';
import { withGuidanceIn } from './concern.mapper';
import { ConcernsService } from './concerns.service';
import { CloseConcernDto, RecordDecisionDto } from './dto/decision.dto';
import { ListConcernsQueryDto } from './dto/list-concerns.dto';
import { RecordConcernDto } from './dto/record-concern.dto';
import { IdParam } from '../../common/id-param';
import { AcceptsIdempotencyKey, Idempotency, IdempotentRequest } from '../submissions/idempotency';

@Controller('api/concerns')
export class ConcernsController {
  constructor(private readonly concerns: ConcernsService) {}

  @Post()
  @AcceptsIdempotencyKey()
  async record(
    @CurrentActor() actor: Actor,
    @ReaderLanguage() language: Language,
    @Body() dto: RecordConcernDto,
    @Idempotency() request?: IdempotentRequest,
  ) {
    return withGuidanceIn(language, await this.concerns.record(actor, dto, request));
  }

  /** API.md, Paging: `{items, page, pageSize, total}`, `total` the true number matching. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListConcernsQueryDto) {
    return this.concerns.listForOrganisation(actor, query.status, {
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @ReaderLanguage() language: Language, @Param() { id }: IdParam) {
    const { organisation, ...concern } = await this.concerns.get(actor, id);
    // Where it was recorded, in the reader's language (issue 12: every record says where it was made).
    return {
      ...withGuidanceIn(language, concern),
      organisation: { id: organisation.id, name: organisationName(organisation, language) },
    };
  }

  @Get(':id/guidance')
  async guidance(@CurrentActor() actor: Actor, @ReaderLanguage() language: Language, @Param() { id }: IdParam) {
    return toGuidanceAnswer(await this.concerns.guidanceForConcern(actor, id), language);
  }

  @Post(':id/decision')
  @AcceptsIdempotencyKey()
  decide(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: RecordDecisionDto,
    @Idempotency() request?: IdempotentRequest,
  ) {
    return this.concerns.decide(actor, id, dto, request);
  }

  @Post(':id/close')
  @AcceptsIdempotencyKey()
  close(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: CloseConcernDto,
    @Idempotency() request?: IdempotentRequest,
  ) {
    return this.concerns.close(actor, id, dto, request);
  }
}
