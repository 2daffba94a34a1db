/**
 * The SQLite driver: `better-sqlite3` (version 12; 13 crashes on Node 20) in WAL mode with a busy
 * timeout. Calls are synchronous underneath; this wraps them in promises behind a per-connection
 * queue, so an open transaction is never interleaved with another caller's statements.
 *
 * Contention: many processes may write to one file. A writer that finds the database locked waits
 * (SQLite's busy timeout, then short randomised back-offs) for up to `retryForMs`; only after that
 * does the caller see an error, and it is a {@link LatheError} that says what to do — never a raw
 * "database is locked". Write transactions start with `BEGIN IMMEDIATE`, which takes the write
 * lock up front and so avoids the lock-upgrade deadlock that deferred transactions hit under WAL.
 *
 * @module
 */

import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataError, LatheError } from '../../core/errors.ts';
import { makeDirsSync } from '../../core/make-dirs.ts';
import { type Row, type SqlDriver, type SqlExecutor, sleep } from './driver.ts';

/** Options for {@link openSqliteDriver}. */
export interface SqliteDriverOptions {
  /** SQLite's own busy timeout per statement, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /** How long to keep retrying a statement or transaction that finds the database busy (default 120000). */
  retryForMs?: number;
}

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** A {@link SqlDriver} over one SQLite file. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlExecutor;
  private closed = false;

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly file: string,
    private readonly retryForMs: number,
  ) {
    this.direct = {
      all: async <T>(sql: string, params: readonly unknown[] = []) =>
        this.stmt(sql).all(...bind(params)) as T[],
      run: async (sql: string, params: readonly unknown[] = []) =>
        this.stmt(sql).run(...bind(params)).changes,
    };
  }

  all<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.exclusive(() =>
      this.retrying(async () => {
        const s = this.stmt(sql);
        if (s.reader) return s.all(...bind(params)) as T[];
        s.run(...bind(params));
        return [];
      }),
    );
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.exclusive(() => this.retrying(async () => this.stmt(sql).run(...bind(params)).changes));
  }

  runRelaxed(sql: string, params: readonly unknown[] = []): Promise<number> {
    // WAL with synchronous = NORMAL already commits without waiting for a sync.
    return this.run(sql, params);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      this.retrying(async () => {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(this.direct);
          this.db.exec('COMMIT');
          return result;
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      }),
    );
  }

  withMigrationLock<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // BEGIN IMMEDIATE holds SQLite's single write lock: one migrator at a time, store-wide.
    return this.transaction(fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => {});
    this.statements.clear();
    this.db.close();
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql) as Statement;
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` after every earlier call on this connection has settled. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`The tracking store ${this.file} is closed.`));
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => {});
    return result;
  }

  /** Retries `fn` while SQLite reports the database busy or locked, up to `retryForMs`. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!isBusy(e)) throw mapSqliteError(e, this.file);
        if (Date.now() >= deadline) throw lockedTooLong(this.file, this.retryForMs, e);
        await sleep(Math.random() * Math.min(20, 1 + attempt));
      }
    }
  }
}

/** Opens (creating if needed) a SQLite file in WAL mode with a busy timeout. */
/**
 * Whether the SQLite file holds a Lathe store (its `lathe_migrations` table), looked at read-only —
 * opening it with {@link openSqliteDriver} would switch a foreign database to WAL mode. A file
 * that cannot be opened so says true: the driver then reports what is wrong with it. A locked
 * file is waited for up to `busyTimeoutMs` (synchronously, as every SQLite call).
 */
export async function sqliteHoldsStore(file: string, busyTimeoutMs = 5000): Promise<boolean> {
  const { default: Database } = await import('better-sqlite3');
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    try {
      return (
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lathe_migrations'").get() !==
        undefined
      );
    } finally {
      db.close();
    }
  } catch {
    return true;
  }
}

export async function openSqliteDriver(
  file: string,
  options: SqliteDriverOptions = {},
): Promise<SqliteDriver> {
  const { default: Database } = await import('better-sqlite3');
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const retryForMs = options.retryForMs ?? 120_000;
  try {
    makeDirsSync(dirname(file));
  } catch (e) {
    throw new DataError(`cannot create the folder for the tracking store: ${(e as Error).message}`, {
      file,
      fix: 'pass --store with a path in a writable folder',
      cause: e,
    });
  }
  const deadline = Date.now() + retryForMs;
  let db: BetterSqlite3.Database | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      db ??= new Database(file, { timeout: busyTimeoutMs });
      // Switching to WAL needs a moment of exclusive access; a concurrent opener may hold it.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      break;
    } catch (e) {
      if (!isBusy(e)) {
        db?.close();
        throw mapSqliteError(e, file);
      }
      if (Date.now() >= deadline) {
        db?.close();
        throw lockedTooLong(file, retryForMs, e);
      }
      await sleep(Math.min(200, 2 + 2 ** Math.min(attempt, 7)) * (0.5 + Math.random()));
    }
  }
  return new SqliteDriver(db!, file, retryForMs);
}

function bind(params: readonly unknown[]): unknown[] {
  const out = new Array(params.length);
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    out[i] = v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return out;
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function lockedTooLong(file: string, ms: number, cause: unknown): LatheError {
  return new LatheError(
    `The tracking store ${file} stayed locked by other writers for ${Math.round(ms / 1000)} s.`,
    {
      fix: 'a process may be holding a long transaction on it; retry, or use a PostgreSQL store (--store postgres://…) for heavy concurrent use',
      cause,
    },
  );
}

function mapSqliteError(e: unknown, file: string): unknown {
  const code = (e as { code?: unknown })?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DataError(`the tracking store is not a readable SQLite database (${(e as Error).message}).`, {
      file,
      fix: 'point --store at a Lathe store (default ./.lathe/lathe.db) or move the damaged file away',
      cause: e,
    });
  }
  // Extended codes too: SQLITE_READONLY_DIRECTORY (a WAL store in a folder this user cannot write:
  // SQLite cannot create the -shm file, so not even a read works), SQLITE_CANTOPEN_ISDIR, ….
  if (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_CANTOPEN') ||
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_PERM'))
  ) {
    return new DataError(`cannot open the tracking store for writing (${(e as Error).message}).`, {
      file,
      fix: 'check that the file and its folder exist and are writable (SQLite writes next to the file even to read a store in WAL mode), or pass another --store',
      cause: e,
    });
  }
  // A full disk is SQLITE_FULL; a write the kernel refuses part-way (a file-size limit, EFBIG) or
  // a failing device is SQLITE_IOERR_*. SQLite rolls the transaction back: the store stays whole.
  if (typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'))) {
    return new DataError(`cannot write the tracking store (${(e as Error).message}).`, {
      file,
      fix: 'make room on the disk that holds it (or raise the file-size limit, ulimit -f), or pass another --store',
      cause: e,
    });
  }
  return e;
}
