import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { Actor } from '../../common/actor';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CurrentActor } from '../current-actor.decorator';
import { authCookieNames } from '../session-cookie';
import { DisableTwoFactorDto, EnableTwoFactorDto, TwoFactorCodeDto } from './two-factor.dto';
import { ChangeProof, TwoFactorChanges } from './two-factor-changes';
import { TwoFactorSetupAllowed } from './two-factor-gate';
import { TwoFactorService, TwoFactorSetup, TwoFactorStatus } from './two-factor.service';

/**
 * Two-factor sign-in for the signed-in person (API.md, Two-factor sign-in). Open to a session that must
 * still set it up (REQUIRE_2FA). Secrets and codes are answered only here, and never logged.
 */
@TwoFactorSetupAllowed()
@Controller('api/auth/2fa')
export class TwoFactorController {
  private readonly deviceCookie: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly twoFactor: TwoFactorService,
    private readonly changes: TwoFactorChanges,
  ) {
    this.deviceCookie = authCookieNames(config.auth.cookieSecure).device;
  }

  /** `{enabled, enabledAt, recoveryCodesLeft, required, pending}` (an addition to API.md). */
  @Get()
  status(@CurrentActor() actor: Actor): Promise<TwoFactorStatus> {
    return this.twoFactor.status(actor);
  }

  /** A new secret for an authenticator app, pending until `enable` confirms a code from it. */
  @Post('setup')
  @HttpCode(200)
  setup(@CurrentActor() actor: Actor): Promise<TwoFactorSetup> {
    return this.twoFactor.setup(actor);
  }

  /**
   * Turns it on with a code from the pending secret. While on, with `currentCode` (a code from the
   * authenticator in use, or a recovery code): moves it to the pending one (a new phone).
   */
  @Post('enable')
  @HttpCode(200)
  async enable(@CurrentActor() actor: Actor, @Body() body: EnableTwoFactorDto, @Req() request: Request) {
    const recoveryCodes =
      body.currentCode === undefined
        ? await this.twoFactor.enable(actor, body.code, request.ip ?? null)
        : await this.changes.moveToNewAuthenticator(actor, this.proof({ code: body.currentCode }, request), body.code);
    return { recoveryCodes };
  }

  /** Ten new recovery codes in place of the old; needs a current code (or a recovery code). */
  @Post('recovery-codes')
  @HttpCode(200)
  async regenerate(@CurrentActor() actor: Actor, @Body() body: TwoFactorCodeDto, @Req() request: Request) {
    return { recoveryCodes: await this.changes.regenerateRecoveryCodes(actor, this.proof(body, request)) };
  }

  /** Turns two-factor off: password and a code; refused (422) when REQUIRE_2FA requires it of the account. */
  @Post('disable')
  @HttpCode(204)
  async disable(@CurrentActor() actor: Actor, @Body() body: DisableTwoFactorDto, @Req() request: Request) {
    await this.changes.disable(actor, { ...this.proof(body, request), password: body.password });
  }

  private proof(body: TwoFactorCodeDto, request: Request): ChangeProof {
    return { code: body.code, address: request.ip ?? null, deviceCookie: request.cookies?.[this.deviceCookie] };
  }
}
