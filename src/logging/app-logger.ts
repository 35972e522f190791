import { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { RequestHandler } from 'express';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { LOG_REDACT_PATHS, LOG_SERIALIZERS } from './log-serializers';
import { acceptRequestId, REQUEST_ID_HEADER } from '../common/request-id';

/**
 * Readable text for development (pino-pretty, a development dependency, written in-process so lines
 * keep their order with anything else printed); JSON lines where it is not installed.
 */
function prettyDestination(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({
      sync: true,
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l',
      singleLine: true,
      ignore: 'pid,hostname,context,req,res,responseTime',
      messageFormat:
        '{if context}[{context}] {end}{if req.method}{req.method} {req.path} {res.statusCode} {responseTime} ms {end}{msg}',
    });
  } catch {
    return undefined;
  }
}

/**
 * The one pino logger of an app instance: Nest's own logs (through nestjs-pino) and the request lines
 * both write through it (in a worker process, every line with `worker: <its cluster id>`). `destination` lets a test read what is written; otherwise standard output.
 */
export function createAppLogger(logging: AppConfig['logging'], destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: logging.level,
    serializers: LOG_SERIALIZERS,
    redact: { paths: LOG_REDACT_PATHS, remove: true },
    // A level's name reads better to people and shippers than pino's number.
    formatters: { level: (label) => ({ level: label }) },
    // A worker process (WEB_WORKERS > 1) says which one it is on every line, beside pino's pid.
    ...(logging.worker === undefined
      ? {}
      : { base: { pid: process.pid, hostname: hostname(), worker: logging.worker } }),
  };
  const stream = destination ?? (logging.format === 'pretty' ? prettyDestination() : undefined);
  return stream ? pino(options, stream) : pino(options);
}

/** The signed-in actor, once a guard (req.user) or an error page (res.locals.actor) has found one. */
function actorOf(request: IncomingMessage, response: ServerResponse): Pick<Actor, 'userId' | 'role'> | undefined {
  const actor =
    (request as IncomingMessage & { user?: Actor }).user ??
    (response as ServerResponse & { locals?: { actor?: Actor } }).locals?.actor;
  return actor && typeof actor.userId === 'string' ? actor : undefined;
}

/** The level of a request's line: error for a 500 (or an error), info otherwise (a 4xx is the caller's). */
export function requestLogLevel(_request: IncomingMessage, response: ServerResponse, error?: Error): Level {
  return error || response.statusCode >= 500 ? 'error' : 'info';
}

/**
 * The request log, first of all middleware: gives the request its id (a safe incoming X-Request-Id, or
 * a new UUID), sends it back as X-Request-Id, and writes one line when the response is finished:
 * reqId, req {method, path}, res {statusCode}, responseTime (ms), and userId and role when someone is
 * signed in; a 500 adds err (type, message, stack). Never headers, cookies, bodies or query strings.
 */
export function requestLogging(logger: Logger): RequestHandler {
  const http = pinoHttp({
    logger,
    // The serializers above get the raw objects: no intermediate copy with every header on it.
    wrapSerializers: false,
    serializers: LOG_SERIALIZERS,
    // Already set below; this only reads it back.
    genReqId: (request) => request.id,
    // Logs made while handling a request carry only its id, not the request again.
    quietReqLogger: true,
    customLogLevel: requestLogLevel,
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customProps: (request, response) => {
      const actor = actorOf(request, response);
      return actor ? { userId: actor.userId, role: actor.role } : {};
    },
  });
  return (request, response, next) => {
    const id = acceptRequestId(request.headers['x-request-id']);
    (request as IncomingMessage & { id: string }).id = id;
    response.setHeader(REQUEST_ID_HEADER, id);
    http(request, response, next);
  };
}
