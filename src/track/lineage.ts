/**
 * Lineage: what a run needs to be reproduced — the code version (git commit, and whether the
 * working tree had uncommitted changes), the SHA-256 of `package-lock.json`, the Node.js version,
 * the operating system and CPU, the seed, the command line, and the Lathe version. The data
 * fingerprints come from the datasets logged to the run ({@link TrackedRun.logDataset}).
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** What a run records about where it ran. */
export interface RunLineage {
  /** `git rev-parse HEAD` in the working directory, or null outside a git repository. */
  gitCommit: string | null;
  /** True when tracked files had uncommitted changes; null outside a git repository. */
  gitDirty: boolean | null;
  /** SHA-256 of the nearest `package-lock.json` (working directory or above), or null. */
  packageLockSha256: string | null;
  /** `process.version`, e.g. "v20.11.1". */
  node: string;
  /** The Lathe version that ran. */
  lathe: string;
  /** `os.platform()`, `os.release()`, `os.arch()`. */
  os: { platform: string; release: string; arch: string };
  /** CPU model and logical core count. */
  cpu: { model: string; cores: number };
  /** The random seed of the run, when one was given. */
  seed: number | null;
  /** The command line (`process.argv` after the Node binary). */
  argv: string[];
  /** The working directory. */
  cwd: string;
}

/** Options for {@link captureLineage}. */
export interface LineageOptions {
  /** Where to look for git and package-lock.json (default `process.cwd()`). */
  cwd?: string;
  /** The run's seed. */
  seed?: number | null;
}

let latheVersionCache: string | undefined;

/** The version in Lathe's package.json. */
export function latheVersion(): string {
  if (latheVersionCache === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      latheVersionCache = pkg.version ?? 'unknown';
    } catch {
      latheVersionCache = 'unknown';
    }
  }
  return latheVersionCache;
}

/** Captures the lineage of the current process. Never throws: unknown facts are null. */
export function captureLineage(options: LineageOptions = {}): RunLineage {
  const cwd = resolve(options.cwd ?? process.cwd());
  const commit = git(['rev-parse', 'HEAD'], cwd);
  const gitCommit = commit && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null;
  const status = gitCommit ? git(['status', '--porcelain', '--untracked-files=no'], cwd) : null;
  const cpuList = cpus();
  return {
    gitCommit,
    gitDirty: gitCommit ? status !== null && status.length > 0 : null,
    packageLockSha256: packageLockHash(cwd),
    node: process.version,
    lathe: latheVersion(),
    os: { platform: platform(), release: release(), arch: arch() },
    cpu: { model: cpuList[0]?.model?.trim() ?? 'unknown', cores: cpuList.length },
    seed: options.seed ?? null,
    argv: process.argv.slice(1),
    cwd,
  };
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch {
    return null;
  }
}

function packageLockHash(start: string): string | null {
  let dir = start;
  for (let i = 0; i < 32; i++) {
    try {
      return createHash('sha256')
        .update(readFileSync(join(dir, 'package-lock.json')))
        .digest('hex');
    } catch {
      const up = dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
  return null;
}
