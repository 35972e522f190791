import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { chainOnto } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import { AuditPendingEntry } from './audit-pending-entry.entity';

/** Pending entries moved per chaining transaction; a longer queue takes several in a row. */
const CHAIN_BATCH = 2000;
/** Rows per INSERT or DELETE: well inside bind-parameter limits. */
const STATEMENT_ROWS = 500;
/** How often each instance looks for committed entries nobody chained (a crash between commit and chaining). */
const SWEEP_MS = 1000;

/**
 * Puts committed audit entries on the chain (PostgreSQL). A transaction records its entries in
 * `audit_pending`, without any lock, and they commit with the change they record; right after that
 * commit the unit of work asks for a chaining run (`chainSoon`), and a timer sweeps every second in
 * case an instance stopped in between. A run takes the chain lock (one chainer at a time across
 * instances), reads the head and the committed pending entries, numbers and hashes them onto the chain
 * in the order they were recorded (one transaction's entries together), inserts them into
 * `audit_entries` and deletes them from `audit_pending`, all in one transaction: an entry is pending
 * or chained, never both, never neither. Concurrent requests share runs, so the chain costs one short
 * transaction per batch of commits, not a lock held by every writer to its COMMIT.
 */
@Injectable()
export class AuditChainer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditChainer.name);
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  onApplicationBootstrap(): void {
    if (this.unitOfWork.engine !== 'postgres') return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
    void this.sweep(); // whatever an earlier instance committed and did not chain
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.next?.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /**
   * Resolves when a chaining run that started after this call has finished, so everything committed
   * before the call is on the chain (unless the run failed: it rejects, and the sweep tries again).
   * One run at a time per instance; callers that arrive during a run share the one after it.
   */
  chainSoon(): Promise<void> {
    // SQLite chains in the writer's transaction; a transaction of its own here would share its one connection.
    if (this.unitOfWork.engine !== 'postgres') return Promise.resolve();
    if (!this.running) {
      this.running = this.chainAll().finally(() => (this.running = null));
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.chainSoon();
      });
    return this.next;
  }

  private async sweep(): Promise<void> {
    try {
      if (this.running || this.stopped) return;
      const waiting: unknown[] = await this.dataSource.query('SELECT 1 FROM audit_pending LIMIT 1');
      if (waiting.length) await this.chainSoon();
    } catch (error) {
      if (!this.stopped) this.logger.error(`Chaining audit entries failed: ${(error as Error).message}`);
    }
  }

  private async chainAll(): Promise<void> {
    while (!this.stopped) {
      const taken = await this.dataSource.transaction((manager) => this.chainBatch(manager));
      if (taken < CHAIN_BATCH) return;
    }
  }

  /** One chaining transaction: returns how many pending entries it read (CHAIN_BATCH: there may be more). */
  private async chainBatch(manager: EntityManager): Promise<number> {
    await this.unitOfWork.lock(manager, DatabaseLock.AuditChain);
    // Read after the lock is granted (READ COMMITTED: each statement sees every earlier commit).
    const pending = await manager
      .getRepository(AuditPendingEntry)
      .find({ order: { position: 'ASC' }, take: CHAIN_BATCH });
    if (pending.length === 0) return 0;
    const head = await manager
      .getRepository(AuditEntry)
      .find({ order: { seq: 'DESC' }, take: 1, select: { seq: true, hash: true } });

    // One transaction's entries together, in the order recorded; transactions by their first entry.
    const batches = new Map<string, AuditPendingEntry[]>();
    for (const entry of pending) {
      const batch = batches.get(entry.batch);
      if (batch) batch.push(entry);
      else batches.set(entry.batch, [entry]);
    }
    const groups = [...batches.values()];
    // At the limit the last transaction may go on beyond it: it waits for the next run, whole.
    if (pending.length === CHAIN_BATCH && groups.length > 1) groups.pop();
    const moving = groups.flat();

    const rows = chainOnto(
      head[0] ?? null,
      moving.map((entry) => ({
        id: entry.id,
        at: entry.at,
        actorUserId: entry.actorUserId,
        actorName: entry.actorName,
        actorRole: entry.actorRole,
        actorOrganisationId: entry.actorOrganisationId,
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: entry.subjectId,
        details: entry.details,
      })),
    );
    for (let i = 0; i < rows.length; i += STATEMENT_ROWS)
      await manager.getRepository(AuditEntry).insert(rows.slice(i, i + STATEMENT_ROWS));
    const positions = moving.map((entry) => entry.position);
    for (let i = 0; i < positions.length; i += STATEMENT_ROWS)
      await manager.getRepository(AuditPendingEntry).delete(positions.slice(i, i + STATEMENT_ROWS));
    return pending.length;
  }
}
