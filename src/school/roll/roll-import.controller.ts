import { Controller, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { Language } from '../../common/roles';
import { ReaderLanguage } from '../../i18n/reader-language';
import { RollImportQueryDto } from './dto/roll-import.dto';
import { rollFormatOf } from './roll-body';
import { toRollImportResponse } from './roll-import.mapper';
import { RollImportService } from './roll-import.service';

@Controller('api/organisations')
export class RollImportController {
  constructor(private readonly rollImports: RollImportService) {}

  /**
   * API.md, "The roll": a CSV (`text/csv`) or Common Transfer File (`application/xml`) body, at most
   * 20 MB (roll-body.ts reads it). 200 for a dry run, 201 when applied; 422 when applying a file with
   * a rejected row (nothing changes).
   */
  @Post(':id/roll-imports')
  @HttpCode(201)
  @ApiConsumes('text/csv', 'application/xml')
  @ApiBody({ schema: { type: 'string' } })
  async import(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: RollImportQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @ReaderLanguage() language: Language,
  ) {
    const dryRun = query.dryRun === 'true';
    const content = typeof request.body === 'string' ? request.body : '';
    const result = await this.rollImports.import(actor, id, {
      content,
      format: rollFormatOf(request) ?? 'csv',
      mode: query.mode ?? 'full',
      dryRun,
    });
    if (dryRun) response.status(200);
    return toRollImportResponse(result, language);
  }
}
