import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { chainOnto } from './audit-chain';
import { auditCountsUpsert } from './audit-counts';

/** Pending entries moved per chaining transaction; a longer queue takes several in a row. */
const CHAIN_BATCH = 2000;
/** How often each instance looks for committed entries nobody chained (a crash between commit and chaining). */
const SWEEP_MS = 1000;
/** The sweep's only statement when nothing waits (tests that count a request's statements leave it out). */
export const SWEEP_PROBE_SQL = 'SELECT 1 FROM audit_pending LIMIT 1';

/**
 * Puts committed audit entries on the chain (PostgreSQL). A transaction records its entries in
 * `audit_pending`, without any lock, and they commit with the change they record; right after that
 * commit the unit of work asks for a chaining run (`chainLater`) without waiting for it, and a timer
 * sweeps every second in case a run failed or an instance stopped in between. What reads the chain
 * awaits a run first (`chainSoon`), so it sees every entry committed before it asked. A run takes the chain lock (one chainer at a time across
 * instances), reads the head and the committed pending entries, numbers and hashes them onto the chain
 * in the order they were recorded (one transaction's entries together), signed with the audit key, and moves them from
 * `audit_pending` to `audit_entries` in one statement, all in one transaction: an entry is pending
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.unitOfWork.engine !== 'postgres') return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
    void this.sweep(); // whatever an earlier instance committed and did not chain
  }

  /**
   * At shutdown (after the server has drained, before the final checkpoint): no more sweeps, the run
   * under way finishes, and whatever is still pending is chained now, so the final checkpoint covers
   * every answered request. If that fails (the database went away), the entries stay in `audit_pending`,
   * committed, and the next instance to start chains them.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.next?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    if (this.unitOfWork.engine !== 'postgres' || !this.dataSource.isInitialized) return;
    try {
      while ((await this.dataSource.transaction((manager) => this.chainBatch(manager))) === CHAIN_BATCH);
    } catch (error) {
      this.logger.warn(`Audit entries left for the next start to chain: ${(error as Error).message}`);
    }
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

  /**
   * Asks for a chaining run and returns at once (a unit of work, after its COMMIT): the caller's entries
   * are durable in `audit_pending` already, so nothing waits for the chain on a request's path. A failed
   * run is logged once (not once per caller) and the sweep tries again within a second; the entries stay
   * pending, never lost. Whatever reads the chain first awaits `chainSoon` (the audit page, the checkpoint).
   */
  chainLater(): void {
    if (this.unitOfWork.engine !== 'postgres' || this.stopped) return;
    // A run already queued behind the current one starts after this commit: it covers these entries.
    if (this.next) return;
    this.chainSoon().catch((error: unknown) => {
      if (!this.stopped) this.logger.error(`Chaining audit entries failed: ${(error as Error).message}`);
    });
  }

  private async sweep(): Promise<void> {
    try {
      if (this.running || this.stopped) return;
      const waiting: unknown[] = await this.dataSource.query(SWEEP_PROBE_SQL);
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

  /**
   * One chaining transaction, in two round trips and COMMIT (the lock with the reads, the move with the
   * counts): returns how many pending entries it read (CHAIN_BATCH: there may be more).
   */
  private async chainBatch(manager: EntityManager): Promise<number> {
    // The lock, then the pending entries and the head: one simple query of three statements, each with
    // its own snapshot (READ COMMITTED), so both are read after the lock and see the last chainer's commit.
    const client = (await manager.queryRunner!.connect()) as PgClient;
    const sql =
      `SELECT pg_advisory_xact_lock(${DatabaseLock.AuditChain}); ` +
      `SELECT ${PENDING_COLUMNS} FROM audit_pending ORDER BY position LIMIT ${CHAIN_BATCH}; ` +
      'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1';
    manager.connection.logger.logQuery(sql, [], manager.queryRunner);
    const [, pendingResult, headResult] = await client.query(sql);
    const pending = pendingResult.rows as PendingRow[];
    if (pending.length === 0) return 0;
    const headRow = headResult.rows[0] as { seq: number | string; hash: string } | undefined;
    const head = headRow ? { seq: Number(headRow.seq), hash: headRow.hash } : null;

    // One transaction's entries together, in the order recorded; transactions by their first entry.
    const batches = new Map<string, PendingRow[]>();
    for (const row of pending) {
      const batch = batches.get(row.batch);
      if (batch) batch.push(row);
      else batches.set(row.batch, [row]);
    }
    const groups = [...batches.values()];
    // At the limit the last transaction may go on beyond it: it waits for the next run, whole.
    if (pending.length === CHAIN_BATCH && groups.length > 1) groups.pop();
    const moving = groups.flat();

    const chained = chainOnto(
      this.config.audit.key,
      head,
      moving.map((row) => ({
        id: row.id,
        at: new Date(row.at),
        actorUserId: row.actor_user_id,
        actorName: row.actor_name,
        actorRole: row.actor_role,
        actorOrganisationId: row.actor_organisation_id,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
      })),
    );
    // Moved and counted in one statement: deleted from the queue, inserted on the chain with content
    // unchanged (`at` and `details` are the very text the writer stored; the hash covers their parsed
    // values), and added to `audit_counts`. One round trip fewer while the chain lock is held.
    const column = <K extends keyof PendingRow>(key: K) => moving.map((row) => row[key]);
    const params: unknown[] = [
      column('position'),
      chained.map((row) => row.seq),
      column('id'),
      column('at'),
      column('actor_user_id'),
      column('actor_name'),
      column('actor_role'),
      column('actor_organisation_id'),
      column('action'),
      column('subject_type'),
      column('subject_id'),
      column('details'),
      chained.map((row) => row.prevHash),
      chained.map((row) => row.hash),
      column('pupil_id'),
    ];
    const counts = auditCountsUpsert(
      'postgres',
      moving.map((row) => ({
        at: new Date(row.at),
        actorOrganisationId: row.actor_organisation_id,
        action: row.action,
      })),
      params.length + 1,
    );
    if (counts) params.push(...counts.params);
    await manager.query(
      `WITH moved AS (DELETE FROM audit_pending WHERE position = ANY($1::bigint[]))${counts ? `, counted AS (${counts.sql})` : ''}
       INSERT INTO audit_entries (seq, id, at, actor_user_id, actor_name, actor_role, actor_organisation_id,
         action, subject_type, subject_id, details, prev_hash, hash, pupil_id)
       SELECT * FROM unnest($2::integer[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
         $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::text[],
         $13::varchar[], $14::varchar[], $15::varchar[])`,
      params,
    );
    return pending.length;
  }
}

/** A row of `audit_pending` as node-postgres returns it: text as stored. */
interface PendingRow {
  position: string;
  id: string;
  batch: string;
  at: string;
  actor_user_id: string | null;
  actor_name: string;
  actor_role: string | null;
  actor_organisation_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details: string | null;
  pupil_id: string | null;
}

const PENDING_COLUMNS =
  'position, id, batch, at, actor_user_id, actor_name, actor_role, actor_organisation_id, action, ' +
  'subject_type, subject_id, details, pupil_id';

/** The node-postgres client under a PostgreSQL query runner, as far as `chainBatch` uses it. */
interface PgClient {
  query(text: string): Promise<Array<{ rows: unknown[] }>>;
}
