import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

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
  AuditChain = 7301,
  DemoSeed = 7302,
  Migrations = 7303,
  /** With a value: sign-in attempts for one account (its normalised email). */
  SignInAccount = 7304,
  /** With a value: sign-in attempts from one network address. */
  SignInAddress = 7305,
}
