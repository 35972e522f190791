import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

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
   * Serialises writers of one kind across every app instance for the rest of the transaction
   * (PostgreSQL advisory lock). On SQLite the transaction queue above already serialises them.
   */
  async lock(manager: EntityManager, key: DatabaseLock): Promise<void> {
    if (this.engine === 'postgres') await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
  }

  /**
   * Like `lock`, but for one value of a kind (one email address, one IP address): writers for the same
   * value wait for each other, others do not. The text is hashed to the lock's second key, so two values
   * may rarely share a lock (they then merely wait for each other). On SQLite the queue serialises anyway.
   */
  async lockOn(manager: EntityManager, key: DatabaseLock, text: string): Promise<void> {
    if (this.engine === 'postgres')
      await manager.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2::text))', [key, text]);
  }
}

/** Advisory lock keys: one per kind of serialised write. */
export enum DatabaseLock {
  /** Taken only by the audit log's last step before commit (AuditService), never for a whole request. */
  AuditChain = 7301,
  DemoSeed = 7302,
  Migrations = 7303,
  /** With `lockOn`: sign-in attempts for one account (its normalised email). */
  SignInAccount = 7304,
  /** With `lockOn`: sign-in attempts from one network address. */
  SignInAddress = 7305,
}
