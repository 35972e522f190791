import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs work in one database transaction. The sqlite3 driver shares a single connection, so two
 * requests' transactions would otherwise interleave on it; here they queue instead. PostgreSQL
 * transactions run concurrently on pooled connections.
 */
@Injectable()
export class UnitOfWork {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /** For reads that need no transaction (and no audit entry). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.engine === 'postgres') return this.dataSource.transaction(work);
    const result = this.sqliteQueue.then(() => this.dataSource.transaction(work));
    this.sqliteQueue = result.catch(() => undefined);
    return result;
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
  AuditChain = 7301,
  DemoSeed = 7302,
  Migrations = 7303,
  /** With `lockOn`: sign-in attempts for one account (its normalised email). */
  SignInAccount = 7304,
  /** With `lockOn`: sign-in attempts from one network address. */
  SignInAddress = 7305,
}
