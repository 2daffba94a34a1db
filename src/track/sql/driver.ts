/**
 * The small SQL surface the tracking store is written against. Two drivers implement it —
 * SQLite through `better-sqlite3` and PostgreSQL through `pg` — so the store's logic (and its test
 * suite) is shared. Statements use `?` placeholders; the PostgreSQL driver rewrites them to `$n`.
 *
 * @module
 */

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs statements (inside or outside a transaction). */
export interface SqlExecutor {
  /** Runs a statement that returns rows (SELECT, or anything with RETURNING). */
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A connection (or pool) to one database. */
export interface SqlDriver extends SqlExecutor {
  /** Which SQL dialect the migrations and upserts must speak. */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in a write transaction and commits; rolls back and rethrows if `fn` throws. Retried
   * from the start when the database reports a transient conflict (busy, deadlock, serialization
   * failure), so `fn` must only touch the database.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction that holds the store-wide migration lock (SQLite: `BEGIN
   * IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so that two processes opening a
   * fresh store apply the migrations exactly once.
   */
  withMigrationLock<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs one write statement whose commit need not wait for the disk: PostgreSQL commits it with
   * `synchronous_commit = off` (a server crash may lose the last fraction of a second of such
   * writes, never corrupting anything); SQLite treats it like {@link SqlExecutor.run}. Used for
   * high-volume, low-stakes writes: metric points and heartbeats.
   */
  runRelaxed(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
