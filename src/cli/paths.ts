/**
 * Guards for the files a command writes: an output must never be one of the command's inputs
 * (`lathe predict m data.csv -o data.csv` would replace the data with its predictions). Paths are
 * compared as the files they name — through symlinks, `./` and `..` variants, and hard links (same
 * device and inode) — and an output directory that would be replaced must not hold an input.
 *
 * @module
 */

import { accessSync, constants, existsSync, lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../core/errors.ts';
import { defaultRejectsPath } from '../data/read/bad-rows.ts';
import { DEFAULT_STORE_PATH, resolveStoreTarget } from '../track/open.ts';
import { UsageError } from './common.ts';

/** A path a command reads or writes, and how to name it in a message (`-o`, `the data file`). */
export interface NamedPath {
  path: string;
  /** E.g. `-o`, `--out`, `the data file`, `the model`. */
  what: string;
  /** An output directory that is replaced as a whole (a model package). */
  replacesDirectory?: boolean;
  /** An input that is a directory even before it exists (the tracking store's folder). */
  directory?: boolean;
}

/**
 * The real path `path` stands for: symlinks resolved for the part that exists, the rest appended
 * (an output usually does not exist yet).
 */
export function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return join(realPath(parent), basename(abs));
  }
}

function sameFile(a: string, b: string): boolean {
  if (realPath(a) === realPath(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

function inside(child: string, dir: string): boolean {
  const rel = relative(realPath(dir), realPath(child));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Refuses (exit code 2) an output of one kind (an ONNX file, an HTML report) named with another
 * extension than `extension`, so that it is not taken for, or written over, a file of another kind
 * (`-o scores.csv`). `subject` is what precedes "must be named" in the message; `stem` the name
 * suggested when the path has none.
 */
export function checkOutputExtension(
  flag: string,
  path: string,
  subject: string,
  extension: string,
  stem: string,
  alsoAllowed: readonly string[] = [],
): void {
  const ext = extname(path);
  const lower = ext.toLowerCase();
  if (lower === extension || alsoAllowed.includes(lower)) return;
  throw new UsageError(
    `${flag} ${path}: ${subject} must be named *${extension} (${ext ? `not ${ext}` : 'the name has no extension'}), so that it is not taken for, or written over, a file of another kind. Use e.g. ${flag} ${basename(path, ext) || stem}${extension}.`,
  );
}

/**
 * Refuses (exit code 2) when an output is an input, is inside an input directory (a model
 * package), holds an input (for an output directory replaced as a whole), or is another output.
 * Call it before any work, so that nothing is read, computed or written in vain.
 */
export function checkOutputs(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const outs = outputs.filter((o) => o.path);
  for (const o of outs) checkParentIsDirectory(o);
  for (const o of outs) if (!o.replacesDirectory) checkFileOutput(o);
  for (const o of outs) {
    for (const i of inputs) {
      if (!i.path) continue;
      if (sameFile(o.path, i.path)) {
        throw new ValidationError(
          `${o.what} ${o.path} is the same file as ${i.what} ${i.path}: writing it would replace the input.`,
          { field: o.what, fix: `choose another path for ${o.what}` },
        );
      }
      if ((i.directory || isDirectory(i.path)) && inside(o.path, i.path)) {
        throw new ValidationError(
          `${o.what} ${o.path} is inside ${i.what} ${i.path}: writing it would change the input.`,
          { field: o.what, fix: `choose a path for ${o.what} outside ${i.path}` },
        );
      }
      if (o.replacesDirectory && inside(i.path, o.path)) {
        throw new ValidationError(
          `${o.what} ${o.path} holds ${i.what} ${i.path}: replacing it would delete the input.`,
          { field: o.what, fix: `choose another path for ${o.what}` },
        );
      }
    }
  }
  for (let a = 0; a < outs.length; a++) {
    for (let b = a + 1; b < outs.length; b++) {
      if (sameFile(outs[a].path, outs[b].path)) {
        throw new ValidationError(
          `${outs[a].what} and ${outs[b].what} are the same file (${outs[a].path}): one would overwrite the other.`,
          { field: outs[b].what, fix: 'give them different paths' },
        );
      }
    }
  }
}

/**
 * Refuses an output whose folder path runs through a file (`--out notes.txt/model`): no folder can
 * be made there, and the write would otherwise fail only at the end of the work, with the system's
 * `EEXIST`/`ENOTDIR`. Missing folders are fine (they are created).
 */
function checkParentIsDirectory(o: NamedPath): void {
  let dir = dirname(resolve(o.path));
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = undefined; // missing (or unreadable): look further up
    }
    if (isDir === true) return;
    if (isDir === false) {
      throw new ValidationError(
        `${o.what} ${o.path}: ${dir} is a file, not a folder, so nothing can be written under it.`,
        {
          field: o.what,
          fix: `choose a path for ${o.what} whose folders are folders (or that do not exist yet)`,
        },
      );
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * Refuses, before any work, a file output that cannot be replaced: a symbolic link to nothing, a
 * folder, a device, pipe or socket (the rename would replace the node itself), or a file without
 * write permission (it would otherwise be replaced by the rename of a
 * new file — the permission of the folder allows that — against what its mode says).
 */
function checkFileOutput(o: NamedPath): void {
  let st: Stats;
  try {
    st = lstatSync(o.path);
  } catch {
    return; // a new file
  }
  if (st.isSymbolicLink()) {
    try {
      st = statSync(o.path);
    } catch {
      throw new ValidationError(`${o.what} ${o.path} is a symbolic link to a missing target.`, {
        field: o.what,
        fix: 'remove the link, make its target, or choose another path',
      });
    }
  }
  if (st.isDirectory()) {
    throw new ValidationError(`${o.what} ${o.path} is a folder, not a file.`, {
      field: o.what,
      fix: `give ${o.what} the path of a file (one inside this folder, say)`,
    });
  }
  if (!st.isFile()) {
    throw new ValidationError(
      `${o.what} ${o.path} is not a regular file but a device, a pipe or a socket: Lathe writes a temporary file and renames it into place, which would replace it.`,
      { field: o.what, fix: `choose a regular file (or a new path) for ${o.what}` },
    );
  }
  try {
    accessSync(o.path, constants.W_OK);
  } catch {
    throw new ValidationError(`${o.what} ${o.path} is read-only: this user may not write it.`, {
      field: o.what,
      fix: `make it writable (chmod u+w ${o.path}) or choose another path for ${o.what}`,
    });
  }
}

/** The rejects file a read with `--on-bad-rows quarantine` writes (none otherwise). */
export function rejectsOutput(data: string, policy: string | undefined, rejects?: string): NamedPath[] {
  if (policy !== 'quarantine') return [];
  return [{ path: rejects ?? defaultRejectsPath(data), what: rejects ? '--rejects' : 'the rejects file' }];
}

/** A model reference as an input path, when it names a file or directory (not `name@alias`). */
export function modelInput(ref: string): NamedPath[] {
  return existsSync(ref) ? [{ path: ref, what: 'the model' }] : [];
}

/**
 * The tracking store as inputs of a command: its database file (and SQLite's `-wal`, `-shm` and
 * `-journal` files beside it), its artifact folder (every registered package lives there, named by
 * its hash) and — when the store is a folder of its own (the default `./.lathe/`, or `--store DIR`)
 * — everything in that folder. An output there would corrupt the registry or the tracking database.
 * `store` is the `--store` flag (else `LATHE_STORE`, else the default).
 */
export function storeInputs(store?: string | null): NamedPath[] {
  let target: ReturnType<typeof resolveStoreTarget>;
  try {
    target = resolveStoreTarget(store);
  } catch {
    return []; // A malformed --store is reported by the command that opens it.
  }
  const out: NamedPath[] = [];
  const what = 'the tracking store';
  if (target.kind === 'sqlite') {
    const db = target.location;
    const given = store ?? (process.env.LATHE_STORE || DEFAULT_STORE_PATH);
    // A store named by its folder (or the default) owns the folder; a database file named directly
    // may sit in a folder with other files (e.g. the working directory), so only its files count.
    if (given === DEFAULT_STORE_PATH || isDirectory(given.replace(/^sqlite:(\/\/(?=\/))?/i, ''))) {
      out.push({ path: dirname(db), what, directory: true });
    }
    for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) out.push({ path: f, what });
  }
  const artifacts =
    process.env.LATHE_ARTIFACTS ||
    (target.kind === 'sqlite' ? join(dirname(target.location), 'artifacts') : resolve('.lathe', 'artifacts'));
  out.push({ path: artifacts, what: "the tracking store's artifact folder", directory: true });
  return out;
}

/** The package a registry reference resolved to (inside the artifact folder), as an input. */
export function storedModelInput(
  ref: string,
  resolved: { kind: string; path: string; name?: string; version?: number },
): NamedPath[] {
  if (resolved.kind !== 'registry') return [];
  return [
    { path: resolved.path, what: `the stored package of ${ref} (${resolved.name}/${resolved.version})` },
  ];
}
