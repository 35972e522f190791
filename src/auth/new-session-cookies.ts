import { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { csrfCookieOptions, newCsrfCookieValue } from './csrf';
import { authCookieNames, deviceCookieOptions, sessionCookieOptions } from './session-cookie';

/**
 * The cookies of a new session in this browser (signing in, or going on in another role): the session,
 * the device, and a new CSRF secret.
 */
export function setNewSessionCookies(
  response: Response,
  config: AppConfig,
  signedIn: { accessToken: string; deviceCookie: string },
): void {
  const names = authCookieNames(config.auth.cookieSecure);
  // A browser-session cookie: it ends when the browser closes (the token expires even if it stays open).
  response.cookie(names.session, signedIn.accessToken, sessionCookieOptions(config));
  // Long-lived: this browser is now known to the account, so failures elsewhere never lock it out.
  response.cookie(names.device, signedIn.deviceCookie, deviceCookieOptions(config));
  // A new CSRF secret with the new session, so a CSRF cookie planted before it does not survive it.
  response.cookie(names.csrf, newCsrfCookieValue(), csrfCookieOptions(config));
}
