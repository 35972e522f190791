import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the log says about a request, a response and an error: an allow-list, so nothing else on those
 * objects (headers with cookies and Bearer tokens, bodies, query strings with searched names) can reach
 * a log line. pino's `redact` (LOG_REDACT_PATHS) is the second fence for anything logged by hand.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path words and short codes (routes' own words, a UPN-free set of segments); tokens are longer. */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]{1,24}$/;
export const REDACTED_SEGMENT = ':redacted';

/**
 * The path of a request without its query string, each segment kept only if it is a UUID (records'
 * opaque ids) or a short plain word; anything else (an emailed link's token, an encoded name in a
 * mistyped address) becomes `:redacted`.
 */
export function loggedPath(url: string | undefined): string {
  const path = (url ?? '/').split(/[?#]/, 1)[0];
  return path
    .split('/')
    .map((segment) =>
      segment === '' || UUID.test(segment) || PLAIN_SEGMENT.test(segment) ? segment : REDACTED_SEGMENT,
    )
    .join('/');
}

type RequestLike = IncomingMessage & { originalUrl?: string };

/** Request: its method and path (loggedPath) only. The id is the line's `reqId`. */
export function serializeRequest(request: RequestLike): { method?: string; path: string } {
  return { method: request.method, path: loggedPath(request.originalUrl ?? request.url) };
}

/** Response: its status, and whether the client went away before it was sent. */
export function serializeResponse(response: ServerResponse): { statusCode: number; aborted?: true } {
  return response.writableFinished
    ? { statusCode: response.statusCode }
    : { statusCode: response.statusCode, aborted: true };
}

/**
 * Error: its class, message and stack, and a code if it has one. Nothing else: a database error's
 * `parameters` or `detail` can hold what was being stored.
 */
export function serializeError(error: unknown): { type: string; message: string; stack?: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor?.name ?? 'Error',
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

export const LOG_SERIALIZERS = { req: serializeRequest, res: serializeResponse, err: serializeError };

/**
 * Removed from anything logged, wherever a caller put it: headers (cookies, Authorization), bodies,
 * passwords and tokens.
 */
export const LOG_REDACT_PATHS = [
  'headers',
  '*.headers',
  'body',
  '*.body',
  'cookie',
  '*.cookie',
  'cookies',
  '*.cookies',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
];
