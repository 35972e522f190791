import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

/** The header a request id arrives in (from a proxy or a client) and is sent back in, on every response. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * What an incoming id may look like to be kept: short, and only characters that cannot break a log line,
 * a header or a page (a proxy's UUID or trace id passes; anything else is replaced).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The incoming X-Request-Id when it is safe to keep (one header value only), else a new UUID. */
export function acceptRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The id given to this request by the request log (src/logging/app-logger.ts), if it ran. */
export function requestIdOf(request: IncomingMessage): string | undefined {
  const id = (request as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
