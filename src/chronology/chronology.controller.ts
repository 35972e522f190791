import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { Language, LANGUAGES } from '../common/language';
import { IsChronologyDay, IsNotBeforeDay } from './chronology-days';
import { chronologyPdfFile } from './pdf/chronology-pdf';
import { PdfOptions } from './pdf/chronology-pdf.text';
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

/** The PDF's options (API.md, "PRU placements and moving school"; `from`/`to` added: London days, both included). */
export class ChronologyPdfQueryDto {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Headings and labels; default the reader’s language.' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'A role instead of each staff name; default false.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  redactStaff?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date', description: 'First London day included.' })
  @IsOptional()
  @IsChronologyDay()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last London day included; not before from.' })
  @IsOptional()
  @IsChronologyDay()
  @IsNotBeforeDay('from')
  to?: string;
}

/** What the PDF needs besides the export: its language, the names choice, the days and the exporter. */
function pdfOptionsFor(
  actor: Actor,
  query: { language: Language; redactStaff: boolean; from?: string; to?: string },
): PdfOptions {
  return {
    ...query,
    exporter: {
      name: actor.name,
      role: actor.role,
      organisation: { name: actor.organisationName, nameCy: actor.organisationNameCy ?? null },
    },
    exportedAt: new Date(),
  };
}

/**
 * The chronology PDF as a download, for the API route and the page's form alike: the export (access,
 * scope and audit are the service's) rendered in the chosen language, staff names removed when asked.
 */
export async function chronologyPdfDownload(
  chronology: ChronologyService,
  actor: Actor,
  pupilId: string,
  request: { language: Language; redactStaff?: string; from?: string; to?: string },
): Promise<StreamableFile> {
  const redactStaff = request.redactStaff === 'true';
  const { from, to } = request;
  const exported = await chronology.exportForPupil(actor, pupilId, { from, to }, { redactStaff });
  return chronologyPdfFile(exported, pdfOptionsFor(actor, { language: request.language, redactStaff, from, to }));
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

  /**
   * The chronology as a PDF for the DSPs and head teachers who may read it (a 404 for anyone else, as
   * the chronology itself): every entry the dates match, audited as `chronology.exported`.
   */
  @Get(':id/chronology.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The chronology as a PDF attachment.', schema: { type: 'string', format: 'binary' } })
  async pdf(
    @CurrentActor() actor: Actor,
    @ReaderLanguage() language: Language,
    @Param() { id: pupilId }: IdParam,
    @Query() query: ChronologyPdfQueryDto,
  ): Promise<StreamableFile> {
    return chronologyPdfDownload(this.chronology, actor, pupilId, { ...query, language: query.lang ?? language });
  }
}
