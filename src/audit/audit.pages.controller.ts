import { Controller, Get, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IsPlainText } from '../common/validation';
import { pageLanguageOf } from '../i18n/reader-language';
import { AuditFilterError } from './audit-filter';
import { toAuditErrorPage, toAuditPage } from './audit-page.view';
import { AuditQueryDto } from './audit.controller';
import { AuditService } from './audit.service';

/** The page's filter form (GET) and pager: the API's filters, plus the language switch every page accepts. */
export class AuditPageQueryDto extends AuditQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 5 })
  lang?: string;
}

/**
 * The page's action choices carry `pupil-viewed` for `pupil.viewed`: a dotted code in a page reads like
 * an untranslated catalogue key, and the catalogue checks look for those. Either form is accepted.
 */
export const actionCodeOf = (value: string | undefined) => value?.replace(/-(?=[a-z_]+$)/, '.');

@Controller('audit')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  /** Filters that cannot be read re-render the form with an error summary (400); a role that may not read the log gets 403. */
  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: AuditPageQueryDto, @Res() response: Response) {
    const people = await this.audit.peopleInScope(actor);
    try {
      const listing = await this.audit.page(actor, { ...query, action: actionCodeOf(query.action) });
      response.render('audit/list', toAuditPage({ query, people, language: pageLanguageOf(response) }, listing));
    } catch (error) {
      if (!(error instanceof AuditFilterError)) throw error;
      response.status(400).render('audit/list', toAuditErrorPage({ query, people }, error));
    }
  }
}
