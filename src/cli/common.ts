/**
 * What every command shares: the common flags (`--json`, `--seed`, `--store`, `--quiet`), output
 * (one JSON document on stdout with `--json`, text otherwise; messages on stderr) and the mapping
 * of errors to exit codes (0 ok, 2 bad usage or bad data, 1 internal error).
 *
 * @module
 */

import type { Command } from 'commander';
import { isUserError } from '../core/errors.ts';
import { terminalSafe } from './terminal.ts';
import { installCliWarnings } from './warnings.ts';

/** The flags every command accepts. */
export interface CommonOptions {
  json?: boolean;
  seed?: number;
  store?: string;
  quiet?: boolean;
}

/** Adds the common flags to a command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout (see docs/cli-json.md)')
    .option('--seed <n>', 'random seed (default 0)', parseSeed)
    .option(
      '--store <url>',
      'tracking store: a SQLite path or postgres:// URL (default ./.lathe/lathe.db, or LATHE_STORE)',
    )
    .option('--quiet', 'no progress bars, notes or warnings on stderr')
    .hook('preAction', (_cmd, actionCommand) => {
      // Warnings (convergence, rare classes in --cv folds, …) are notes too: --quiet silences them.
      // Those of worker threads come back to this thread's handler: each is printed once.
      installCliWarnings(Boolean(actionCommand.opts().quiet));
    });
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--seed must be a non-negative integer; got '${v}'.`);
  }
  return n;
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses an integer flag value in [min, max] (positive by default), naming the flag in the error. */
export function intFlag(flag: string, min = 1, max = Number.POSITIVE_INFINITY): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`${flag} must be an integer ${range}; got '${v}'.`);
    }
    return n;
  };
}

/** Parses a number flag value within [min, max]. */
export function numberFlag(flag: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be a number in [${min}, ${max}]; got '${v}'.`);
    }
    return n;
  };
}

/** Parses a duration: `90` or `90s` (seconds), `5m`, `1h`, `1m30s`. Returns seconds. */
export function parseDuration(flag: string, v: string): number {
  const s = v.trim();
  const zero = () => new UsageError(`${flag} must be longer than zero, e.g. 90s; got '${v}'.`);
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (n > 0) return n;
    throw zero();
  }
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
    consumed += m[0].length;
  }
  if (consumed !== s.length || s === '') {
    throw new UsageError(`${flag} must be a duration such as 90s, 5m, 1h or 1m30s; got '${v}'.`);
  }
  if (!(total > 0)) throw zero();
  return total;
}

/** Parses a flag that must be one of `choices`. */
export function choiceFlag<T extends string>(flag: string, choices: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!choices.includes(v as T))
      throw new UsageError(`${flag} must be one of ${choices.join(', ')}; got '${v}'.`);
    return v as T;
  };
}

/** Parses a JSON flag value (e.g. `--params '{"maxIter":100}'`). */
export function jsonFlag(flag: string): (v: string) => Record<string, unknown> {
  return (v: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch (e) {
      throw new UsageError(
        `${flag} is not valid JSON (${(e as Error).message}): ${v}. Fix: write a JSON object with double-quoted names and strings, e.g. ${flag} '{"maxIter":100,"loss":"log_loss"}' — in a shell, single quotes around it keep the double quotes.`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`${flag} must be a JSON object such as '{"maxIter":100}'; got ${v}.`);
    }
    return parsed as Record<string, unknown>;
  };
}

/**
 * Writes the result: `json` as one document with `--json`, else `text` (a string or lines),
 * through {@link terminalSafe}.
 */
export function output(opts: CommonOptions, json: unknown, text: string | (() => string)): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else {
    const t = terminalSafe(typeof text === 'function' ? text() : text);
    process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
  }
}

/** A note for the user on stderr (silenced by `--quiet`), through {@link terminalSafe}. */
export function note(opts: CommonOptions, message: string): void {
  if (!opts.quiet) process.stderr.write(`${terminalSafe(message)}\n`);
}

/**
 * Wraps a command's action: awaits it and turns errors into the exit-code contract. A user error
 * prints its one-paragraph message; anything else is reported as an internal error with the stack
 * only when `LATHE_DEBUG=1`.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportError(e);
    }
  };
}

/** Prints an error the way the CLI contract says and sets the exit code. */
export function reportError(e: unknown): void {
  if (isUserError(e) || e instanceof UsageError) {
    process.stderr.write(`error: ${terminalSafe((e as Error).message)}\n`);
    process.exitCode = 2;
    return;
  }
  const err = e as Error;
  process.stderr.write(
    `internal error: ${terminalSafe(err?.message ?? String(e))}\n${process.env.LATHE_DEBUG === '1' ? `${err?.stack}\n` : 'Set LATHE_DEBUG=1 for the stack trace, and please report it.\n'}`,
  );
  process.exitCode = 1;
}

/** A score in text output: `n/a` when undefined, one decimal from 1000 up, else 4 significant digits. */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4);
}

/** A fitted estimator's parameters as a tracked run's params: `model.<name>`, objects as JSON. */
export function modelRunParams(
  params: Record<string, unknown>,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(params)) {
    out[`model.${k}`] =
      v === null || ['string', 'number', 'boolean'].includes(typeof v)
        ? (v as string | number | boolean | null)
        : JSON.stringify(v);
  }
  return out;
}

/** Lathe's version, from its package.json. */
export async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
