import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';
import { CsrfRejectedError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { bearerTokenOf, CSRF_COOKIE, SESSION_COOKIE } from './session-cookie';

/**
 * Signed double-submit tokens: the browser holds a random value in an httpOnly cookie, and every form
 * carries an HMAC of it. Another site can make the browser send the cookie, but cannot read or forge
 * the matching form field.
 */
export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url');
}

export function csrfMiddleware(config: AppConfig) {
  return (request: Request, response: Response, next: NextFunction) => {
    let value = request.cookies?.[CSRF_COOKIE];
    if (typeof value !== 'string' || value.length < 16) {
      value = randomBytes(24).toString('base64url');
      response.cookie(CSRF_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: config.auth.cookieSecure, path: '/' });
      request.cookies = { ...(request.cookies ?? {}), [CSRF_COOKIE]: value };
    }
    response.locals.csrfToken = csrfTokenFor(config.auth.jwtSecret, value);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Checks every state-changing request that a browser could send with ambient credentials: all page
 * forms (sign-in included) and API calls that rely on the session cookie. A Bearer header cannot be
 * attached by another site, so those requests need no token.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(request.method)) return true;
    if (bearerTokenOf(request)) return true;
    const isApi = request.path.startsWith('/api/');
    if (isApi && !request.cookies?.[SESSION_COOKIE]) return true;

    const sent = (request.body && typeof request.body._csrf === 'string' ? request.body._csrf : undefined) ?? request.header('x-csrf-token');
    const cookie = request.cookies?.[CSRF_COOKIE];
    if (typeof sent !== 'string' || typeof cookie !== 'string') throw new CsrfRejectedError();
    const expected = Buffer.from(csrfTokenFor(this.config.auth.jwtSecret, cookie));
    const actual = Buffer.from(sent);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new CsrfRejectedError();
    return true;
  }
}
