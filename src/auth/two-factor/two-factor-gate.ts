import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor } from '../../common/actor';
import { TwoFactorSetupRequiredError } from '../../common/domain-error';
import { RequestWithSession, SESSION_ACCOUNT, SESSION_CLAIMS } from '../jwt.strategy';

export const TWO_FACTOR_SETUP_ALLOWED = 'twoFactorSetupAllowed';
/**
 * What a session that must still set up two-factor may use (REQUIRE_2FA): `/api/me`, `/api/auth/2fa/*`,
 * signing out, the `/account/two-factor` pages and the language switch. Nothing else may carry it.
 */
export const TwoFactorSetupAllowed = () => SetMetadata(TWO_FACTOR_SETUP_ALLOWED, true);

/**
 * Global, after the session guard: a session whose token says its account had to set up two-factor
 * (issued so by AuthService.issueSession) gets 403 `two_factor_setup_required` on every route not marked
 * @TwoFactorSetupAllowed() (pages are sent to /account/two-factor by the exception filter), until the
 * account has turned two-factor on. Every other session costs nothing here.
 */
@Injectable()
export class TwoFactorGate implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithSession & { user?: Actor | null }>();
    if (!request.user || !request[SESSION_CLAIMS]?.twoFactorSetup) return true;
    const allowed = this.reflector.getAllAndOverride<boolean>(TWO_FACTOR_SETUP_ALLOWED, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (allowed) return true;
    // Read with the session at this request (jwt.strategy.ts SessionAccount): no query of its own.
    if (request[SESSION_ACCOUNT]?.twoFactorEnabled) return true;
    throw new TwoFactorSetupRequiredError();
  }
}
