import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { TooManyAttemptsError } from '../common/domain-error';
import { Language } from '../common/language';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ReaderLanguage } from '../i18n/reader-language';
import { AccountSettingsService } from './account-settings.service';
import {
  ChangePasswordDto,
  LoginDto,
  PasswordResetDto,
  PasswordResetRequestDto,
  SwitchMembershipDto,
  UpdateMeDto,
} from './auth.dto';
import { PAGE_SIZE, PagingQueryDto } from '../common/paging';
import { AuthService, CurrentSessionClaims, SignedIn } from './auth.service';
import { CurrentAccount } from './current-account.decorator';
import { CurrentActor } from './current-actor.decorator';
import { SessionAccount } from './jwt.strategy';
import { CurrentSession } from './current-session.decorator';
import { MeResponse, toMeResponse } from './me.mapper';
import { PasswordsService } from './passwords.service';
import { Public } from './public.decorator';
import { authCookieNames, deviceCookieOptions } from './session-cookie';
import { refusalInWords } from './sign-in-messages';
import { LoginCodeDto } from './two-factor/two-factor.dto';
import { TwoFactorSetupAllowed } from './two-factor/two-factor-gate';

@Controller('api')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);
  private readonly deviceCookie: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly passwords: PasswordsService,
    private readonly account: AccountSettingsService,
  ) {
    this.deviceCookie = authCookieNames(config.auth.cookieSecure).device;
  }

  /**
   * Also sets the device cookie: a script that keeps it and sends it back is a known device to the
   * account, and is not locked out by failures from elsewhere. A refusal (429) says which limit, in the
   * reader's language, with Retry-After.
   */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @ReaderLanguage() language: Language,
  ) {
    try {
      const device: unknown = request.cookies?.[this.deviceCookie];
      const result = await this.auth.beginSignIn(body.email, body.password, request.ip ?? null, device);
      // Two-factor on: no session and no device cookie yet, only the challenge for the second step.
      if (result.twoFactorRequired) return { twoFactorRequired: true, challengeToken: result.challengeToken };
      return this.sessionAnswer(result, response);
    } catch (error) {
      throw error instanceof TooManyAttemptsError ? refusalInWords(error, language) : error;
    }
  }

  /** The second step for an account with two-factor on: the challenge and a code → the usual login answer. */
  @Public()
  @Post('auth/login/2fa')
  @HttpCode(200)
  async loginCode(
    @Body() body: LoginCodeDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @ReaderLanguage() language: Language,
  ) {
    try {
      const device: unknown = request.cookies?.[this.deviceCookie];
      const signedIn = await this.auth.completeSignIn(body.challengeToken, body.code, request.ip ?? null, device);
      return this.sessionAnswer(signedIn, response);
    } catch (error) {
      throw error instanceof TooManyAttemptsError ? refusalInWords(error, language) : error;
    }
  }

  /** Ends the session whose token made this request (204); the caller's other sessions go on. */
  @TwoFactorSetupAllowed()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(
    @CurrentActor() actor: Actor,
    @CurrentSession() session: CurrentSessionClaims,
    @Req() request: Request,
  ): Promise<void> {
    await this.auth.signOut(actor, session, request.ip ?? null);
  }

  /**
   * 204; the account's other sessions end, this one goes on. A wrong current password is 422
   * `currentPassword` and counts as a failed sign-in (so it can lead to 429, as sign-in does); a new
   * password the policy refuses is 400 naming `password` and `newPassword`.
   */
  @Post('auth/password')
  @HttpCode(204)
  async changePassword(
    @CurrentActor() actor: Actor,
    @CurrentSession() session: CurrentSessionClaims,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
    @ReaderLanguage() language: Language,
  ): Promise<void> {
    try {
      await this.passwords.change(actor, session, body, {
        address: request.ip ?? null,
        deviceCookie: request.cookies?.[this.deviceCookie],
      });
    } catch (error) {
      throw error instanceof TooManyAttemptsError ? refusalInWords(error, language) : error;
    }
  }

  /**
   * 202 whatever the email, answered before anything is looked up, so neither the answer nor its timing
   * tells whether the email has an account. The lookup and the email happen after.
   */
  @Public()
  @Post('auth/password-reset')
  @HttpCode(202)
  requestPasswordReset(@Body() body: PasswordResetRequestDto, @Req() request: Request): void {
    const origin = { address: request.ip ?? null };
    setImmediate(() => {
      this.passwords
        .requestReset(body.email, origin)
        .catch((error: Error) => this.logger.error(`A password reset request failed: ${error.message}`));
    });
  }

  /** 204, the link used up and every session of the account ended; 404 for an unknown, used or expired link. */
  @Public()
  @Post('auth/password-reset/:token')
  @HttpCode(204)
  async resetPassword(
    @Param('token') token: string,
    @Body() body: PasswordResetDto,
    @Req() request: Request,
  ): Promise<void> {
    await this.passwords.reset(token, body.password, { address: request.ip ?? null });
  }

  @TwoFactorSetupAllowed()
  @Get('me')
  me(
    @CurrentActor() actor: Actor,
    @CurrentAccount() account: SessionAccount,
  ): MeResponse & { twoFactorEnabled: boolean } {
    return { ...this.account.me(actor, account), twoFactorEnabled: account.twoFactorEnabled };
  }

  /**
   * The roles the person can work in (an addition): `{items: [{membershipId, role, organisationId,
   * organisationName, organisationNameCy, current}], page, pageSize, total}`. A person holds a handful,
   * so the page is cut from all of them.
   */
  @Get('me/memberships')
  async memberships(@CurrentActor() actor: Actor, @Query() query: PagingQueryDto) {
    const all = await this.account.roles(actor);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PAGE_SIZE.default;
    return { items: all.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: all.length };
  }

  /**
   * Work in another of one's roles (an addition): this session ends and one with that membership starts;
   * the usual login answer. A membership that is not the caller's, or has ended, is 404.
   */
  @Post('auth/switch')
  @HttpCode(200)
  async switchMembership(
    @CurrentActor() actor: Actor,
    @CurrentSession() session: CurrentSessionClaims,
    @Body() body: SwitchMembershipDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const device: unknown = request.cookies?.[this.deviceCookie];
    const signedIn = await this.auth.switchMembership(actor, session, body.membershipId, request.ip ?? null, device);
    return this.sessionAnswer(signedIn, response);
  }

  /** `{language?, emailNotifications?}` → 200, the account as `GET /api/me` answers it. */
  @TwoFactorSetupAllowed()
  @Patch('me')
  async updateMe(
    @CurrentActor() actor: Actor,
    @CurrentAccount() account: SessionAccount,
    @Body() body: UpdateMeDto,
    @Req() request: Request,
  ): Promise<MeResponse & { twoFactorEnabled: boolean }> {
    const me = await this.account.update(actor, body, request.ip ?? null);
    return { ...me, twoFactorEnabled: account.twoFactorEnabled };
  }

  /**
   * The login answer, with the device cookie. `twoFactorSetupRequired` (an addition) says REQUIRE_2FA
   * allows this session nothing but setting up two-factor (and /api/me, signing out).
   */
  private sessionAnswer(signedIn: SignedIn, response: Response) {
    response.cookie(this.deviceCookie, signedIn.deviceCookie, deviceCookieOptions(this.config));
    return {
      accessToken: signedIn.accessToken,
      user: toMeResponse(signedIn.actor),
      ...(signedIn.twoFactorSetupRequired ? { twoFactorSetupRequired: true } : {}),
    };
  }
}
