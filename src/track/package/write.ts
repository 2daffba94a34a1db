/**
 * Writing model packages: the directory form (`manifest.json` + `blobs/`) or the single-file
 * archive form (`model.lathe`, a ustar archive of the same files). Either is written under a
 * temporary name next to the destination and renamed into place when complete, so a crash never
 * leaves a half-written package under the real name.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { lstat, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, LatheError, ValidationError } from '../../core/errors.ts';
import type { EstimatorJSON } from '../../core/estimator.ts';
import { makeDirs } from '../../core/make-dirs.ts';
import { encodePlain, isTypedArray, type PlainObject, type PlainValue } from '../../core/plain.ts';
import { keepMode, trackTempPath, writeTarget } from '../../core/temp-files.ts';
import type { Schema } from '../../data/schema.ts';
import { sha256Hex } from '../artifacts.ts';
import { latheVersion } from '../lineage.ts';
import {
  BLOB_DIR,
  MANIFEST_FILE,
  MODEL_PACKAGE_FORMAT,
  MODEL_PACKAGE_VERSION,
  MODEL_TASKS,
  type ModelPackageManifest,
  type ModelTask,
  manifestChecksum,
  modelSchemaProblem,
} from './format.ts';
import { type TarEntry, writeTar } from './tar.ts';

/** Something that serialises to `EstimatorJSON` (any fitted estimator). */
export interface SerialisableEstimator {
  toJSON(): EstimatorJSON;
}

/** What goes into a model package. */
export interface ModelPackageInput {
  /** The fitted estimator or pipeline, or its `toJSON()` output. */
  model: EstimatorJSON | SerialisableEstimator;
  /** A separate fitted preprocessing step, if the model is not already a pipeline. */
  preprocessing?: EstimatorJSON | SerialisableEstimator | null;
  task: ModelTask;
  /** The target column (supervised models). */
  target?: string | null;
  /** The columns the model takes (from the data's Schema). */
  inputSchema: Schema;
  /** The columns it produces. */
  outputSchema: Schema;
  /** Evaluation metrics, e.g. `{ accuracy: 0.93 }`. */
  metrics?: Record<string, number>;
  /** Where it came from: run id, data fingerprint, git commit, … (plain data). */
  lineage?: PlainObject | null;
  name?: string | null;
  description?: string | null;
  /** Anything else as plain data (typed arrays become blobs), e.g. a reference profile. */
  extra?: PlainValue | null;
}

/** How to write a package. */
export interface WriteModelPackageOptions {
  /** `directory` or `archive`; default: `archive` when the path ends in `.lathe` or `.tar`. */
  form?: 'directory' | 'archive';
  /** Replace an existing package at the path (default false: an existing path is an error). */
  overwrite?: boolean;
  /** The creation time to record (default now); fixes the archive's bytes for tests. */
  createdAt?: Date;
}

/** A package as built in memory: its manifest and its files, in archive order. */
export interface BuiltModelPackage {
  manifest: ModelPackageManifest;
  /** `manifest.json` first, then `blobs/<sha256>` by name. */
  files: TarEntry[];
}

/** What {@link writeModelPackage} wrote. */
export interface WrittenModelPackage {
  /** Absolute path of the package. */
  path: string;
  form: 'directory' | 'archive';
  manifest: ModelPackageManifest;
  /** Total bytes written. */
  bytes: number;
}

/** Builds the manifest and files of a package without touching the disk. */
export function buildModelPackage(input: ModelPackageInput, createdAt: Date = new Date()): BuiltModelPackage {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('writeModelPackage: the input must be an object with model, task and schemas.');
  }
  const model = estimatorJson(input.model, 'model');
  const preprocessing =
    input.preprocessing == null ? null : estimatorJson(input.preprocessing, 'preprocessing');
  if (!MODEL_TASKS.includes(input.task)) {
    throw new ValidationError(
      `Model package task must be one of ${MODEL_TASKS.join(', ')}; got ${JSON.stringify(input.task)}.`,
      {
        field: 'task',
      },
    );
  }
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    const problem = modelSchemaProblem(input[key], key);
    if (problem) {
      throw new ValidationError(`Model package: ${problem}.`, {
        field: key,
        fix: 'pass the Schema of the training data (input) and of the predictions (output)',
      });
    }
  }
  const metrics = input.metrics ?? {};
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number') {
      throw new ValidationError(`Model package metric '${k}' must be a number; got ${typeof v}.`, {
        field: 'metrics',
      });
    }
  }
  for (const key of ['target', 'name', 'description'] as const) {
    const v = input[key];
    if (v != null && typeof v !== 'string') {
      throw new ValidationError(`Model package ${key} must be a string or null; got ${typeof v}.`, {
        field: key,
      });
    }
  }

  const blobs = new Map<string, Uint8Array>();
  const sink = (bytes: Uint8Array): string => {
    const sha = sha256Hex(bytes);
    if (!blobs.has(sha)) blobs.set(sha, Uint8Array.from(bytes));
    return sha;
  };
  const encode = (v: unknown, what: string): unknown => {
    const problem = plainProblem(v, what);
    if (problem) {
      throw new ValidationError(`Model package ${problem}.`, {
        field: what,
        fix: 'use numbers, strings, booleans, null, arrays, plain objects and typed arrays only',
      });
    }
    try {
      return encodePlain(v as PlainValue, sink);
    } catch (e) {
      throw new ValidationError(`Model package ${what} is not plain data: ${(e as Error).message}`, {
        field: what,
        fix: 'use numbers, strings, booleans, null, arrays, plain objects and typed arrays only',
      });
    }
  };
  const body: Omit<ModelPackageManifest, 'checksum'> = {
    format: MODEL_PACKAGE_FORMAT,
    formatVersion: MODEL_PACKAGE_VERSION,
    createdAt: createdAt.toISOString(),
    createdBy: { lathe: latheVersion(), node: process.version },
    name: input.name ?? null,
    description: input.description ?? null,
    task: input.task,
    target: input.target ?? null,
    model: encode(model, 'model'),
    preprocessing: preprocessing === null ? null : encode(preprocessing, 'preprocessing'),
    inputSchema: input.inputSchema,
    outputSchema: input.outputSchema,
    metrics: encode(metrics, 'metrics') as Record<string, unknown>,
    lineage: input.lineage == null ? null : (encode(input.lineage, 'lineage') as Record<string, unknown>),
    extra: input.extra == null ? null : encode(input.extra, 'extra'),
    blobs: {},
  };
  const sorted = [...blobs.keys()].sort();
  for (const sha of sorted) body.blobs[sha] = { size: blobs.get(sha)!.byteLength };
  const manifest: ModelPackageManifest = {
    ...body,
    checksum: { algorithm: 'sha256', value: manifestChecksum(body) },
  };
  const files: TarEntry[] = [
    { name: MANIFEST_FILE, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...sorted.map((sha) => ({ name: `${BLOB_DIR}/${sha}`, data: blobs.get(sha)! })),
  ];
  return { manifest, files };
}

/**
 * Writes a model package to `path`: a directory, or with `form: 'archive'` (the default for a
 * path ending in `.lathe` or `.tar`) a single ustar file. Refuses to replace an existing path
 * unless `overwrite` is set; the replacement is atomic either way.
 */
export async function writeModelPackage(
  path: string,
  input: ModelPackageInput,
  options: WriteModelPackageOptions = {},
): Promise<WrittenModelPackage> {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new ValidationError('writeModelPackage: the destination must be a non-empty path.', {
      field: 'path',
    });
  }
  const dest = writeTarget(resolve(path)); // a symbolic link stays: its target is written
  const form = options.form ?? (/\.(lathe|tar)$/i.test(dest) ? 'archive' : 'directory');
  const built = buildModelPackage(input, options.createdAt);
  const exists = await stat(dest).then(
    () => true,
    () => false,
  );
  // A symbolic link to nothing: stat says "absent", but the final rename would fail (ENOTDIR) or
  // replace the link; say what is there instead.
  if (
    !exists &&
    (await lstat(dest).then(
      (st) => st.isSymbolicLink(),
      () => false,
    ))
  ) {
    throw new ValidationError(`${dest} is a symbolic link to a missing target.`, {
      field: 'path',
      fix: 'remove the link, make its target, or choose another path',
    });
  }
  if (exists && !options.overwrite) {
    throw new ValidationError(`${dest} already exists.`, {
      field: 'path',
      fix: 'choose another path, remove it, or pass overwrite: true (--force on the command line)',
    });
  }
  await makeDirs(dirname(dest)).catch((e) => {
    throw cannotWrite(dest, e);
  });
  const tmp = join(dirname(dest), `.${basename(dest)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const release = trackTempPath(tmp);
  let bytes = 0;
  try {
    if (form === 'archive') {
      const tar = archiveOf(built);
      await writeFileSynced(tmp, tar);
      bytes = tar.byteLength;
      keepMode(tmp, dest);
      await rename(tmp, dest); // atomic replace of a file
    } else {
      await makeDirs(join(tmp, BLOB_DIR));
      for (const f of built.files) {
        await writeFileSynced(join(tmp, f.name), f.data);
        bytes += f.data.byteLength;
      }
      if (exists) {
        const old = join(
          dirname(dest),
          `.${basename(dest)}.old-${process.pid}-${randomBytes(4).toString('hex')}`,
        );
        // The swap is synchronous: an interrupt cannot land between the two renames.
        renameSync(dest, old);
        renameSync(tmp, dest);
        const releaseOld = trackTempPath(old);
        await rm(old, { recursive: true, force: true }).finally(releaseOld);
      } else {
        await rename(tmp, dest);
      }
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw cannotWrite(dest, e);
  } finally {
    release();
  }
  return { path: dest, form, manifest: built.manifest, bytes };
}

/**
 * A file-system failure while writing the package (a read-only folder, a full disk, a path through
 * a file) as a `DataError` naming the destination; Lathe's own errors pass through unchanged.
 */
function cannotWrite(dest: string, e: unknown): unknown {
  if (e instanceof LatheError || typeof (e as NodeJS.ErrnoException)?.code !== 'string') return e;
  return new DataError(`cannot write the model package: ${(e as Error).message.split('\n')[0]}`, {
    file: dest,
    fix: 'check that the folder is writable and the disk has room, or choose another path (--out)',
    cause: e,
  });
}

/** The archive bytes of a built package (modification time: its creation time). */
export function archiveOf(built: BuiltModelPackage): Buffer {
  return writeTar(built.files, Date.parse(built.manifest.createdAt) / 1000);
}

async function writeFileSynced(path: string, data: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Where `v` stops being plain data (a Map, a Date, a class instance, a function, …), or undefined. */
function plainProblem(v: unknown, path: string): string | undefined {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string')
    return undefined;
  if (isTypedArray(v)) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = plainProblem(v[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${(v as object).constructor?.name ?? 'non-plain object'}, which is not plain data`;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      const p = plainProblem(x, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${path} is a ${typeof v}, which is not plain data`;
}

function estimatorJson(v: EstimatorJSON | SerialisableEstimator, field: string): EstimatorJSON {
  const json =
    typeof (v as SerialisableEstimator)?.toJSON === 'function'
      ? (v as SerialisableEstimator).toJSON()
      : (v as EstimatorJSON);
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.type !== 'string' ||
    !Number.isInteger(json.version) ||
    typeof json.params !== 'object' ||
    json.params === null ||
    (json.state !== null && typeof json.state !== 'object')
  ) {
    throw new ValidationError(`Model package ${field} is not a serialised estimator.`, {
      field,
      fix: 'pass a fitted estimator or its toJSON() output ({ type, version, params, state })',
    });
  }
  if (json.state === null) {
    throw new ValidationError(`Model package ${field} (${json.type}) is not fitted.`, {
      field,
      fix: 'fit it before packaging',
    });
  }
  return json;
}
