import { Controller, Get, Param, Query, Render, StreamableFile } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { Language, LANGUAGES } from '../common/language';
import { IsChronologyDay, IsNotBeforeDay } from './chronology-days';
import { chronologyPdfDownload } from './chronology.controller';
import { PageQueryDto } from '../common/page-query.dto';
import { CONCERN_CATEGORIES } from '../guidance/codes';
import { toChronologyPage } from './chronology-page.mapper';
import { toList } from './chronology.controller';
import { CHRONOLOGY_KINDS, ChronologyKind } from './chronology.mapper';
import { CHRONOLOGY_PAGE_SIZE, ChronologyService } from './chronology.service';
import { ReaderLanguage } from '../i18n/reader-language';
import { IdParam } from '../common/id-param';
import { AtMostItems } from '../common/validation';
import { PageNumber } from '../common/paging';

/** The filter form's fields (`kind` repeats, one per ticked box; "all categories" sends `category=`) and `print=1`. */
export class ChronologyPageQueryDto extends PageQueryDto {
  @IsOptional()
  @Transform(toList)
  // Below the Transform, so it measures the list toList made: each kind at most once.
  @AtMostItems(CHRONOLOGY_KINDS.length)
  @IsArray()
  @IsIn(CHRONOLOGY_KINDS, { each: true })
  kind?: ChronologyKind[];

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsIn(CONCERN_CATEGORIES)
  category?: string;

  @IsOptional()
  @IsIn(['1'])
  print?: '1';

  @PageNumber()
  page?: number;
}

const blankIsMissing = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The page's "Download as PDF" form: `language` (not `lang`, which would also switch the pages'
 * language through the language middleware), the "remove staff names" box (sent only when ticked) and
 * the two date boxes, which a browser sends empty when left empty.
 */
export class ChronologyPdfPageQueryDto extends PageQueryDto {
  @IsOptional()
  @Transform(blankIsMissing)
  @IsIn(LANGUAGES)
  language?: Language;

  @IsOptional()
  @IsIn(['true'])
  redactStaff?: 'true';

  @IsOptional()
  @Transform(blankIsMissing)
  @IsChronologyDay()
  from?: string;

  @IsOptional()
  @Transform(blankIsMissing)
  @IsChronologyDay()
  @IsNotBeforeDay('from')
  to?: string;
}

@Controller('pupils')
export class ChronologyPagesController {
  constructor(private readonly chronology: ChronologyService) {}

  @Get(':id/chronology')
  @Render('chronology/pupil')
  async show(
    @CurrentActor() actor: Actor,
    @ReaderLanguage() language: Language,
    @Param() { id: pupilId }: IdParam,
    @Query() query: ChronologyPageQueryDto,
  ) {
    // The screen shows a page (the newest 50 first); the print view every entry the filters match.
    const print = query.print === '1';
    const chronology = await this.chronology.forPupil(
      actor,
      pupilId,
      { kinds: query.kind, category: query.category },
      print ? 'all' : { page: query.page ?? 1, pageSize: CHRONOLOGY_PAGE_SIZE.default },
    );
    return toChronologyPage(chronology, language, {
      kinds: query.kind ?? [],
      category: query.category,
      print,
      printedAt: new Date().toISOString(),
    });
  }

  /**
   * The form's download: the same export as `GET /api/pupils/:id/chronology.pdf`, at an address
   * beside the page (`/chronology/pdf`, so no page carries a link that reads like a catalogue key).
   */
  @Get(':id/chronology/pdf')
  async pdf(
    @CurrentActor() actor: Actor,
    @ReaderLanguage() language: Language,
    @Param() { id: pupilId }: IdParam,
    @Query() query: ChronologyPdfPageQueryDto,
  ): Promise<StreamableFile> {
    return chronologyPdfDownload(this.chronology, actor, pupilId, { ...query, language: query.language ?? language });
  }
}
