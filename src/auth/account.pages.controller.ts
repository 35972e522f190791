import { Body, Controller, Get, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { NotFoundError, TooManyAttemptsError } from '../common/domain-error';
import { isLanguage } from '../common/language';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LANGUAGE_COOKIE, languageCookieOptions } from '../i18n/language';
import { pageLanguageOf } from '../i18n/reader-language';
import {
  AccountPreferencesFormDto,
  ChangePasswordFormDto,
  ResetPasswordFormDto,
  ResetRequestFormDto,
} from './account-forms.dto';
import { AccountSettingsService } from './account-settings.service';
import { CurrentAccount } from './current-account.decorator';
import { SessionAccount } from './jwt.strategy';
import { CurrentSessionClaims } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { CurrentSession } from './current-session.decorator';
import { PasswordPolicyError, PasswordRuleError, PasswordsService } from './passwords.service';
import { Public } from './public.decorator';
import { authCookieNames, sessionCookieOptions } from './session-cookie';
import { setNewSessionCookies } from './new-session-cookies';
import { AuthService } from './auth.service';
import { SwitchMembershipFormDto } from './auth.dto';
import { organisationName } from '../organisations/organisation-name';
import { refusalKey, waitInWords } from './sign-in-messages';

/** One problem shown beside its field and in the error summary (views/partials/error-summary.hbs). */
interface PageError {
  field: string;
  key: string;
  minutes?: string;
}

const policyErrors = (error: PasswordPolicyError, field: string): PageError[] =>
  error.problems.map((problem) => ({ field, key: `passwordPolicy.${problem}` }));

/**
 * The signed-in person's account (`/account`: password, language, email notifications, a link to
 * two-factor sign-in) and the signed-out reset journey (`/reset`, `/reset/:token`). Forms post and
 * redirect; they work without JavaScript and carry the CSRF token like every form.
 */
@Controller()
export class AccountPagesController {
  private readonly logger = new Logger(AccountPagesController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwords: PasswordsService,
    private readonly account: AccountSettingsService,
    private readonly auth: AuthService,
  ) {}

  @Get('account')
  async accountPage(
    @CurrentActor() actor: Actor,
    @CurrentAccount() account: SessionAccount,
    @Query('done') done: unknown,
    @Res() response: Response,
  ) {
    return this.renderAccount(actor, account, response, 200, {
      done: done === 'password' || done === 'preferences' || done === 'role' ? done : null,
    });
  }

  /**
   * Work in another of one's roles: this browser's session ends and one with that membership starts (new
   * session and CSRF cookies). Someone else's or an ended membership is a 404 page, like any record.
   */
  @Post('account/role')
  async switchRole(
    @CurrentActor() actor: Actor,
    @CurrentSession() session: CurrentSessionClaims,
    @Body() form: SwitchMembershipFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    if (!form.membershipId || !/^[0-9a-f-]{36}$/i.test(form.membershipId)) throw new NotFoundError('Membership');
    const signedIn = await this.auth.switchMembership(
      actor,
      session,
      form.membershipId,
      request.ip ?? null,
      request.cookies?.[this.cookieNames.device],
    );
    setNewSessionCookies(response, this.config, signedIn);
    return response.redirect(303, signedIn.twoFactorSetupRequired ? '/account/two-factor' : '/account?done=role');
  }

  @Post('account/password')
  async changePassword(
    @CurrentActor() actor: Actor,
    @CurrentAccount() account: SessionAccount,
    @CurrentSession() session: CurrentSessionClaims,
    @Body() form: ChangePasswordFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const errors: PageError[] = [];
    if (!form.currentPassword) errors.push({ field: 'currentPassword', key: 'credentials.errors.currentMissing' });
    if (!form.newPassword) errors.push({ field: 'newPassword', key: 'credentials.errors.newMissing' });
    else if (form.confirmPassword !== form.newPassword)
      errors.push({ field: 'confirmPassword', key: 'credentials.errors.confirmDiffers' });
    if (errors.length > 0) return this.renderAccount(actor, account, response, 400, { errors });
    try {
      await this.passwords.change(
        actor,
        session,
        { currentPassword: form.currentPassword!, newPassword: form.newPassword! },
        { address: request.ip ?? null, deviceCookie: request.cookies?.[this.cookieNames.device] },
      );
    } catch (error) {
      if (error instanceof PasswordPolicyError)
        return this.renderAccount(actor, account, response, 400, { errors: policyErrors(error, 'newPassword') });
      if (error instanceof PasswordRuleError)
        return this.renderAccount(actor, account, response, 422, {
          errors: [{ field: 'currentPassword', key: 'credentials.errors.currentWrong' }],
        });
      if (error instanceof TooManyAttemptsError) {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        return this.renderAccount(actor, account, response, 429, {
          errors: [
            {
              field: 'currentPassword',
              key: refusalKey(error),
              minutes: waitInWords(pageLanguageOf(response), error.retryAfterSeconds),
            },
          ],
        });
      }
      throw error;
    }
    return response.redirect(303, '/account?done=password');
  }

  @Post('account/preferences')
  async savePreferences(
    @CurrentActor() actor: Actor,
    @CurrentAccount() account: SessionAccount,
    @Body() form: AccountPreferencesFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const errors: PageError[] = [];
    if (!isLanguage(form.language)) errors.push({ field: 'language', key: 'credentials.errors.languageMissing' });
    if (form.emailNotifications !== 'on' && form.emailNotifications !== 'off')
      errors.push({ field: 'emailNotifications', key: 'credentials.errors.notificationsMissing' });
    if (errors.length > 0) return this.renderAccount(actor, account, response, 400, { errors });
    const language = form.language as Actor['language'];
    await this.account.update(
      actor,
      { language, emailNotifications: form.emailNotifications === 'on' },
      request.ip ?? null,
    );
    // The pages follow the saved language from now on, in this browser too.
    response.cookie(LANGUAGE_COOKIE, language, languageCookieOptions(this.config.auth.cookieSecure));
    return response.redirect(303, '/account?done=preferences');
  }

  @Public()
  @Get('reset')
  resetRequestPage(@Res() response: Response) {
    response.render('account/reset-request', { title: 'credentials.reset.title' });
  }

  /**
   * Always the same page ("if an account exists, we have sent a link"), shown before anything is looked
   * up: the lookup and the email happen after, so neither the page nor its timing tells who has an account.
   */
  @Public()
  @Post('reset')
  requestReset(@Body() form: ResetRequestFormDto, @Req() request: Request, @Res() response: Response) {
    const email = form.email?.trim();
    if (!email)
      return response.status(400).render('account/reset-request', {
        title: 'credentials.reset.title',
        errors: [{ field: 'email', key: 'login.errors.emailMissing' }],
      });
    const origin = { address: request.ip ?? null };
    setImmediate(() => {
      this.passwords
        .requestReset(email, origin)
        .catch((error: Error) => this.logger.error(`A password reset request failed: ${error.message}`));
    });
    return response.status(200).render('account/reset-sent', { title: 'credentials.resetSent.title', email });
  }

  @Public()
  @Get('reset/:token')
  async choosePasswordPage(@Param('token') token: string, @Res() response: Response) {
    if (!(await this.passwords.resetLinkIsUsable(token))) return this.renderUnusable(response);
    return response.render('account/reset-choose', { title: 'credentials.resetChoose.title', token });
  }

  @Public()
  @Post('reset/:token')
  async choosePassword(
    @Param('token') token: string,
    @Body() form: ResetPasswordFormDto,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const again = (status: number, errors: PageError[]) =>
      response.status(status).render('account/reset-choose', { title: 'credentials.resetChoose.title', token, errors });
    if (!form.password) return again(400, [{ field: 'password', key: 'credentials.errors.newMissing' }]);
    if (form.confirmPassword !== form.password)
      return again(400, [{ field: 'confirmPassword', key: 'credentials.errors.confirmDiffers' }]);
    try {
      await this.passwords.reset(token, form.password, { address: request.ip ?? null });
    } catch (error) {
      if (error instanceof PasswordPolicyError) return again(400, policyErrors(error, 'password'));
      if (error instanceof NotFoundError) return this.renderUnusable(response);
      throw error;
    }
    // Every session of the account has ended, this browser's too.
    response.clearCookie(this.cookieNames.session, sessionCookieOptions(this.config));
    return response.redirect(303, '/login?reset=1');
  }

  private get cookieNames() {
    return authCookieNames(this.config.auth.cookieSecure);
  }

  private renderUnusable(response: Response) {
    return response.status(404).render('account/reset-unusable', { title: 'credentials.resetUnusable.title' });
  }

  /** Shown after nothing has changed (a GET, or a form refused), so the request's SessionAccount is current. */
  private async renderAccount(
    actor: Actor,
    account: SessionAccount,
    response: Response,
    status: number,
    extra: { errors?: PageError[]; done?: 'password' | 'preferences' | 'role' | null },
  ) {
    const me = this.account.me(actor, account);
    const language = pageLanguageOf(response);
    const roles = (await this.account.roles(actor)).map((option) => ({
      ...option,
      organisation: organisationName({ name: option.organisationName, nameCy: option.organisationNameCy }, language),
    }));
    const current = roles.find((option) => option.current);
    return response.status(status).render('account/index', {
      title: 'credentials.account.title',
      me,
      welsh: me.language === 'cy',
      notificationsOn: me.emailNotifications !== false,
      errors: extra.errors,
      done: extra.done,
      // Only someone with more than one role has anything to choose.
      roles: roles.length > 1 ? roles : null,
      twoFactorEnabled: account.twoFactorEnabled,
      current,
    });
  }
}
