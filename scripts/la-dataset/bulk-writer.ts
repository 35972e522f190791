import { DataSource, QueryRunner } from 'typeorm';

/** A column as the bulk writer sends it: its name and PostgreSQL array type for `unnest`. */
export type ColumnType = 'text' | 'int' | 'bool';
export type Cell = string | number | boolean | null;

export interface TableSpec {
  name: string;
  columns: ReadonlyArray<readonly [string, ColumnType]>;
}

/** The parts of node-sqlite3 the writer uses (the driver under TypeORM's SQLite connection). */
interface SqliteStatement {
  run(params: Cell[], callback: (error: Error | null) => void): void;
  finalize(callback: () => void): void;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

/** SQLite's default limit is 32,766 bound parameters a statement; stay well under it. */
const SQLITE_PARAMETERS = 30_000;
/** PostgreSQL gets one array per column (`unnest`), so a statement's size is bounded by memory, not parameters. */
const POSTGRES_ROWS = 5_000;
/** Rows written between COMMITs: big transactions, but not one of several gigabytes. */
const ROWS_PER_TRANSACTION = 250_000;

/**
 * Writes rows in big multi-row INSERTs inside big transactions, one statement after another on one
 * connection: on SQLite `INSERT ... VALUES (...), (...)` with bound parameters; on PostgreSQL
 * `INSERT ... SELECT * FROM unnest($1::text[], ...)`, one array per column (a handful of parameters
 * however many rows). Rows are buffered per table and written in the order the tables were declared
 * (parents before children), so foreign keys hold at every statement. Writing overlaps generating:
 * `add` only waits when the previous flush is still running.
 */
export class BulkWriter {
  private readonly buffers = new Map<string, Cell[][]>();
  private buffered = 0;
  /** Rows kept back at the last flush (SQLite writes whole statements only). */
  private carried = 0;
  private inTransaction = 0;
  private pending: Promise<void> = Promise.resolve();
  readonly written = new Map<string, number>();

  private constructor(
    private readonly runner: QueryRunner,
    readonly engine: 'sqlite' | 'postgres',
    private readonly tables: readonly TableSpec[],
    private readonly flushAt: number,
  ) {
    for (const table of tables) {
      this.buffers.set(table.name, []);
      this.written.set(table.name, 0);
    }
  }

  static async open(dataSource: DataSource, tables: readonly TableSpec[], flushAt = 40_000): Promise<BulkWriter> {
    const engine = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const writer = new BulkWriter(runner, engine, tables, flushAt);
    await writer.begin();
    return writer;
  }

  /** Queues one row (cells in the table's column order); flushes everything when enough is queued. */
  async add(table: string, row: Cell[]): Promise<void> {
    this.buffers.get(table)!.push(row);
    this.buffered += 1;
    if (this.buffered - this.carried >= this.flushAt) await this.flush();
  }

  /** Hands the queued rows to the database (after the previous flush finishes); returns without waiting for it. */
  async flush(final = false): Promise<void> {
    await this.pending;
    const batch = this.tables.map((table) => {
      const buffer = this.buffers.get(table.name)!;
      // SQLite: whole statements only, so one prepared statement per table serves every flush (its
      // foreign keys are off while loading, so a child may go before its parent); the rest waits.
      const take =
        final || this.engine === 'postgres'
          ? buffer.length
          : buffer.length - (buffer.length % this.rowsPerStatement(table));
      return [table, buffer.splice(0, take)] as const;
    });
    this.buffered = this.tables.reduce((sum, table) => sum + this.buffers.get(table.name)!.length, 0);
    this.carried = this.buffered;
    this.pending = this.write(batch, final);
  }

  private rowsPerStatement(table: TableSpec): number {
    return this.engine === 'postgres' ? POSTGRES_ROWS : Math.floor(SQLITE_PARAMETERS / table.columns.length);
  }

  /** Writes what is left and commits. */
  async close(): Promise<void> {
    await this.flush(true);
    await this.pending;
    for (const statement of this.statements.values())
      await new Promise<void>((resolve) => statement.finalize(() => resolve()));
    this.statements.clear();
    await this.runner.query('COMMIT');
    await this.runner.release();
  }

  private async begin(): Promise<void> {
    await this.runner.query(this.engine === 'postgres' ? 'BEGIN' : 'BEGIN IMMEDIATE');
    this.inTransaction = 0;
  }

  private async write(batch: ReadonlyArray<readonly [TableSpec, Cell[][]]>, final: boolean): Promise<void> {
    for (const [table, rows] of batch) {
      if (rows.length === 0) continue;
      const perStatement = this.rowsPerStatement(table);
      for (let i = 0; i < rows.length; i += perStatement) await this.insert(table, rows.slice(i, i + perStatement));
      this.written.set(table.name, this.written.get(table.name)! + rows.length);
      this.inTransaction += rows.length;
    }
    if (this.inTransaction >= ROWS_PER_TRANSACTION && !final) {
      await this.runner.query('COMMIT');
      await this.begin();
    }
  }

  private async insert(table: TableSpec, rows: Cell[][]): Promise<void> {
    const names = table.columns.map(([name]) => name).join(', ');
    if (this.engine === 'postgres') {
      const arrays = table.columns.map((_, column) => rows.map((row) => row[column]));
      const casts = table.columns.map(([, type], i) => `$${i + 1}::${type === 'int' ? 'integer' : type}[]`);
      await this.runner.query(`INSERT INTO ${table.name} (${names}) SELECT * FROM unnest(${casts.join(', ')})`, arrays);
      return;
    }
    const values: Cell[] = [];
    for (const row of rows) for (const cell of row) values.push(typeof cell === 'boolean' ? (cell ? 1 : 0) : cell);
    const statement = this.sqliteStatement(table, names, rows.length);
    await new Promise<void>((resolve, reject) =>
      statement.run(values, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /**
   * One prepared statement per table and row count, reused: the sqlite3 driver TypeORM loads is the
   * verbose one, which formats every call's SQL text for its long stack traces, so a statement is
   * prepared once rather than sent as new text each time.
   */
  private sqliteStatement(table: TableSpec, names: string, rows: number): SqliteStatement {
    const key = `${table.name}:${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const placeholders = `(${table.columns.map(() => '?').join(', ')})`;
      const connection = (this.runner.connection.driver as unknown as { databaseConnection: SqliteDatabase })
        .databaseConnection;
      statement = connection.prepare(
        `INSERT INTO ${table.name} (${names}) VALUES ${new Array<string>(rows).fill(placeholders).join(', ')}`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }

  private readonly statements = new Map<string, SqliteStatement>();
}
