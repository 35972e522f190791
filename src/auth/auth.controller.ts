import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { TooManyAttemptsError } from '../common/domain-error';
import { Language } from '../common/language';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ReaderLanguage } from '../i18n/reader-language';
import { AccountSettingsService } from './account-settings.service';
import { ChangePasswordDto, LoginDto, PasswordResetDto, PasswordResetRequestDto, UpdateMeDto } from './auth.dto';
import { AuthService, CurrentSessionClaims } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { CurrentSession } from './current-session.decorator';
import { MeResponse, toMeResponse } from './me.mapper';
import { PasswordsService } from './passwords.service';
import { Public } from './public.decorator';
import { authCookieNames, deviceCookieOptions } from './session-cookie';
import { refusalInWords } from './sign-in-messages';

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
      const { accessToken, actor, deviceCookie } = await this.auth.signIn(
        body.email,
        body.password,
        request.ip ?? null,
        device,
      );
      response.cookie(this.deviceCookie, deviceCookie, deviceCookieOptions(this.config));
      return { accessToken, user: toMeResponse(actor) };
    } catch (error) {
      throw error instanceof TooManyAttemptsError ? refusalInWords(error, language) : error;
    }
  }

  /** Ends the session whose token made this request (204); the caller's other sessions go on. */
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

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.account.me(actor);
  }

  /** `{language?, emailNotifications?}` → 200, the account as `GET /api/me` answers it. */
  @Patch('me')
  updateMe(@CurrentActor() actor: Actor, @Body() body: UpdateMeDto, @Req() request: Request): Promise<MeResponse> {
    return this.account.update(actor, body, request.ip ?? null);
  }
}
