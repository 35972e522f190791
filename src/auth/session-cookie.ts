import { CookieOptions, Request } from 'express';
import { AppConfig } from '../config/app-config';

/** The names of the cookies that carry a session and its CSRF secret: decided here and nowhere else. */
export interface AuthCookieNames {
  session: string;
  csrf: string;
  /** The device cookie (device-cookie.ts): which accounts this browser has signed in to before. */
  device: string;
}

/**
 * Over HTTPS (`COOKIE_SECURE`), the `__Host-` prefix: a browser accepts such a cookie only when it is
 * Secure, has `Path=/` and no `Domain`, so a sibling subdomain or a plain-HTTP page cannot plant one.
 * Over plain HTTP (development, the test harness) the prefix would make browsers drop the cookie.
 */
export function authCookieNames(cookieSecure: boolean): AuthCookieNames {
  return cookieSecure
    ? { session: '__Host-sg_session', csrf: '__Host-sg_csrf', device: '__Host-sg_device' }
    : { session: 'sg_session', csrf: 'sg_csrf', device: 'sg_device' };
}

/**
 * The device cookie: long-lived (SIGN_IN_DEVICE_DAYS, renewed at each sign-in), httpOnly so a script
 * on the page cannot copy it, SameSite=Lax, Secure over HTTPS. It grants nothing by itself: it only
 * lets this device's sign-ins be counted apart from everyone else's.
 */
export function deviceCookieOptions(config: AppConfig): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.auth.cookieSecure,
    path: '/',
    maxAge: config.auth.signIn.deviceCookieDays * 24 * 3600 * 1000,
  };
}

/**
 * The session cookie: httpOnly, SameSite=Lax, and a browser-session cookie (no Max-Age or Expires),
 * so it ends when the browser closes; the token's own expiry still limits it while the browser is open.
 */
export function sessionCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.auth.cookieSecure, path: '/' };
}

export type AuthSource = 'bearer' | 'cookie';

export function bearerTokenOf(request: Request): string | null {
  const header = request.headers.authorization;
  return header && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
}

/** Bearer first (scripted clients, tests); then the page session cookie. Notes which was used, for CSRF. */
export function sessionTokenExtractor(names: AuthCookieNames) {
  return (request: Request): string | null => {
    const bearer = bearerTokenOf(request);
    if (bearer) {
      (request as Request & { authSource?: AuthSource }).authSource = 'bearer';
      return bearer;
    }
    const cookie = (request.cookies as Record<string, unknown> | undefined)?.[names.session];
    if (typeof cookie === 'string' && cookie) {
      (request as Request & { authSource?: AuthSource }).authSource = 'cookie';
      return cookie;
    }
    return null;
  };
}
