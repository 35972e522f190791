import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { GracefulShutdown } from './graceful-shutdown';

/** How long the database may take to answer the readiness probe's `SELECT 1`. */
const PING_TIMEOUT_MS = 3000;

/**
 * Readiness (`GET /health/ready`): this instance should be sent traffic while it is not shutting down,
 * its database answers, and every migration it knows (src/database/migrations/index.ts) is applied. The
 * migrations are compared with the database's `migrations` table (TypeORM's `showMigrations`) until they
 * are all there once; from then on that answer is kept (migrations are never unapplied under a running
 * app), so each probe afterwards costs one `SELECT 1`. Terminus runs the three checks and, when one
 * fails, throws its 503 with a body naming it (`error.shutdown`, `error.database`, `error.migrations`).
 */
@Injectable()
export class Readiness {
  private migrationsApplied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly shutdown: GracefulShutdown,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('shutdown');
        return this.shutdown.isDraining ? indicator.down({ message: 'shutting down' }) : indicator.up();
      },
      () => this.typeOrm.pingCheck('database', { connection: this.dataSource }).withTimeout(PING_TIMEOUT_MS),
      () => this.migrations(),
    ]);
  }

  private async migrations() {
    const indicator = this.indicators.check('migrations');
    if (this.migrationsApplied) return indicator.up();
    try {
      // True when a migration is pending.
      if (await this.dataSource.showMigrations())
        return indicator.down({ message: 'migrations pending: run `npm run migration:run` or restart an instance' });
    } catch (error) {
      return indicator.down({ message: `the migrations could not be read: ${(error as Error).message}` });
    }
    this.migrationsApplied = true;
    return indicator.up();
  }
}
