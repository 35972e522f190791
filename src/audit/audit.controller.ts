import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { Language } from '../common/language';
import { IsPlainText } from '../common/validation';
import { ReaderLanguage } from '../i18n/reader-language';
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, AUDIT_SUBJECT_TYPES } from './audit-filter';
import { toAuditPageResponse } from './audit.mapper';
import { AuditService } from './audit.service';

export { AUDIT_SUBJECT_TYPES };

/**
 * `GET /api/audit`'s filters. Only type and length are checked here; the service reads them
 * (audit-filter.ts), so the API and the page answer the same 400 keyed by field.
 */
export class AuditQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_SUBJECT_TYPES, description: 'With subjectId: one record’s whole history.' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  subjectType?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  subjectId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who acted (a user id).' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  actorId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Entries about one pupil: their record and chronology, and their concerns and referrals.',
  })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  pupilId?: string;

  @ApiPropertyOptional({ description: 'Part of a pupil’s name, or a UPN: the pupils the caller may see that match.' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  pupil?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsPlainText({ min: 0, max: 60 })
  action?: string;

  @ApiPropertyOptional({ format: 'date', description: 'First day (YYYY-MM-DD, Europe/London), included.' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last day (YYYY-MM-DD, Europe/London), included.' })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @IsPlainText({ min: 0, max: 10 })
  page?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_SIZE.max, default: AUDIT_PAGE_SIZE.default })
  @IsOptional()
  @IsPlainText({ min: 0, max: 10 })
  pageSize?: string;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** `{items, page, pageSize, total}`: newest first, `total` the true number the filters match. */
  @Get()
  async list(@CurrentActor() actor: Actor, @ReaderLanguage() language: Language, @Query() query: AuditQueryDto) {
    return toAuditPageResponse(await this.audit.page(actor, query), language);
  }
}
