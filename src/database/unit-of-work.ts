import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { SqliteConnectionOptions } from 'typeorm/driver/sqlite/SqliteConnectionOptions';
import { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';

/**
 * Something a transaction does last, just before it commits, with whatever state it gathered during
 * the transaction (see `UnitOfWork.beforeCommit`).
 */
export interface CommitStep {
  run(manager: EntityManager): Promise<void>;
  /**
   * Reads on SQLite: this step and the steps other reads registered under the same key as ONE step, for
   * the writer transaction they share (the audit log appends every read's entries with one insert).
   * Changes none of them: a read retried alone still has its own.
   */
  joinedWith?(others: CommitStep[]): CommitStep;
  /**
   * Reads on SQLite: the whole step as one statement outside any transaction (SQLite runs a single
   * statement atomically, so it needs no BEGIN and COMMIT around it), if it can. False when it changed
   * nothing and must `run` in a transaction instead. Only ever called between the writer's transactions.
   */
  runAlone?(manager: EntityManager): Promise<boolean>;
}

/** The steps one open unit of work runs just before and just after its COMMIT. */
interface TransactionSteps {
  before: Map<object, CommitStep>;
  after: Map<object, () => Promise<void>>;
}

/** A read's steps waiting for the next shared writer transaction (SQLite), and how to tell the read. */
interface QueuedReadSteps {
  steps: Map<object, CommitStep>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Read-only connections beside the writer on SQLite: enough to keep both cores busy next to it. */
const SQLITE_READERS = 3;

/**
 * Runs work in one database transaction. PostgreSQL transactions run concurrently on pooled
 * connections. The sqlite3 driver shares a single connection, so two requests' writing transactions
 * would otherwise interleave on it; here they queue instead (SQLite has one writer anyway). Reads
 * (`read`) on SQLite run on their own read-only connections, in parallel with each other and with the
 * writer (WAL), and only their audit entries go through the writer, many reads' in one transaction.
 */
@Injectable()
export class UnitOfWork implements OnModuleDestroy {
  private readonly logger = new Logger(UnitOfWork.name);
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  /** The steps each open unit of work runs around COMMIT, keyed by its transaction's query runner. */
  private readonly steps = new WeakMap<QueryRunner, TransactionSteps>();
  /** SQLite's read-only connections (opened at the first read), the free ones, and reads waiting for one. */
  private readers: Promise<DataSource[]> | null = null;
  private readonly freeReaders: DataSource[] = [];
  private readonly waitingForReader: Array<(reader: DataSource) => void> = [];
  /** Reads' steps waiting for the next shared writer transaction, and whether one is queued. */
  private readSteps: QueuedReadSteps[] = [];
  private readStepsQueued = false;

  constructor(private readonly dataSource: DataSource) {}

  /** For reads that need no transaction (and no audit entry). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** A transaction that may change anything (and records its audit entries in itself). */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writing(async () => {
      const steps: TransactionSteps = { before: new Map(), after: new Map() };
      const result = await this.dataSource.transaction((manager) => this.inTransaction(manager, steps, work));
      await this.runAfterCommit(steps);
      return result;
    });
  }

  /**
   * A transaction that only reads (and records that it read). On PostgreSQL the same as `run`: reads
   * already run in parallel, and the audit log appends without a lock. On SQLite `work` runs in a
   * read transaction on one of the read-only connections (a consistent snapshot of the last commit, in
   * parallel with other reads and with the writer), so it cannot change anything: a write fails loudly.
   * Its `beforeCommit` steps (the audit entries it recorded) then run on the writer with those of the
   * other reads that finished meanwhile, in one shared transaction or, when they come down to one
   * statement, as that statement alone; the answer is returned only after they have committed: an
   * audited read never answers without its entry. If that fails the read
   * fails; one read's failing step is retried alone so it cannot fail the others. A file database only
   * (an in-memory one has no second connection: `run`).
   */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.engine === 'postgres' || !this.hasReaders()) return this.run(work);
    const steps: TransactionSteps = { before: new Map(), after: new Map() };
    const reader = await this.takeReader();
    let result: T;
    try {
      result = await reader.transaction((manager) => this.inTransaction(manager, steps, work, false));
    } finally {
      this.giveBack(reader);
    }
    if (steps.before.size) await this.appendForRead(steps.before);
    await this.runAfterCommit(steps);
    return result;
  }

  /**
   * The step registered under `key` for this unit of work's transaction, made by `create` the first
   * time. Steps run once each, in the order they were first registered, after `work` has finished and
   * just before COMMIT (for a `read` on SQLite: on the writer once the read is done, joined with other
   * reads' steps under the same key, in the writer transaction they share or, a single step that can,
   * as one statement with none: `CommitStep`); a step that throws rolls the whole transaction back, and
   * a transaction that rolls back earlier never runs them (their state goes with it). The audit log uses this to write its queued
   * entries last. Returns null when `manager` is not a unit of work's transaction (the caller must then
   * do the work at once).
   */
  beforeCommit<S extends CommitStep>(manager: EntityManager, key: object, create: () => S): S | null {
    const steps = manager.queryRunner ? this.steps.get(manager.queryRunner) : undefined;
    if (!steps) return null;
    let step = steps.before.get(key);
    if (!step) steps.before.set(key, (step = create()));
    return step as S;
  }

  /**
   * Registers `work` (once per `key`) to run after this unit of work's transaction has committed and
   * before `run`/`read` returns; never when it rolled back. What it does is not part of the
   * transaction: a failure is logged and does not fail the caller, whose change has committed. Steps
   * are awaited, so one that only starts background work must return at once (the audit log asks for a
   * chaining run it does not wait for; notifications flush e-mails the same way). Returns false when
   * `manager` is not a unit of work's transaction.
   */
  afterCommit(manager: EntityManager, key: object, work: () => Promise<void>): boolean {
    const steps = manager.queryRunner ? this.steps.get(manager.queryRunner) : undefined;
    if (!steps) return false;
    if (!steps.after.has(key)) steps.after.set(key, work);
    return true;
  }

  async onModuleDestroy(): Promise<void> {
    const readers = this.readers;
    this.readers = null;
    if (readers) for (const reader of await readers.catch(() => [])) await reader.destroy();
  }

  private async inTransaction<T>(
    manager: EntityManager,
    steps: TransactionSteps,
    work: (manager: EntityManager) => Promise<T>,
    runStepsHere = true,
  ): Promise<T> {
    const queryRunner = manager.queryRunner!;
    this.steps.set(queryRunner, steps);
    try {
      const result = await work(manager);
      if (runStepsHere) for (const step of steps.before.values()) await step.run(manager);
      return result;
    } finally {
      // The query runner goes back to the pool and may serve another unit of work later.
      this.steps.delete(queryRunner);
    }
  }

  private async runAfterCommit(steps: TransactionSteps): Promise<void> {
    for (const work of steps.after.values()) {
      try {
        await work();
      } catch (error) {
        this.logger.error(`After commit: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Work outside any transaction that must see only what has committed: on SQLite it waits its turn
   * between writing transactions (a statement sent on the one shared connection while another's
   * transaction is open would be part of it, and see its uncommitted rows); on PostgreSQL at once.
   */
  betweenTransactions<T>(work: () => Promise<T>): Promise<T> {
    return this.writing(work);
  }

  /** On SQLite, whole writing transactions queue for the one connection; on PostgreSQL they run at once. */
  private writing<T>(transaction: () => Promise<T>): Promise<T> {
    if (this.engine === 'postgres') return transaction();
    const result = this.sqliteQueue.then(transaction);
    this.sqliteQueue = result.catch(() => undefined);
    return result;
  }

  /**
   * Queues a finished read's steps for the next shared writer transaction (SQLite): every read whose
   * steps arrive before that transaction starts goes into it, so many reads' entries cost one commit.
   * Steps under one key are joined into one (`joinedWith`: the audit log's one insert for every read's
   * entries), and when that leaves a single step that can run as one statement (`runAlone`), it runs
   * with no transaction around it: the writer sends that one statement and nothing else.
   */
  private appendForRead(steps: Map<object, CommitStep>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.readSteps.push({ steps, resolve, reject });
      if (this.readStepsQueued) return;
      this.readStepsQueued = true;
      void this.writing(async () => {
        this.readStepsQueued = false;
        const batch = this.readSteps;
        this.readSteps = [];
        // Otherwise the shared transaction is a unit of work's own: a step may register steps on it
        // (`beforeCommit` on its manager), which run once, after the reads' steps.
        const runAll = async (reads: QueuedReadSteps[]) => {
          const steps = joinedSteps(reads);
          if (steps.length === 1 && (await this.runAlone(steps[0]))) return;
          const shared: TransactionSteps = { before: new Map(), after: new Map() };
          await this.dataSource.transaction((manager) =>
            this.inTransaction(manager, shared, async () => {
              for (const step of steps) await step.run(manager);
            }),
          );
          await this.runAfterCommit(shared);
        };
        try {
          await runAll(batch);
          for (const read of batch) read.resolve();
        } catch {
          // One read's failing step must not fail the others': each alone, in order.
          for (const read of batch) await runAll([read]).then(read.resolve, read.reject);
        }
      });
    });
  }

  /** A step on the writer with no transaction open (`CommitStep.runAlone`); false when it cannot. */
  private async runAlone(step: CommitStep): Promise<boolean> {
    if (!step.runAlone) return false;
    // SQLite's driver has one query runner on its one connection; between transactions it autocommits.
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      return await step.runAlone(queryRunner.manager);
    } finally {
      await queryRunner.release();
    }
  }

  private hasReaders(): boolean {
    const database = (this.dataSource.options as { database?: string }).database ?? ':memory:';
    return database !== ':memory:' && !database.startsWith('file::memory:');
  }

  private async takeReader(): Promise<DataSource> {
    this.readers ??= this.openReaders();
    await this.readers;
    const free = this.freeReaders.pop();
    if (free) return free;
    return new Promise((resolve) => this.waitingForReader.push(resolve));
  }

  private giveBack(reader: DataSource): void {
    const waiting = this.waitingForReader.shift();
    if (waiting) waiting(reader);
    else this.freeReaders.push(reader);
  }

  /** The read-only connections: the same file and entities as the writer, opened with SQLITE_OPEN_READONLY. */
  private async openReaders(): Promise<DataSource[]> {
    const options = this.dataSource.options as SqliteConnectionOptions;
    const sqlite = (this.dataSource.driver as SqliteDriver).sqlite as { OPEN_READONLY: number };
    const entities = this.dataSource.entityMetadatas
      .map((metadata) => metadata.target)
      .filter((target): target is Function => typeof target === 'function'); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
    const readers = await Promise.all(
      Array.from({ length: SQLITE_READERS }, () =>
        new DataSource({
          type: 'sqlite',
          // The writer's quiet sqlite3 module: TypeORM would otherwise call sqlite3.verbose(), which
          // wraps every statement of every connection, the writer's too, in a stack-trace capture.
          driver: options.driver as unknown,
          database: options.database,
          flags: sqlite.OPEN_READONLY,
          busyTimeout: options.busyTimeout,
          entities,
          synchronize: false,
          migrationsRun: false,
          logging: false,
        }).initialize(),
      ),
    );
    this.freeReaders.push(...readers);
    return readers;
  }

  /**
   * The one way to lock: serialises writers of one kind (`key`), or of one value of a kind (`value`:
   * one email address, one IP address), across every app instance for the rest of the transaction,
   * with a PostgreSQL advisory lock. A value is hashed to the lock's second key, so two values may
   * rarely share a lock (they then merely wait for each other). On SQLite the transaction queue above
   * already serialises every writer (reads on SQLite change nothing).
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

/**
 * The steps of a batch of reads for their shared writer transaction: under each key (in the order the
 * keys were first registered) every read's step in turn, joined into one where the step allows it.
 * Joined even when one read alone has a step under the key: the joined step is a new one, so a run
 * that fails (and may have used up its state: the audit log's queue empties as it appends) leaves the
 * read's own step whole for the retry alone, which would otherwise append nothing and answer the read.
 */
function joinedSteps(reads: QueuedReadSteps[]): CommitStep[] {
  const byKey = new Map<object, CommitStep[]>();
  for (const read of reads)
    for (const [key, step] of read.steps) {
      const same = byKey.get(key);
      if (same) same.push(step);
      else byKey.set(key, [step]);
    }
  return [...byKey.values()].flatMap(([first, ...others]) =>
    first.joinedWith ? [first.joinedWith(others)] : [first, ...others],
  );
}

/** Advisory lock keys: one per kind of serialised write. */
export enum DatabaseLock {
  /** Taken by the audit chainer for one short move, or by an append outside a unit of work; never for a whole request. */
  AuditChain = 7301,
  DemoSeed = 7302,
  Migrations = 7303,
  /** With a value: sign-in attempts for one account (its normalised email). */
  SignInAccount = 7304,
  /** With a value: sign-in attempts from one network address. */
  SignInAddress = 7305,
  /** With a value: one account's password-reset links (its user id), so the per-account limit holds under races. */
  PasswordResets = 7310,
  /** With a value: roll imports into one local authority (their pupils are matched by UPN across it). */
  RollImport = 7313,
}
