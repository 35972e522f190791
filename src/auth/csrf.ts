import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CookieOptions, NextFunction, Request, Response } from 'express';
import { CsrfRejectedError } from '../common/domain-error';
import { lazyLocal } from '../common/lazy-local';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { authCookieNames, bearerTokenOf } from './session-cookie';

/**
 * The key CSRF tokens are signed with: derived from the JWT secret with HKDF under its own label, so the
 * JWT secret itself never signs anything but tokens, and a CSRF token says nothing about it.
 */
export function csrfKeyOf(jwtSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'safeguarding-record', 'csrf-token-key/v1', 32));
}

/**
 * Signed double-submit tokens bound to the session: the browser holds a random value in an httpOnly
 * cookie, and every form carries an HMAC of that value AND of the session cookie (its SHA-256; empty
 * when signed out). Another site can make the browser send the cookies, but cannot read or forge the
 * form field; and someone who plants a CSRF cookie (a sibling subdomain, plain HTTP) still cannot
 * compute the token for the victim's session, because they do not know its session cookie.
 */
export function csrfTokenFor(key: Buffer, csrfCookie: string, sessionCookie: string | undefined): string {
  const session = sessionCookie ? createHash('sha256').update(sessionCookie).digest('base64url') : '';
  return createHmac('sha256', key)
    .update(JSON.stringify(['csrf', csrfCookie, session]))
    .digest('base64url');
}

export function newCsrfCookieValue(): string {
  return randomBytes(24).toString('base64url');
}

export function csrfCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.auth.cookieSecure, path: '/' };
}

/** Gives every request a CSRF cookie (a new browser gets one) and every page the matching token. */
export function csrfMiddleware(config: AppConfig) {
  const key = csrfKeyOf(config.auth.jwtSecret);
  const names = authCookieNames(config.auth.cookieSecure);
  return (request: Request, response: Response, next: NextFunction) => {
    let value = cookieOf(request, names.csrf);
    if (value === undefined || value.length < 16) {
      value = newCsrfCookieValue();
      response.cookie(names.csrf, value, csrfCookieOptions(config));
      request.cookies = { ...(request.cookies as Record<string, unknown> | undefined), [names.csrf]: value };
    }
    // Two hashes, computed only when a page is rendered, from the cookies as they are now.
    const csrfCookie = value;
    const sessionCookie = sessionCookieOf(request, names.session);
    lazyLocal(response, 'csrfToken', () => csrfTokenFor(key, csrfCookie, sessionCookie));
    next();
  };
}

/** A cookie's value as text; cookie-parser types cookies as `any`. */
function cookieOf(request: Request, name: string): string | undefined {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function sessionCookieOf(request: Request, name: string): string | undefined {
  return cookieOf(request, name) || undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Checks every state-changing request that a browser could send with ambient credentials: all page
 * forms (sign-in included) and API calls that rely on the session cookie. A Bearer header cannot be
 * attached by another site, so those requests need no token.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly key: Buffer;
  private readonly names: ReturnType<typeof authCookieNames>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = csrfKeyOf(config.auth.jwtSecret);
    this.names = authCookieNames(config.auth.cookieSecure);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(request.method)) return true;
    if (bearerTokenOf(request)) return true;
    const session = sessionCookieOf(request, this.names.session);
    const isApi = request.path.startsWith('/api/');
    if (isApi && !session) return true;

    const formToken = (request.body as { _csrf?: unknown } | undefined)?._csrf;
    const sent = (typeof formToken === 'string' ? formToken : undefined) ?? request.header('x-csrf-token');
    const cookie = cookieOf(request, this.names.csrf);
    if (typeof sent !== 'string' || cookie === undefined) throw new CsrfRejectedError();
    const expected = Buffer.from(csrfTokenFor(this.key, cookie, session));
    const actual = Buffer.from(sent);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new CsrfRejectedError();
    return true;
  }
}
