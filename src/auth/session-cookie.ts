import { Request } from 'express';

export const SESSION_COOKIE = 'sg_session';
export const CSRF_COOKIE = 'sg_csrf';
export const LANGUAGE_COOKIE = 'sg_lang';

export type AuthSource = 'bearer' | 'cookie';

export function bearerTokenOf(request: Request): string | null {
  const header = request.headers.authorization;
  return header && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
}

/** Bearer first (scripted clients, tests); then the page session cookie. Notes which was used, for CSRF. */
export function extractSessionToken(request: Request): string | null {
  const bearer = bearerTokenOf(request);
  if (bearer) {
    (request as Request & { authSource?: AuthSource }).authSource = 'bearer';
    return bearer;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (typeof cookie === 'string' && cookie) {
    (request as Request & { authSource?: AuthSource }).authSource = 'cookie';
    return cookie;
  }
  return null;
}
