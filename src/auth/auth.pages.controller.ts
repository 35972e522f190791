import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { DomainError, ErrorCode, TooManyAttemptsError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LoginFormDto } from './auth.dto';
import { OrganisationsService } from '../organisations/organisations.service';
import { AuthService, SignedIn, SignInChallengeExpiredError } from './auth.service';
import { LoginCodeFormDto } from './two-factor/two-factor.dto';
import { TwoFactorSetupAllowed } from './two-factor/two-factor-gate';
import { Public } from './public.decorator';
import { setNewSessionCookies } from './new-session-cookies';
import { isLanguage } from '../common/language';
import { LANGUAGE_COOKIE, languageCookieOptions } from '../i18n/language';
import { AuthCookieNames, authCookieNames, sessionCookieOptions, sessionTokenExtractor } from './session-cookie';
import { pageLanguageOf } from '../i18n/reader-language';
import { refusalKey, waitInWords } from './sign-in-messages';

/** Only same-site paths, so the sign-in form cannot be used to bounce people to another site. */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/';
}

@Controller()
export class AuthPagesController {
  private readonly cookies: AuthCookieNames;
  private readonly sessionTokenOf: (request: Request) => string | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly organisations: OrganisationsService,
  ) {
    this.cookies = authCookieNames(config.auth.cookieSecure);
    this.sessionTokenOf = sessionTokenExtractor(this.cookies);
  }

  @Public()
  @Get('login')
  loginPage(
    @Query('next') next: string | undefined,
    @Query('signedOut') signedOut: string | undefined,
    @Query('reset') reset: string | undefined,
    @Res() response: Response,
  ) {
    response.render('auth/login', {
      next: safeNextPath(next),
      signedOut: signedOut === '1',
      passwordReset: reset === '1',
      title: 'login.title',
    });
  }

  @Public()
  @Post('login')
  async login(@Body() form: LoginFormDto, @Req() request: Request, @Res() response: Response) {
    const next = safeNextPath(form.next);
    const errors: Record<string, string> = {};
    if (!form.email) errors.email = 'login.errors.emailMissing';
    if (!form.password) errors.password = 'login.errors.passwordMissing';
    if (Object.keys(errors).length > 0) {
      return response
        .status(400)
        .render('auth/login', { next, email: form.email, title: 'login.title', errors: this.errorList(errors) });
    }
    try {
      const device: unknown = request.cookies?.[this.cookies.device];
      const result = await this.auth.beginSignIn(form.email!, form.password!, request.ip ?? null, device);
      // Two-factor on: no session yet; the next page asks for the code, carrying the challenge.
      if (result.twoFactorRequired)
        return response.status(200).render('auth/login-code', {
          next,
          challengeToken: result.challengeToken,
          title: 'twoFactor.signIn.title',
        });
      return await this.startSession(result, request, response, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = error.code === ErrorCode.TooManyAttempts ? 429 : 401;
      const problem = this.refusalOr(error, response, { field: 'email', key: 'login.errors.wrongCredentials' });
      return response
        .status(status)
        .render('auth/login', { next, email: form.email, title: 'login.title', errors: [problem] });
    }
  }

  /**
   * The sign-in's second step: the six-digit code (or a recovery code) for the challenge the password
   * step gave. A wrong code comes back to this page; an expired or used-up challenge to the password.
   */
  @Public()
  @Post('login/code')
  async loginCode(@Body() form: LoginCodeFormDto, @Req() request: Request, @Res() response: Response) {
    const next = safeNextPath(form.next);
    const challengeToken = form.challengeToken ?? '';
    const codePage = (status: number, key: string, minutes?: string) =>
      response.status(status).render('auth/login-code', {
        next,
        challengeToken,
        title: 'twoFactor.signIn.title',
        errors: [{ field: 'code', key, minutes }],
      });
    if (!form.code?.trim()) return codePage(400, 'twoFactor.signIn.errors.codeMissing');
    try {
      const device: unknown = request.cookies?.[this.cookies.device];
      const signedIn = await this.auth.completeSignIn(challengeToken, form.code, request.ip ?? null, device);
      return await this.startSession(signedIn, request, response, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error instanceof SignInChallengeExpiredError)
        return response.status(401).render('auth/login', {
          next,
          title: 'login.title',
          errors: [{ field: 'email', key: 'twoFactor.signIn.errors.expired' }],
        });
      const problem = this.refusalOr(error, response, { field: 'code', key: 'twoFactor.signIn.errors.wrongCode' });
      return codePage(error.code === ErrorCode.TooManyAttempts ? 429 : 401, problem.key, problem.minutes);
    }
  }

  /** A refusal says which limit refused it (not always "this account") and how long to wait; else `otherwise`. */
  private refusalOr(error: DomainError, response: Response, otherwise: { field: string; key: string }) {
    if (!(error instanceof TooManyAttemptsError)) return { ...otherwise, minutes: undefined };
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
    return {
      field: otherwise.field,
      key: refusalKey(error),
      minutes: waitInWords(pageLanguageOf(response), error.retryAfterSeconds),
    };
  }

  /** The cookies of a new session in this browser, then on to where the person was going. */
  private async startSession(signedIn: SignedIn, request: Request, response: Response, next: string) {
    const { actor } = signedIn;
    setNewSessionCookies(response, this.config, signedIn);
    // A language chosen on the sign-in page is the person's latest choice: keep it and save it to the
    // account. Otherwise the account's saved language applies from now on, in this browser too.
    const chosen: unknown = request.cookies?.[LANGUAGE_COOKIE];
    if (isLanguage(chosen)) {
      if (chosen !== actor.language) await this.organisations.setLanguage(actor, chosen);
    } else {
      response.cookie(LANGUAGE_COOKIE, actor.language, languageCookieOptions(this.config.auth.cookieSecure));
    }
    // REQUIRE_2FA: nothing else is open to this session until two-factor is set up.
    return response.redirect(303, signedIn.twoFactorSetupRequired ? '/account/two-factor' : next);
  }

  @TwoFactorSetupAllowed()
  @Get('logout')
  logoutPage(@Res() response: Response) {
    response.render('auth/logout', { title: 'logout.title' });
  }

  /**
   * Public, so a browser whose session has already expired can still clear it; the CSRF guard still
   * applies. The session's token is revoked, so a copy of the cookie is refused from now on.
   */
  @Public()
  @TwoFactorSetupAllowed()
  @Post('logout')
  async logout(@Req() request: Request, @Res() response: Response) {
    await this.auth.endSession(this.sessionTokenOf(request), request.ip ?? null);
    response.clearCookie(this.cookies.session, sessionCookieOptions(this.config));
    response.redirect(303, '/login?signedOut=1');
  }

  private errorList(errors: Record<string, string>) {
    return Object.entries(errors).map(([field, key]) => ({ field, key }));
  }
}
