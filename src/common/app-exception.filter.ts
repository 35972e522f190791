import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Request, Response } from 'express';
import {
  DomainError,
  ErrorCode,
  FieldErrors,
  httpStatusOf,
  RuleBrokenError,
  TooManyAttemptsError,
} from './domain-error';
import { requestIdOf } from './request-id';
import { ROLES } from './roles';

/** JSON for the API and scripted clients; pages for people. */
export function isPageRequest(request: Request): boolean {
  return !request.path.startsWith('/api/') && request.path !== '/api' && request.path !== '/health';
}

/**
 * Fills the layout's locals (who is signed in, the menu, the language) for an error page when no route
 * did (an unknown address), so a signed-in person keeps the header and menu. Given by app.setup.ts.
 */
export type ErrorPageLocals = (request: Request, response: Response) => Promise<void>;

const PAGE_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: 'errors.badRequestTitle', body: 'errors.badRequestBody' },
  403: { title: 'errors.forbiddenTitle', body: 'errors.forbiddenBody' },
  404: { title: 'errors.notFoundTitle', body: 'errors.notFoundBody' },
};

/** Broken rules a page may meet outside its own form (a post made elsewhere), by the rule's code. */
const RULE_PAGE_TEXT: Record<string, { title: string; body: string }> = {
  concern_owned_by_other_organisation: { title: 'errors.ruleTitle', body: 'errors.ownedElsewhereBody' },
  idempotency_key_reused: { title: 'errors.ruleTitle', body: 'errors.submissionReusedBody' },
};

/**
 * Every error leaves through here. Domain errors map to their status by code; anything unexpected
 * answers 500 with a reference to quote, and its details go to the log, never to the caller.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly pageLocals?: ErrorPageLocals) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message, errors, code } = this.describe(exception);
    // The request log's id (X-Request-Id): every error page and error body quotes it.
    const requestId = requestIdOf(request);
    let reference: string | undefined;
    if (status >= 500) {
      reference = requestId ?? randomUUID();
      // The request's log line carries the error (type, message, stack) under its id (src/logging);
      // without the request log (a filter on its own), it is logged here.
      (response as Response & { err?: Error }).err =
        exception instanceof Error ? exception : new Error(String(exception));
      if (!requestId) {
        const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
        this.logger.error(`${reference} ${request.method} ${request.path}: ${detail}`);
      }
    }
    if (exception instanceof TooManyAttemptsError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (response.headersSent) return;

    if (!isPageRequest(request)) {
      // A broken domain rule also says which rule, by its code (e.g. reason_required_against_recommendation).
      const rule = exception instanceof RuleBrokenError ? { rule: exception.rule } : {};
      // A refused sign-in also says which limit refused it, and for how long (as Retry-After does).
      const limit =
        exception instanceof TooManyAttemptsError
          ? { limit: exception.limit, retryAfterSeconds: exception.retryAfterSeconds }
          : {};
      response.status(status).json({
        statusCode: status,
        message,
        errors,
        ...(code ? { code } : {}),
        ...rule,
        ...limit,
        ...(reference ? { reference } : {}),
        ...(requestId ? { requestId } : {}),
      });
      return;
    }
    // REQUIRE_2FA: every page but setting it up (and signing out) sends the person to set it up.
    if (code === ErrorCode.TwoFactorSetupRequired) {
      response.redirect(303, '/account/two-factor');
      return;
    }
    if (status === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.originalUrl)}` : '';
      response.redirect(303, `/login${next}`);
      return;
    }
    const ruleText = exception instanceof RuleBrokenError ? RULE_PAGE_TEXT[exception.rule] : undefined;
    void this.renderPage(request, response, status, code, reference ?? requestId, ruleText);
  }

  private async renderPage(
    request: Request,
    response: Response,
    status: number,
    code: string | undefined,
    reference: string | undefined,
    ruleText?: { title: string; body: string },
  ): Promise<void> {
    try {
      await this.pageLocals?.(request, response);
    } catch (error) {
      this.logger.warn(`The error page's header could not be filled: ${String(error)}`);
    }
    if (response.headersSent) return;
    const text =
      ruleText ??
      (code === ErrorCode.CsrfRejected
        ? { title: 'errors.csrfTitle', body: 'errors.csrfBody' }
        : (PAGE_TEXT[status] ?? { title: 'errors.serverTitle', body: 'errors.serverBody' }));
    // Who to ask when a role does not allow something depends on the role; a visitor gets the plain sentence.
    const role = (response.locals.actor as { role?: string } | undefined)?.role;
    const body =
      status === 403 && code !== ErrorCode.CsrfRejected && role && (ROLES as readonly string[]).includes(role)
        ? `errors.forbiddenBodyFor.${role}`
        : text.body;
    // A 500's text quotes the reference itself; every other error page shows it on a line of its own.
    const referenceLine = status < 500 ? reference : undefined;
    response
      .status(status)
      .render('errors/error', { title: text.title, bodyKey: body, reference, referenceLine, status });
  }

  private describe(exception: unknown): { status: number; message: string; errors: FieldErrors; code?: string } {
    if (exception instanceof DomainError) {
      return {
        status: httpStatusOf(exception.code),
        message: exception.message,
        errors: exception.errors,
        code: exception.code,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const bodyMessage = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const message = typeof bodyMessage === 'string' ? bodyMessage : exception.message;
      return { status, message: status >= 500 ? 'Internal server error' : message, errors: {} };
    }
    // Body-parser errors (malformed JSON, payload too large) carry their own 4xx status.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        status,
        message: status === 400 ? 'The request body is not valid JSON' : (exception as Error).message,
        errors: {},
      };
    }
    return { status: 500, message: 'Internal server error', errors: {} };
  }
}
