/**
 * Creating a folder and its missing parents, without Node's `mkdir(…, { recursive: true })`.
 *
 * Node's recursive `mkdir` (20, 22) never returns when a parent exists but cannot hold the child:
 * a dangling symbolic link (`out -> /gone`, then `out/model`), a path under `/proc`, a stale mount.
 * There `mkdir(child)` fails with ENOENT ("no parent"), `mkdir(parent)` with EEXIST ("exists"),
 * and Node's loop goes back and forth between the two at 100% CPU — the synchronous form freezes
 * the process, the promise form never settles. These functions walk the same way but give up: a
 * parent that exists but is not a folder (a link to nothing) is named with EEXIST, and a child
 * that still cannot be made once its parent is there fails with ENOENT — so the caller's error
 * message (which names the path and how to fix it) is shown instead of a hang.
 *
 * @module
 */

import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The error code of a failed file-system call, if any. */
function codeOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/**
 * The error for a folder that still cannot be made after its parent was: the parent is there but
 * cannot hold folders (a dangling symbolic link, a path under /proc, a stale mount).
 */
function parentCannotHold(dir: string, cause: unknown): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(
    `ENOENT: cannot create '${dir}': its parent folder '${dirname(dir)}' exists but cannot hold folders (a dangling symbolic link, a path under /proc or a stale mount?)`,
    { cause },
  );
  e.code = 'ENOENT';
  e.path = dir;
  e.syscall = 'mkdir';
  return e;
}

/** The error for a path that exists but is not a folder (a file, or a link to nothing). */
function notAFolder(path: string, cause: unknown): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(
    `EEXIST: cannot create the folder '${path}': something that is not a folder is there (a file, or a symbolic link to a missing target)`,
    { cause },
  );
  e.code = 'EEXIST';
  e.path = path;
  e.syscall = 'mkdir';
  return e;
}

/**
 * Creates `dir` and any missing parents (as `mkdirSync(dir, { recursive: true })`, which it
 * replaces; see the module note). An existing folder is fine; an existing file, an unwritable
 * parent or a parent that cannot hold folders throws the file system's error (its `code` and
 * `path` set).
 */
export function makeDirsSync(dir: string): void {
  const path = resolve(dir);
  try {
    mkdirSync(path);
    return;
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST') {
      if (isDirectorySync(path)) return;
      throw notAFolder(path, e);
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw e;
  }
  makeDirsSync(dirname(path));
  try {
    mkdirSync(path);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST' && isDirectorySync(path)) return;
    if (code === 'ENOENT') throw parentCannotHold(path, e);
    throw e;
  }
}

/** {@link makeDirsSync}, without blocking the event loop. */
export async function makeDirs(dir: string): Promise<void> {
  const path = resolve(dir);
  try {
    await mkdir(path);
    return;
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST') {
      if (await isDirectory(path)) return;
      throw notAFolder(path, e);
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw e;
  }
  await makeDirs(dirname(path));
  try {
    await mkdir(path);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST' && (await isDirectory(path))) return;
    if (code === 'ENOENT') throw parentCannotHold(path, e);
    throw e;
  }
}

function isDirectorySync(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
