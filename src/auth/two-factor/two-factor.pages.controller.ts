import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { toString as qrCodeSvg } from 'qrcode';
import { Actor } from '../../common/actor';
import { TooManyAttemptsError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { pageLanguageOf } from '../../i18n/reader-language';
import { CurrentActor } from '../current-actor.decorator';
import { authCookieNames } from '../session-cookie';
import { refusalKey, waitInWords } from '../sign-in-messages';
import { groupedSecret } from './totp';
import { ChangeProof, TwoFactorChanges } from './two-factor-changes';
import { DisableTwoFactorFormDto, EnableTwoFactorFormDto, TwoFactorCodeFormDto } from './two-factor.dto';
import { TwoFactorError, TwoFactorRuleError } from './two-factor-errors';
import { TwoFactorSetupAllowed } from './two-factor-gate';
import { TwoFactorService, TwoFactorSetup } from './two-factor.service';

interface PageError {
  field: string;
  key: string;
  minutes?: string;
}

const DONE = ['enabled', 'disabled'] as const;

/**
 * `/account/two-factor`: set up an authenticator (QR code as inline SVG, the secret in groups to type),
 * confirm a code, see the ten recovery codes once; when on, new recovery codes or turning it off. Open
 * to a session that must still set it up (REQUIRE_2FA), which is sent here.
 */
@TwoFactorSetupAllowed()
@Controller('account/two-factor')
export class TwoFactorPagesController {
  private readonly deviceCookie: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly twoFactor: TwoFactorService,
    private readonly changes: TwoFactorChanges,
  ) {
    this.deviceCookie = authCookieNames(config.auth.cookieSecure).device;
  }

  @Get()
  async page(@CurrentActor() actor: Actor, @Query('done') done: unknown, @Res() response: Response) {
    return this.render(
      response,
      actor,
      200,
      [],
      DONE.find((d) => d === done),
    );
  }

  /** Starts (again) setting up: a new pending secret, then back to the page, which shows it. */
  @Post('setup')
  async setup(@CurrentActor() actor: Actor, @Res() response: Response) {
    await this.twoFactor.setup(actor);
    response.redirect(303, '/account/two-factor');
  }

  /** Turns it on; while on, moves it to the new phone (with a code from the old one, or a recovery code). */
  @Post('enable')
  async enable(
    @CurrentActor() actor: Actor,
    @Body() form: EnableTwoFactorFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const replacing = (await this.twoFactor.status(actor)).enabled;
    const errors: PageError[] = [];
    if (!form.code?.trim()) errors.push({ field: 'code', key: 'twoFactor.errors.codeMissing' });
    if (replacing && !form.currentCode?.trim())
      errors.push({ field: 'currentCode', key: 'twoFactor.errors.currentCodeMissing' });
    if (errors.length > 0) return this.render(response, actor, 400, errors);
    try {
      const codes = replacing
        ? await this.changes.moveToNewAuthenticator(actor, this.proof(form.currentCode!, request), form.code!)
        : await this.twoFactor.enable(actor, form.code!, request.ip ?? null);
      return response.status(200).render('account/two-factor-codes', {
        title: 'twoFactor.codes.title',
        codes,
        done: replacing ? 'moved' : 'enabled',
      });
    } catch (error) {
      return this.renderProblem(response, actor, error);
    }
  }

  @Post('recovery-codes')
  async regenerate(
    @CurrentActor() actor: Actor,
    @Body() form: TwoFactorCodeFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    if (!form.code?.trim())
      return this.render(response, actor, 400, [{ field: 'regenerate-code', key: 'twoFactor.errors.codeMissing' }]);
    try {
      const codes = await this.changes.regenerateRecoveryCodes(actor, this.proof(form.code, request));
      return response.status(200).render('account/two-factor-codes', { title: 'twoFactor.codes.title', codes });
    } catch (error) {
      return this.renderProblem(response, actor, error, 'regenerate-');
    }
  }

  @Post('disable')
  async disable(
    @CurrentActor() actor: Actor,
    @Body() form: DisableTwoFactorFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const errors: PageError[] = [];
    if (!form.password) errors.push({ field: 'disable-password', key: 'twoFactor.errors.passwordMissing' });
    if (!form.code?.trim()) errors.push({ field: 'disable-code', key: 'twoFactor.errors.codeMissing' });
    if (errors.length > 0) return this.render(response, actor, 400, errors);
    try {
      await this.changes.disable(actor, { ...this.proof(form.code!, request), password: form.password! });
      return response.redirect(303, '/account/two-factor?done=disabled');
    } catch (error) {
      return this.renderProblem(response, actor, error, 'disable-');
    }
  }

  private proof(code: string, request: Request): ChangeProof {
    return { code, address: request.ip ?? null, deviceCookie: request.cookies?.[this.deviceCookie] };
  }

  /** A wrong code or password, or too many tries, on the form it came from (`prefix` names its fields). */
  private renderProblem(response: Response, actor: Actor, error: unknown, prefix = '') {
    if (error instanceof TooManyAttemptsError) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      const minutes = waitInWords(pageLanguageOf(response), error.retryAfterSeconds);
      return this.render(response, actor, 429, [{ field: `${prefix}code`, key: refusalKey(error), minutes }]);
    }
    if (!(error instanceof TwoFactorRuleError)) throw error;
    switch (error.reason) {
      case TwoFactorError.WrongCode:
        return this.render(response, actor, 422, [{ field: `${prefix}code`, key: 'twoFactor.errors.wrongCode' }]);
      case TwoFactorError.WrongCurrentCode:
        return this.render(response, actor, 422, [{ field: 'currentCode', key: 'twoFactor.errors.wrongCurrentCode' }]);
      case TwoFactorError.WrongPassword:
        return this.render(response, actor, 422, [
          { field: `${prefix}password`, key: 'twoFactor.errors.wrongPassword' },
        ]);
      case TwoFactorError.NotSetUp:
        return this.render(response, actor, 422, [{ field: `${prefix}code`, key: 'twoFactor.errors.notSetUp' }]);
      // The page offers none of these in that state: another tab changed it. The page as it now is.
      case TwoFactorError.AlreadyEnabled:
      case TwoFactorError.NotEnabled:
      case TwoFactorError.Required:
        return this.render(response, actor, 422, [{ field: `${prefix}code`, key: `twoFactor.errors.${error.reason}` }]);
    }
  }

  private async render(
    response: Response,
    actor: Actor,
    status: number,
    errors: PageError[],
    done?: (typeof DONE)[number],
  ) {
    const state = await this.twoFactor.status(actor);
    const pending = await this.twoFactor.pendingSetup(actor);
    response.status(status).render('account/two-factor', {
      title: 'twoFactor.title',
      state,
      setup: pending ? await this.setupView(pending) : null,
      mayTurnOff: state.enabled && !state.required,
      done,
      errors: errors.length > 0 ? errors : undefined,
    });
  }

  private async setupView(setup: TwoFactorSetup) {
    // Drawn here as SVG markup (no script, no inline style), so the page's Content-Security-Policy holds.
    const svg = await qrCodeSvg(setup.otpauthUrl, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { qrSvg: svg, secretGroups: groupedSecret(setup.secret) };
  }
}
