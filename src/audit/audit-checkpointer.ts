import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { AuditChainer } from './audit-chainer';
import { appendCheckpoint, AuditCheckpoint, checkpointDatabaseName } from './audit-checkpoints';

/** How often the chain's head is written outside the database (at most a minute of entries unanchored). */
export const CHECKPOINT_INTERVAL_MS = 60_000;
/** The checkpoint's only statement (tests that count a request's statements leave it out: a timer sends it). */
export const CHECKPOINT_HEAD_SQL = 'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1';

/**
 * Writes the audit chain's head (seq, HMAC, time) outside the database: appended to the checkpoint
 * file and logged, every minute and at shutdown, only when the head has changed since this instance
 * last wrote it. Several instances over one PostgreSQL database may each write the same head once;
 * the file only grows (O_APPEND), so that is harmless. Verification (`npm run audit:verify`) then
 * notices entries removed from the end, or every entry, or a chain rewritten before a checkpoint.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpointer.name);
  private readonly database: string;
  private timer: NodeJS.Timeout | null = null;
  private lastWritten: string | null = null;
  private writing: Promise<AuditCheckpoint | null> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly chainer: AuditChainer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.database = checkpointDatabaseName(config.database);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.checkpoint(), CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** After the chainer has stopped (onModuleDestroy) and before the connection closes: the final head. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.checkpoint();
  }

  /**
   * Writes the current head if it changed since this instance last wrote one; returns what it wrote
   * (null: nothing new, an empty chain, or the write failed, which is logged and retried next time).
   */
  checkpoint(): Promise<AuditCheckpoint | null> {
    // One at a time: the shutdown's checkpoint waits for a timer's that is under way.
    const run = (this.writing ?? Promise.resolve(null)).then(() => this.writeHead());
    this.writing = run;
    return run;
  }

  private async writeHead(): Promise<AuditCheckpoint | null> {
    try {
      if (!this.dataSource.isInitialized) return null;
      // PostgreSQL: what has committed goes on the chain first, so the checkpoint anchors it (requests
      // do not wait for the chain). If chaining fails, the head as it stands is still worth writing.
      // At shutdown the chainer has already chained everything and stopped: this returns at once.
      await this.chainer.chainSoon().catch((error: unknown) => {
        this.logger.warn(`Checkpoint of the chain as it stands; chaining failed: ${(error as Error).message}`);
      });
      // Committed entries only: a head a transaction later rolled back would look like truncation.
      const rows = await this.unitOfWork.betweenTransactions(
        (): Promise<Array<{ seq: number | string; hash: string }>> => this.dataSource.query(CHECKPOINT_HEAD_SQL),
      );
      if (!rows[0]) return null;
      const head = { seq: Number(rows[0].seq), hash: rows[0].hash };
      const key = `${head.seq}:${head.hash}`;
      if (key === this.lastWritten) return null;
      const checkpoint: AuditCheckpoint = {
        type: 'audit_checkpoint',
        database: this.database,
        seq: head.seq,
        hash: head.hash,
        at: new Date().toISOString(),
      };
      await appendCheckpoint(this.config.audit.checkpointFile, checkpoint);
      this.lastWritten = key;
      // The log is the second copy outside the database (and usually off the machine with the rest of it).
      this.logger.log(checkpoint);
      return checkpoint;
    } catch (error) {
      this.logger.error(`Writing the audit checkpoint failed: ${(error as Error).message}`);
      return null;
    }
  }
}
