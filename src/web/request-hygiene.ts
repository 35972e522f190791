import { NextFunction, Request, Response } from 'express';
import { hasControlCharacters } from '../common/validation';

/**
 * A path that does not decode, or decodes to control characters (a NUL in an id, say), names no
 * record: answer 400 here rather than let PostgreSQL fail on the byte with a 500.
 */
export function rejectUnreadablePaths(request: Request, response: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    path = '\u0000';
  }
  if (!hasControlCharacters(path)) return next();
  response.status(400).json({ statusCode: 400, message: 'The address is not valid', errors: {} });
}

/**
 * Pages and API answers carry pupil data: never stored by the browser (so Back after signing out on a
 * shared school computer shows nothing) nor by proxies. Static assets set their own caching.
 */
export function noStore(request: Request, response: Response, next: NextFunction): void {
  if (request.path.startsWith('/assets/')) return next();
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Pragma', 'no-cache');
  next();
}
