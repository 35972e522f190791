import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { Language, LANGUAGES } from '../common/language';
import { PageFormDto } from '../common/page-form.dto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LANGUAGE_COOKIE, languageCookieOptions, safeReturnPath } from '../i18n/language';
import { OrganisationsService } from '../organisations/organisations.service';
import { SessionOptional } from './public.decorator';
import { TwoFactorSetupAllowed } from './two-factor/two-factor-gate';

/** The header's language switch: the language chosen and the page it was chosen on. */
export class LanguageSwitchFormDto extends PageFormDto {
  @IsIn(LANGUAGES)
  language: Language;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  returnTo?: string;
}

/**
 * The one place a language choice is saved: the header's switch posts here (a form, so it works without
 * JavaScript, and the CSRF guard checks it). It remembers the choice in the browser's cookie and, for a
 * signed-in person, on their account; then it goes back to the page (a same-site path only).
 * A `?lang=` on a GET only ever chooses that page's language and the cookie.
 */
@Controller('language')
export class LanguageSwitchController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisations: OrganisationsService,
  ) {}

  @SessionOptional()
  @TwoFactorSetupAllowed()
  @Post()
  @HttpCode(303)
  async switch(@Body() form: LanguageSwitchFormDto, @Req() request: Request, @Res() response: Response) {
    const actor = (request as Request & { user?: Actor | null }).user;
    if (actor && actor.language !== form.language) await this.organisations.setLanguage(actor, form.language);
    response.cookie(LANGUAGE_COOKIE, form.language, languageCookieOptions(this.config.auth.cookieSecure));
    response.redirect(303, safeReturnPath(form.returnTo));
  }
}
