/**
 * The PostgreSQL driver (`pg`): a small connection pool; statements written with `?` placeholders
 * are rewritten to `$1, $2, …`. A `schema` query parameter in the URL
 * (`postgres://…/db?schema=lathe`) keeps the store's tables in that schema (created on first use);
 * without it they go to the connection's default schema (normally `public`).
 *
 * @module
 */

import type { Pool, PoolClient, QueryConfig } from 'pg';
import { ValidationError } from '../../core/errors.ts';
import type { Row, SqlDriver, SqlExecutor } from './driver.ts';

/** Options for {@link openPostgresDriver}. */
export interface PostgresDriverOptions {
  /** Maximum connections in the pool (default 4). */
  maxConnections?: number;
  /** How many times to retry a transaction that hits a deadlock or serialization failure (default 10). */
  retries?: number;
}

/** Two 32-bit keys naming Lathe's migration lock for `pg_advisory_xact_lock`. */
const LOCK_KEYS = [0x4c617468, 1] as const;

/** A {@link SqlDriver} over a PostgreSQL pool. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, { text: string; name: string | undefined }>();

  private relaxedPool: Pool | undefined;

  constructor(
    private readonly pool: Pool,
    /** Makes a pool whose sessions commit with `synchronous_commit = off`. */
    private readonly makeRelaxedPool: () => Pool,
    /** The URL with the password replaced by `***` (for messages). */
    readonly safeUrl: string,
    /** The schema holding the tables, when the URL named one. */
    readonly schema: string | undefined,
    private readonly retries: number,
  ) {}

  async all<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(this.query(sql, params))).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.pool.query(this.query(sql, params))).rowCount ?? 0;
  }

  async runRelaxed(sql: string, params: readonly unknown[] = []): Promise<number> {
    this.relaxedPool ??= this.makeRelaxedPool();
    return (await this.relaxedPool.query(this.query(sql, params))).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(this.executor(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (e as { code?: unknown }).code;
        if ((code === '40001' || code === '40P01') && attempt < this.retries) continue;
        throw e;
      } finally {
        client.release();
      }
    }
  }

  withMigrationLock<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await tx.all('SELECT pg_advisory_xact_lock(?, ?)', [...LOCK_KEYS]);
      if (this.schema) await tx.run(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      return fn(tx);
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.relaxedPool?.end()]);
  }

  private executor(client: PoolClient): SqlExecutor {
    return {
      all: async <T>(sql: string, params: readonly unknown[] = []) =>
        (await client.query(this.query(sql, params))).rows as T[],
      run: async (sql: string, params: readonly unknown[] = []) =>
        (await client.query(this.query(sql, params))).rowCount ?? 0,
    };
  }

  /**
   * The query for `sql`: `?` placeholders rewritten to `$n` (the store's SQL never has `?` inside
   * literals), as a named statement so each connection parses and plans it once. DDL is sent
   * unnamed (it cannot be prepared once and reused across schema changes).
   */
  private query(sql: string, params: readonly unknown[]): QueryConfig {
    let t = this.texts.get(sql);
    if (t === undefined) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      const name = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(sql)
        ? `lathe_${this.texts.size}`
        : undefined;
      t = { text, name };
      this.texts.set(sql, t);
    }
    return { text: t.text, name: t.name, values: params as unknown[] };
  }
}

/** Replaces the password in a connection URL with `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

/** Opens a pool to `url` and checks that it connects; errors name the (redacted) URL and a fix. */
export async function openPostgresDriver(
  url: string,
  options: PostgresDriverOptions = {},
): Promise<PostgresDriver> {
  const safeUrl = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`The store URL ${safeUrl} is not a valid URL.`, {
      field: 'store',
      fix: 'write it as postgres://user:password@host:5432/database',
    });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ValidationError(`The store URL's schema ${JSON.stringify(schema)} is not a plain identifier.`, {
      field: 'store',
      fix: 'use lower-case letters, digits and _ for the schema name',
    });
  }
  parsed.searchParams.delete('schema');
  const { default: pg } = await import('pg');
  const makePool = (max: number, settings: string[]) => {
    const pool = new pg.Pool({
      connectionString: parsed.toString(),
      max,
      allowExitOnIdle: true,
      connectionTimeoutMillis: 15_000,
      ...(settings.length ? { options: settings.map((s) => `-c ${s}`).join(' ') } : {}),
      types: {
        // BIGINT (oid 20) as a JS number: the store's integers (steps, sizes, ids) stay below 2^53.
        getTypeParser: ((oid: number, format?: string) =>
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as never)) as never,
      },
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return pool;
  };
  const base = schema ? [`search_path=${schema}`] : [];
  const pool = makePool(options.maxConnections ?? 4, base);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw connectError(e, safeUrl);
  }
  return new PostgresDriver(
    pool,
    () => makePool(2, [...base, 'synchronous_commit=off']),
    safeUrl,
    schema,
    options.retries ?? 10,
  );
}

function connectError(e: unknown, safeUrl: string): ValidationError {
  const err = e as { code?: string; message?: string };
  const why =
    err.code === 'ECONNREFUSED'
      ? 'nothing is listening there'
      : err.code === '28P01' || err.code === '28000'
        ? 'the user name or password was refused'
        : err.code === '3D000'
          ? 'the database does not exist'
          : (err.message ?? String(e));
  return new ValidationError(`Cannot connect to the tracking store ${safeUrl}: ${why}.`, {
    field: 'store',
    fix:
      err.code === '3D000'
        ? 'create it (createdb) or name an existing database in the URL'
        : 'check that PostgreSQL is running and the URL (host, port, user, password, database) is right',
    cause: e,
  });
}
