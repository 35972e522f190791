import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { TooManyAttemptsError } from '../common/domain-error';
import { Language } from '../common/language';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ReaderLanguage } from '../i18n/reader-language';
import { LoginDto } from './auth.dto';
import { AuthService, CurrentSessionClaims } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { CurrentSession } from './current-session.decorator';
import { toMeResponse } from './me.mapper';
import { Public } from './public.decorator';
import { authCookieNames, deviceCookieOptions } from './session-cookie';
import { refusalInWords } from './sign-in-messages';

@Controller('api')
export class AuthController {
  private readonly deviceCookie: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
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

  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return toMeResponse(actor);
  }
}
