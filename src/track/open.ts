/**
 * `openStore`: picks the adapter from a URL, `LATHE_STORE`, or the default `./.lathe/lathe.db`,
 * applies migrations (exactly once per store, under a lock) and returns a {@link Store}.
 *
 * | store given as | adapter |
 * |---|---|
 * | `postgres://user:pass@host:5432/db` (or `postgresql://`; `?schema=name` optional) | PostgreSQL |
 * | `sqlite:/path/to/file.db`, `sqlite:relative.db` or a plain path | SQLite |
 * | a path to an existing folder | SQLite at `<folder>/lathe.db` |
 *
 * Artifacts go to `options.artifacts`, else `LATHE_ARTIFACTS`, else `artifacts/` next to the
 * SQLite file (the real file, when the path is a symbolic link), else (PostgreSQL)
 * `./.lathe/artifacts`.
 *
 * @module
 */

import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError, ValidationError } from '../core/errors.ts';
import { ArtifactStore } from './artifacts.ts';
import { isTrackingStore, migrate } from './sql/migrations.ts';
import { openPostgresDriver, type PostgresDriverOptions, redactUrl } from './sql/postgres.ts';
import { openSqliteDriver, type SqliteDriverOptions, sqliteHoldsStore } from './sql/sqlite.ts';
import { SqlStore } from './sql-store.ts';
import type { Store } from './store.ts';

/** The default store location, relative to the working directory. */
export const DEFAULT_STORE_PATH = './.lathe/lathe.db';

/** Default for {@link OpenStoreOptions.staleAfterMs}: 5 minutes. */
export const DEFAULT_STALE_AFTER_MS = 300_000;

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Root folder of the content-addressed artifact store. */
  artifacts?: string;
  /**
   * A running run from another host whose last heartbeat is older than this is marked failed
   * (default `LATHE_HEARTBEAT_TIMEOUT` seconds, else 5 minutes). Runs of this host are judged by
   * whether their process still exists.
   */
  staleAfterMs?: number;
  /** SQLite tuning (busy timeout, how long to retry a locked database). */
  sqlite?: SqliteDriverOptions;
  /** PostgreSQL tuning (pool size, retries). */
  postgres?: PostgresDriverOptions;
  /**
   * Create a SQLite store that does not exist yet (default true). Readers pass false, so that
   * looking something up never leaves an empty `.lathe/` behind; a missing store is then a
   * {@link DataError} that names the path.
   */
  create?: boolean;
}

/** Which adapter a store URL selects and where it points. */
export interface StoreTarget {
  kind: 'sqlite' | 'postgres';
  /** The SQLite file (absolute) or the PostgreSQL URL. */
  location: string;
}

/** Resolves a store URL (or `LATHE_STORE`, or the default) to an adapter and location. */
export function resolveStoreTarget(url?: string | null): StoreTarget {
  const given = url ?? nonEmpty(process.env.LATHE_STORE) ?? DEFAULT_STORE_PATH;
  if (typeof given !== 'string' || given.trim() === '') {
    throw new ValidationError('The store location is empty.', {
      field: 'store',
      fix: 'pass --store PATH or --store postgres://…, or leave it out to use LATHE_STORE or ./.lathe/lathe.db',
    });
  }
  if (/^postgres(ql)?:\/\//i.test(given)) return { kind: 'postgres', location: given };
  let path = given;
  if (/^sqlite:/i.test(path)) path = path.replace(/^sqlite:(\/\/(?=\/))?/i, '');
  else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path)) {
    throw new ValidationError(`Unsupported store URL ${redactUrl(given)}.`, {
      field: 'store',
      fix: 'use a SQLite path (e.g. ./.lathe/lathe.db) or a postgres:// URL',
    });
  }
  if (path.includes('\0'))
    throw new ValidationError('The store path contains a NUL character.', { field: 'store' });
  let file = resolve(path);
  try {
    if (statSync(file).isDirectory()) file = join(file, 'lathe.db');
  } catch {
    // Does not exist yet: it will be created.
  }
  return { kind: 'sqlite', location: file };
}

/**
 * Opens the tracking store at `url` (see the module docs for the forms), creating and migrating
 * it when new. Close it with `store.close()` when done.
 */
export async function openStore(url?: string | null, options: OpenStoreOptions = {}): Promise<Store> {
  const target = resolveStoreTarget(url);
  const staleAfterMs = options.staleAfterMs ?? envStaleAfter() ?? DEFAULT_STALE_AFTER_MS;
  if (!(staleAfterMs > 0)) {
    throw new ValidationError(`staleAfterMs must be > 0; got ${staleAfterMs}.`, { field: 'staleAfterMs' });
  }
  const artifactRoot =
    options.artifacts ??
    nonEmpty(process.env.LATHE_ARTIFACTS) ??
    (target.kind === 'sqlite'
      ? join(dirname(realFile(target.location)), 'artifacts')
      : resolve('.lathe', 'artifacts'));
  const artifacts = new ArtifactStore(artifactRoot);
  const location = target.kind === 'sqlite' ? target.location : redactUrl(target.location);
  // Reading never creates nor changes: a missing or empty file, or a database without Lathe's
  // tables (checked read-only), is no store (SQLite would turn an empty file into one).
  if (
    target.kind === 'sqlite' &&
    options.create === false &&
    !(hasContent(target.location) && (await sqliteHoldsStore(target.location, options.sqlite?.busyTimeoutMs)))
  ) {
    throw noStoreYet(location);
  }
  const driver =
    target.kind === 'sqlite'
      ? await openSqliteDriver(target.location, options.sqlite)
      : await openPostgresDriver(target.location, options.postgres);
  // Nor a PostgreSQL schema without Lathe's tables (not even the schema is created).
  if (target.kind === 'postgres' && options.create === false && !(await isTrackingStore(driver))) {
    await driver.close().catch(() => {});
    throw noStoreYet(location);
  }
  let applied: number[];
  try {
    applied = await migrate(driver);
  } catch (e) {
    await driver.close().catch(() => {});
    throw e;
  }
  await artifacts.cleanTemp().catch(() => 0);
  return new SqlStore(driver, location, artifacts, applied, staleAfterMs);
}

/**
 * `file` with its symbolic link resolved, when it is one (as is otherwise, or when it does not
 * exist yet). A store reached through a link keeps its artifacts next to the real file, so every
 * path to one store finds the same artifacts (SQLite itself resolves the link for the database
 * and its -wal file).
 */
function realFile(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? realpathSync(file) : file;
  } catch {
    return file;
  }
}

function noStoreYet(location: string): DataError {
  return new DataError('there is no tracking store here yet.', {
    file: location,
    fix: 'track a run first (e.g. lathe train …), or point --store / LATHE_STORE at an existing store',
  });
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function envStaleAfter(): number | undefined {
  const v = nonEmpty(process.env.LATHE_HEARTBEAT_TIMEOUT);
  if (v === undefined) return undefined;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) {
    throw new ValidationError(
      `LATHE_HEARTBEAT_TIMEOUT must be a number of seconds > 0; got ${JSON.stringify(v)}.`,
      {
        field: 'LATHE_HEARTBEAT_TIMEOUT',
      },
    );
  }
  return s * 1000;
}
