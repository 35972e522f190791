import { INestApplication, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Stopping on SIGTERM (or SIGINT) without losing a request that was answered, in this order:
 *
 * 1. Draining: `/health/ready` answers 503 (so a proxy stops sending traffic), the server stops
 *    accepting connections, idle keep-alive connections are closed, and every response still to be
 *    written says `Connection: close`, so each client's connection ends after its request in flight.
 * 2. Requests in flight finish, for up to SHUTDOWN_GRACE_SECONDS; after that the connections left are
 *    closed (their clients get no answer, and a transaction cut off by the database closing rolls back
 *    whole: a change and its audit entry commit together or not at all).
 * 3. Nest closes the app: the modules stop (the audit chainer chains what is committed, the reminder
 *    sweep finishes the run under way and starts no other, emails being sent are settled), the audit
 *    checkpointer writes the chain's final head, and the database connection closes.
 * 4. The process exits 0 (1 if closing failed).
 *
 * Replaces Nest's `enableShutdownHooks`, which would stop the modules while the server still took
 * requests, and re-raise the signal instead of exiting 0.
 */
@Injectable()
export class GracefulShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private readonly handlers = new Map<string, () => void>();
  private server: Server | null = null;
  private shutdown: Promise<number> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** True from the signal on: readiness then answers 503. */
  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Follows the app's requests, and stops it gracefully on SIGTERM or SIGINT, then exits with `exit`
   * (process.exit unless a test says otherwise). Called once per app, by configureApp.
   */
  listen(app: INestApplication, exit: (code: number) => void = (code) => process.exit(code)): void {
    this.server = app.getHttpServer() as Server;
    this.server.on('request', (_request: IncomingMessage, response: ServerResponse) => this.follow(response));
    for (const signal of SIGNALS) {
      const handler = () => {
        void this.stop(app, signal).then(exit);
      };
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /** Drains the server, closes the app and answers the exit code. A second signal shares the first's run. */
  stop(app: INestApplication, signal: string): Promise<number> {
    this.shutdown ??= this.run(app, signal);
    return this.shutdown;
  }

  /** Stops following the signals once the app has closed (also when a test closes it without one). */
  onApplicationShutdown(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.clear();
  }

  private async run(app: INestApplication, signal: string): Promise<number> {
    const graceSeconds = this.config.http.shutdownGraceSeconds;
    this.logger.log(
      `${signal}: no new connections; ${this.inFlight.size} requests in flight get up to ${graceSeconds} s to finish`,
    );
    try {
      await this.drain(graceSeconds * 1000);
      await app.close();
      this.logger.log('Stopped: requests finished, audit checkpoint written, database closed');
      return 0;
    } catch (error) {
      this.logger.error(`Stopping failed: ${(error as Error).stack ?? String(error)}`);
      return 1;
    }
  }

  /** Steps 1 and 2: resolves when every connection has ended, at most `graceMs` after the signal. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const server = this.server;
    if (!server) return;
    for (const response of this.inFlight) closeAfter(response);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    const timedOut = await Promise.race([closed.then(() => false), graceOver]);
    clearTimeout(timer);
    if (timedOut) {
      this.logger.warn(
        `${this.inFlight.size} requests still in flight after the grace period: closing their connections`,
      );
      server.closeAllConnections();
      await closed;
    }
  }

  private follow(response: ServerResponse): void {
    if (this.draining) closeAfter(response);
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      // A response whose headers went out before the signal leaves a keep-alive connection idle behind it.
      if (this.draining) setImmediate(() => this.server?.closeIdleConnections());
    });
  }
}

/** The connection ends once this response is written (a keep-alive client would otherwise send more). */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
