/**
 * Temporary files and directories that writers create next to their destination (written there,
 * then renamed into place). Writers track them here while they exist; a program that wants them
 * gone when it is interrupted — the command line does — calls {@link removeTempPathsOnSignals}: on
 * SIGINT or SIGTERM every tracked path is removed and the process exits with the conventional
 * code (130 or 143).
 *
 * The signal handlers are installed only while something is tracked, so an interrupt during other
 * (possibly long, synchronous) work keeps the default behaviour: the process ends at once.
 *
 * @module
 */

import { chmodSync, lstatSync, realpathSync, rmSync, type Stats, statSync } from 'node:fs';
import { ValidationError } from './errors.ts';

const tracked = new Set<string>();
let enabled = false;
let installed = false;

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof SIGNALS;

function onSignal(signal: Signal): void {
  removeTrackedTempPaths();
  process.exit(SIGNALS[signal]);
}

const handlers: Record<Signal, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
};

function sync(): void {
  const want = enabled && tracked.size > 0;
  if (want === installed) return;
  for (const s of Object.keys(handlers) as Signal[]) {
    if (want) process.on(s, handlers[s]);
    else process.removeListener(s, handlers[s]);
  }
  installed = want;
}

/**
 * Tracks `path` (a temporary file or directory) until the returned function is called — after
 * the rename into place, or after removing it on failure.
 */
export function trackTempPath(path: string): () => void {
  tracked.add(path);
  sync();
  return () => {
    tracked.delete(path);
    sync();
  };
}

/** Removes every tracked temporary path now (synchronously) and stops tracking them. */
export function removeTrackedTempPaths(): void {
  for (const p of tracked) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: the process is ending
    }
  }
  tracked.clear();
  sync();
}

/** The paths tracked now (for tests). */
export function trackedTempPaths(): string[] {
  return [...tracked];
}

/**
 * From now on, SIGINT and SIGTERM while a temporary path is tracked remove every tracked path and
 * exit with 130 (SIGINT) or 143 (SIGTERM). For programs (the CLI), not for libraries embedding
 * Lathe, which keep their own signal handling.
 */
export function removeTempPathsOnSignals(): void {
  enabled = true;
  sync();
}

/**
 * The path a writer replaces to write `path`: the target of a symbolic link — so that the link
 * stays and its target gets the new content, as the shell's `>` does; a rename onto the link
 * itself would replace the link with a plain file and leave the target as it was — else `path`.
 * A link to nothing is returned as is (the caller refuses it or replaces it). Throws a
 * `ValidationError` when the target is a device, a pipe or a socket: the rename would replace it
 * (as root, `/dev/full` or `/dev/null` itself) with a plain file.
 */
export function writeTarget(path: string): string {
  let target = path;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch {
    return path; // missing, or a link to nothing
  }
  let st: Stats;
  try {
    st = statSync(target);
  } catch {
    return target;
  }
  if (!st.isFile() && !st.isDirectory()) {
    throw new ValidationError(
      `${path}${target === path ? '' : ` (${target})`} is not a regular file but a device, a pipe or a socket: writing a temporary file and renaming it into place would replace it.`,
      { field: 'path', fix: 'choose a path that is a regular file or does not exist yet' },
    );
  }
  return target;
}

/**
 * Gives the temporary file `tmp` the permission bits of the file `target` it is about to replace,
 * if there is one: a rename would otherwise swap a private (0600) file for one anyone may read.
 */
export function keepMode(tmp: string, target: string): void {
  let mode: number;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    return; // a new file: the default mode
  }
  chmodSync(tmp, mode);
}
