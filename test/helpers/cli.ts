// Runs the `lathe` CLI from the TypeScript sources in a child process, as a user would.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The `lathe` executable (bin/lathe.js). */
export const BIN = fileURLToPath(new URL('../../bin/lathe.js', import.meta.url));

/** The Node flags of bin/lathe.js's `#!/usr/bin/env -S node …` line, for running it as `node … BIN`. */
export const NODE_FLAGS: readonly string[] = (() => {
  const first = readFileSync(BIN, 'utf8').split('\n', 1)[0];
  const m = /^#!.*\bnode((?:\s+--?[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
})();

/** What a CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lathe <args>`; resolves when it exits (never rejects on a non-zero exit). */
export function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    input?: string;
    timeoutMs?: number;
    /** Run as this user and group id (needs root; for tests of permissions that root bypasses). */
    uid?: number;
    gid?: number;
    /** The file-size limit (`ulimit -f`, in 512-byte blocks) to run under, through /bin/sh. */
    fileSizeBlocks?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, ...NODE_FLAGS, BIN, ...args];
    const [exe, ...argv] =
      options.fileSizeBlocks === undefined
        ? command
        : ['/bin/sh', '-c', `ulimit -f ${options.fileSizeBlocks} && exec "$@"`, 'sh', ...command];
    const child = spawn(exe, argv, {
      cwd: options.cwd,
      // `npm test` builds dist/ first and sets LATHE_CLI_FROM_DIST=1: the CLI then starts from the
      // compiled JavaScript (what users run, and ~2 s faster per start than through tsx).
      env: { ...process.env, LATHE_DEV: process.env.LATHE_CLI_FROM_DIST === '1' ? '0' : '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The repository root (for paths to examples/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `lathe train examples/customers.csv --target churned --model logistic --out <out> --register churn
 * --store <store> [extra…]` in `cwd` (the model several command tests serve, monitor, score or
 * retrain); fails the test on a non-zero exit.
 */
export async function trainExampleChurn(
  cwd: string,
  out: string,
  store: string,
  extra: readonly string[] = [],
): Promise<void> {
  const customers = fileURLToPath(new URL('../../examples/customers.csv', import.meta.url));
  const r = await runCli(
    [
      'train',
      customers,
      '--target',
      'churned',
      '--model',
      'logistic',
      '--out',
      out,
      '--register',
      'churn',
      '--store',
      store,
      '--quiet',
      ...extra,
    ],
    { cwd },
  );
  if (r.code !== 0) throw new Error(`lathe train exited ${r.code}: ${r.stderr}`);
}

/** A long-running `lathe` command (serve, worker) started by {@link startCli}. */
export interface RunningCli<T> {
  child: ChildProcess;
  /** The JSON document it printed on stdout once ready (`--json`). */
  info: T;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `lathe <args>` (which must include `--json`) and resolves once it has printed its JSON
 * document on stdout — a server listening, a worker taking jobs; rejects if it exits first.
 */
export function startCli<T>(args: string[], cwd: string): Promise<RunningCli<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, BIN, ...args], {
      cwd,
      env: { ...process.env, LATHE_DEV: process.env.LATHE_CLI_FROM_DIST === '1' ? '0' : '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lathe ${args[0]} did not start: ${stderr}`));
    }, 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdout!.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      try {
        const info = JSON.parse(stdout) as T;
        clearTimeout(timer);
        resolve({ child, info, stderr: () => stderr, exited });
      } catch {
        // not the whole document yet
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`lathe ${args[0]} exited (${code}) before it was ready: ${stderr}`));
    });
  });
}
