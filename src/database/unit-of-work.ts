import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';

/**
 * Something a transaction does last, just before it commits, with whatever state it gathered during
 * the transaction (see `UnitOfWork.beforeCommit`).
 */
export interface CommitStep {
  run(manager: EntityManager): Promise<void>;
}

/**
 * Runs work in one database transaction. The sqlite3 driver shares a single connection, so two
 * requests' transactions would otherwise interleave on it; here they queue instead. PostgreSQL
 * transactions run concurrently on pooled connections.
 */
@Injectable()
export class UnitOfWork {
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  /** The steps each open unit of work runs last, keyed by its transaction's query runner. */
  private readonly finalSteps = new WeakMap<QueryRunner, Map<object, CommitStep>>();

  constructor(private readonly dataSource: DataSource) {}

  /** For reads that need no transaction (and no audit entry). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const transaction = () => this.dataSource.transaction((manager) => this.inTransaction(manager, work));
    if (this.engine === 'postgres') return transaction();
    const result = this.sqliteQueue.then(transaction);
    this.sqliteQueue = result.catch(() => undefined);
    return result;
  }

  /**
   * The step registered under `key` for this unit of work's transaction, made by `create` the first
   * time. Steps run once each, in the order they were first registered, after `work` has finished and
   * just before COMMIT; a step that throws rolls the whole transaction back, and a transaction that
   * rolls back earlier never runs them (their state goes with it). The audit log uses this to append
   * its queued entries under the chain lock last, so that lock is held from the append to the commit
   * and no longer. Returns null when `manager` is not a unit of work's transaction (the caller must
   * then do the work at once).
   */
  beforeCommit<S extends CommitStep>(manager: EntityManager, key: object, create: () => S): S | null {
    const steps = manager.queryRunner ? this.finalSteps.get(manager.queryRunner) : undefined;
    if (!steps) return null;
    let step = steps.get(key);
    if (!step) steps.set(key, (step = create()));
    return step as S;
  }

  private async inTransaction<T>(manager: EntityManager, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const queryRunner = manager.queryRunner!;
    const steps = new Map<object, CommitStep>();
    this.finalSteps.set(queryRunner, steps);
    try {
      const result = await work(manager);
      for (const step of steps.values()) await step.run(manager);
      return result;
    } finally {
      // The query runner goes back to the pool and may serve another unit of work later.
      this.finalSteps.delete(queryRunner);
    }
  }

  /**
   * The one way to lock: serialises writers of one kind (`key`), or of one value of a kind (`value`:
   * one email address, one IP address), across every app instance for the rest of the transaction,
   * with a PostgreSQL advisory lock. A value is hashed to the lock's second key, so two values may
   * rarely share a lock (they then merely wait for each other). On SQLite the transaction queue above
   * already serialises every writer.
   */
  async lock(manager: EntityManager, key: DatabaseLock, value?: string): Promise<void> {
    if (this.engine !== 'postgres') return;
    if (value === undefined) await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
    else await manager.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2::text))', [key, value]);
  }

  /**
   * The same, for the rows a query reads: SELECT ... FOR NO KEY UPDATE on PostgreSQL, held until
   * commit, so a second change to one record (an acknowledgement, an outcome, a decision, a closing)
   * waits for the first to commit, then sees it and is refused (422) instead of failing on a unique key
   * (500). NO KEY, so inserting records that refer to the row (a decision, an early-help referral) is
   * never blocked by it and cannot deadlock with it. SQLite needs nothing: one transaction at a time.
   */
  lockRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.engine === 'postgres' ? qb.setLock('for_no_key_update') : qb;
  }
}

/** Advisory lock keys: one per kind of serialised write. */
export enum DatabaseLock {
  /** Taken only by the audit log's last step before commit (AuditService), never for a whole request. */
  AuditChain = 7301,
  DemoSeed = 7302,
  Migrations = 7303,
  /** With a value: sign-in attempts for one account (its normalised email). */
  SignInAccount = 7304,
  /** With a value: sign-in attempts from one network address. */
  SignInAddress = 7305,
}
