// Shared helpers for the tracking tests: fresh SQLite and PostgreSQL stores, child processes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Schema } from '../../src/data/schema.ts';
import { type OpenStoreOptions, openStore } from '../../src/track/open.ts';
import type { Store } from '../../src/track/store.ts';

/** The PostgreSQL URL for the PostgreSQL variants, or undefined (they are then skipped). */
export const PG_URL = process.env.LATHE_TEST_PG || undefined;

/** The skip note printed by node:test when PostgreSQL is not configured. */
export const PG_SKIP = PG_URL
  ? false
  : 'LATHE_TEST_PG is unset: start PostgreSQL and set LATHE_TEST_PG=postgres://… to run the PostgreSQL variant';

/** A fresh, empty store location: the URL to open, its artifact folder, and a cleanup. */
export interface StoreTarget {
  kind: 'sqlite' | 'postgres';
  url: string;
  artifacts: string;
  dir: string;
  open(options?: OpenStoreOptions): Promise<Store>;
  cleanup(): Promise<void>;
}

/** A fresh SQLite store in a temporary folder. */
export function sqliteTarget(): StoreTarget {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-track-'));
  const url = join(dir, 'store', 'lathe.db');
  const artifacts = join(dir, 'store', 'artifacts');
  return {
    kind: 'sqlite',
    url,
    artifacts,
    dir,
    open: (options = {}) => openStore(url, { artifacts, ...options }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL schema in LATHE_TEST_PG (dropped by `cleanup`). */
export function postgresTarget(): StoreTarget {
  if (!PG_URL) throw new Error('LATHE_TEST_PG is unset');
  const dir = mkdtempSync(join(tmpdir(), 'lathe-track-pg-'));
  const schema = `lathe_t_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const artifacts = join(dir, 'artifacts');
  return {
    kind: 'postgres',
    url,
    artifacts,
    dir,
    open: (options = {}) => openStore(url, { artifacts, ...options }),
    cleanup: async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Both adapters, each with its skip reason (false = run). */
export const ADAPTERS: { kind: 'sqlite' | 'postgres'; skip: string | false; target: () => StoreTarget }[] = [
  { kind: 'sqlite', skip: false, target: sqliteTarget },
  { kind: 'postgres', skip: PG_SKIP, target: postgresTarget },
];

/** A one-column input schema and a prediction output schema. */
export const INPUT_SCHEMA: Schema = {
  version: 1,
  columns: [
    { name: 'x0', type: 'numeric', storage: 'numeric', nullable: false, min: -3, max: 3 },
    { name: 'x1', type: 'numeric', storage: 'numeric', nullable: true },
  ],
};

/** The output schema of a regressor. */
export const OUTPUT_SCHEMA: Schema = {
  version: 1,
  columns: [{ name: 'prediction', type: 'numeric', storage: 'numeric', nullable: false }],
};

/** The path of a fixture script. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A child process running a TypeScript fixture through tsx; collects its output. */
export interface Child {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name) when it ends. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a line of stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

const bundles = new Map<string, Promise<string[]>>();

/**
 * The Node arguments that run a fixture. Fixtures are bundled once per test process with esbuild
 * (which tsx ships with) into plain JavaScript, so each child starts in ~0.2 s of CPU instead of
 * ~1 s under tsx — the concurrency tests start dozens of them on a 2-core machine. Falls back to
 * `--import tsx` if esbuild cannot be loaded.
 */
export function fixtureArgs(name: string): Promise<string[]> {
  let p = bundles.get(name);
  if (!p) {
    p = (async () => {
      try {
        const esbuild = await import('esbuild');
        const dir = fileURLToPath(
          new URL('../../node_modules/.cache/lathe-track-fixtures/', import.meta.url),
        );
        mkdirSync(dir, { recursive: true });
        const outfile = join(dir, `${name.replace(/\.ts$/, '')}-${process.pid}.mjs`);
        await esbuild.build({
          entryPoints: [fixture(name)],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          packages: 'external',
          logLevel: 'silent',
        });
        process.once('exit', () => rmSync(outfile, { force: true }));
        return [outfile];
      } catch {
        return ['--import', 'tsx', fixture(name)];
      }
    })();
    bundles.set(name, p);
  }
  return p;
}

/** Starts a fixture (see {@link fixtureArgs}) with `args`. */
export async function startFixture(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Child> {
  const child = spawn(process.execPath, [...(await fixtureArgs(name)), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    done,
    waitFor(pattern, timeoutMs = 30_000) {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern} from ${name}; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} exited before printing ${pattern}; stderr: ${err}`));
        });
      });
    },
    kill: (signal = 'SIGKILL') => child.kill(signal),
  };
}

/**
 * Starts `n` copies of a fixture that use the start barrier (`fixtures/barrier.ts`), waits until
 * all are ready, releases them at once and waits for them to exit. Fails on a non-zero exit,
 * showing that child's stderr.
 */
export async function runTogether(
  name: string,
  n: number,
  args: (goFile: string, i: number) => string[],
): Promise<Child[]> {
  const goDir = mkdtempSync(join(tmpdir(), 'lathe-go-'));
  const goFile = join(goDir, 'go');
  const children = await Promise.all(
    Array.from({ length: n }, (_, i) => startFixture(name, args(goFile, i))),
  );
  try {
    await Promise.all(children.map((c) => c.waitFor(/^ready$/, 60_000)));
    writeFileSync(goFile, 'go');
    const ends = await Promise.all(children.map((c) => c.done));
    ends.forEach((e, i) => {
      if (e.code !== 0)
        throw new Error(`${name} #${i} exited with ${e.code ?? e.signal}: ${children[i].stderr()}`);
    });
    return children;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    rmSync(goDir, { recursive: true, force: true });
  }
}
