import { Controller, Get, Param, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { Language } from '../common/language';
import { CONCERN_CATEGORIES } from '../guidance/codes';
import { ReaderLanguage } from '../i18n/reader-language';
import { CHRONOLOGY_KINDS, ChronologyKind, toChronologyResponse } from './chronology.mapper';
import { CHRONOLOGY_PAGE_SIZE, ChronologyService } from './chronology.service';
import { IdParam } from '../common/id-param';
import { AtMostItems } from '../common/validation';
import { PageNumber, PageSize } from '../common/paging';

/** `?kind=decision&kind=escalation_sent` or `?kind=decision,escalation_sent`. */
export const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);

export class ChronologyQueryDto {
  @IsOptional()
  @Transform(toList)
  // Below the Transform, so it measures the list toList made: each kind at most once.
  @AtMostItems(CHRONOLOGY_KINDS.length)
  @IsArray()
  @IsIn(CHRONOLOGY_KINDS, { each: true })
  kind?: ChronologyKind[];

  @IsOptional()
  @IsIn(CONCERN_CATEGORIES)
  category?: string;

  @PageNumber('The page, from 1: page 1 has the newest entries.')
  page?: number;

  @PageSize()
  pageSize?: number;
}

@Controller('api/pupils')
export class ChronologyController {
  constructor(private readonly chronology: ChronologyService) {}

  /**
   * `{pupil, entries, page, pageSize, total}`: `entries` in the chronology's order (oldest first) are
   * one page counted from the newest end, `total` the true number the filters match.
   */
  @Get(':id/chronology')
  async get(
    @CurrentActor() actor: Actor,
    @ReaderLanguage() language: Language,
    @Param() { id: pupilId }: IdParam,
    @Query() query: ChronologyQueryDto,
  ) {
    const chronology = await this.chronology.forPupil(
      actor,
      pupilId,
      { kinds: query.kind, category: query.category },
      { page: query.page ?? 1, pageSize: query.pageSize ?? CHRONOLOGY_PAGE_SIZE.default },
    );
    return toChronologyResponse(chronology, language);
  }
}
