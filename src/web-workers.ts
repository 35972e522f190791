import cluster, { Worker } from 'node:cluster';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { applyMigrations } from './database/migrate';
import { createAppLogger } from './logging/app-logger';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** The first wait before a dead worker's replacement starts; doubled for each quick death, up to the most. */
const FIRST_RESTART_DELAY_MS = 1_000;
const LONGEST_RESTART_DELAY_MS = 30_000;
/** A worker that served this long before dying was not crash-looping: its replacement waits the least. */
const STEADY_WORKER_MS = 60_000;
/** Beyond SHUTDOWN_GRACE_SECONDS, how long a worker may take to close its modules before it is killed. */
const CLOSING_ALLOWANCE_MS = 30_000;

/**
 * The primary process when WEB_WORKERS > 1 (docs/operations.md, Several worker processes): applies the
 * migrations once, forks the workers (each boots the whole app and listens on PORT, which node:cluster
 * shares between them), starts another in place of one that dies, and on SIGTERM or SIGINT passes the
 * signal on, so each drains and stops as one process would (health/graceful-shutdown.ts), then exits:
 * 0 when every worker stopped cleanly, 1 otherwise. It serves no requests and opens no connection after
 * the migrations.
 */
export async function superviseWebWorkers(config: AppConfig): Promise<void> {
  const logger = createAppLogger(config.logging).child({ context: 'WebWorkers' });
  try {
    await migrate(config, logger);
  } catch (error) {
    logger.error({ err: error }, 'The migrations failed: no worker started');
    process.exit(1);
  }
  new WebWorkers(config, logger).start();
}

/**
 * Before any worker starts, so that none waits for them (each worker's own check then finds nothing to
 * apply; on PostgreSQL they would take turns under the migrations' advisory lock in any case).
 */
async function migrate(config: AppConfig, logger: Logger): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    const applied = await applyMigrations(dataSource);
    logger.info(applied.length ? `Applied ${applied.length} migrations` : 'No migrations to apply');
  } finally {
    await dataSource.destroy();
  }
}

interface Running {
  startedAt: number;
  /** What this worker's replacement waits if it dies soon after starting. */
  restartDelayMs: number;
}

class WebWorkers {
  private readonly running = new Map<Worker, Running>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private stoppingOn: NodeJS.Signals | null = null;
  private failedToStop = false;

  constructor(
    private readonly config: AppConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal as NodeJS.Signals | null));
    for (const signal of SIGNALS) process.on(signal, () => this.stop(signal));
    for (let n = 0; n < this.config.http.workers; n++) this.fork(FIRST_RESTART_DELAY_MS);
    this.logger.info(`Started ${this.config.http.workers} workers on port ${this.config.port}`);
  }

  private fork(restartDelayMs: number): void {
    // Outside production an unset JWT_SECRET or SIGN_IN_DEVICE_SECRET is random per process: the workers
    // must share this process's, or a session signed by one would be refused by the next.
    const worker = cluster.fork({
      JWT_SECRET: this.config.auth.jwtSecret,
      SIGN_IN_DEVICE_SECRET: this.config.auth.signIn.deviceSecret,
    });
    this.running.set(worker, { startedAt: Date.now(), restartDelayMs });
  }

  private exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const running = this.running.get(worker);
    this.running.delete(worker);
    const how = signal ? `on ${signal}` : `with code ${code}`;
    if (this.stoppingOn) {
      // Killed by the passed-on signal before it could handle it (still starting) counts as stopped.
      if (code !== 0 && signal !== this.stoppingOn) this.failedToStop = true;
      this.logger.info(`Worker ${worker.id} exited ${how}; ${this.running.size} still stopping`);
      if (this.running.size === 0) this.finish();
      return;
    }
    if (!running) return;
    const steady = Date.now() - running.startedAt >= STEADY_WORKER_MS;
    const delayMs = steady ? FIRST_RESTART_DELAY_MS : running.restartDelayMs;
    this.logger.error(`Worker ${worker.id} exited ${how}; another starts in its place in ${delayMs / 1000} s`);
    const restart = setTimeout(() => {
      this.restarts.delete(restart);
      this.fork(Math.min(delayMs * 2, LONGEST_RESTART_DELAY_MS));
    }, delayMs);
    this.restarts.add(restart);
  }

  private stop(signal: NodeJS.Signals): void {
    if (this.stoppingOn) return;
    this.stoppingOn = signal;
    for (const restart of this.restarts) clearTimeout(restart);
    this.restarts.clear();
    this.logger.info(`${signal}: passed on to ${this.running.size} workers, which finish their requests and stop`);
    if (this.running.size === 0) return this.finish();
    // Not worker.kill(): that would disconnect the worker first, closing its server before it could drain.
    for (const worker of this.running.keys()) worker.process.kill(signal);
    const allowanceMs = this.config.http.shutdownGraceSeconds * 1000 + CLOSING_ALLOWANCE_MS;
    setTimeout(() => {
      this.logger.error(`${this.running.size} workers still running ${allowanceMs / 1000} s after ${signal}: killed`);
      for (const worker of this.running.keys()) worker.process.kill('SIGKILL');
    }, allowanceMs).unref();
  }

  private finish(): void {
    this.logger.info(this.failedToStop ? 'Stopped; a worker did not stop cleanly' : 'Stopped: every worker stopped');
    process.exit(this.failedToStop ? 1 : 0);
  }
}
