/**
 * Reading model packages, in either form, with every check before anything is returned: the
 * format name and version, the manifest's own checksum, each blob's size and SHA-256, the shape
 * of every field, and the plain-data encoding of the estimators. Reading only ever produces data
 * — no code from the file is run, imported or evaluated; the caller rebuilds estimators from the
 * returned `EstimatorJSON` through the registered classes (`estimatorFromJSON`).
 *
 * Every failure is a {@link DataError} that names the file at fault and what is wrong with it.
 *
 * @module
 */

import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join, resolve } from 'node:path';
import { DataError } from '../../core/errors.ts';
import type { EstimatorJSON } from '../../core/estimator.ts';
import { decodePlain, type PlainObject, type PlainValue } from '../../core/plain.ts';
import type { Schema } from '../../data/schema.ts';
import { isSha256, sha256Hex } from '../artifacts.ts';
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
import { looksLikeTar, readTar, type TarEntry, writeTar } from './tar.ts';

/** A package read and checked, with its estimators decoded to `EstimatorJSON`. */
export interface ModelPackage {
  /** Where it was read from (absolute). */
  path: string;
  form: 'directory' | 'archive';
  /** The manifest as stored. */
  manifest: ModelPackageManifest;
  /** The estimator (or pipeline); rebuild it with `estimatorFromJSON`. */
  model: EstimatorJSON;
  preprocessing: EstimatorJSON | null;
  task: ModelTask;
  target: string | null;
  inputSchema: Schema;
  outputSchema: Schema;
  metrics: Record<string, number>;
  lineage: PlainObject | null;
  extra: PlainValue | null;
  name: string | null;
  description: string | null;
  createdAt: string;
}

/** Largest manifest read (64 MiB): a bigger one is refused rather than parsed. */
const MAX_MANIFEST = 64 * 1024 * 1024;

/**
 * Deepest nesting of arrays and objects accepted in a manifest field. Checking, decoding and
 * rebuilding recurse once per level, so a deeper value is refused up front with its field named,
 * rather than left to exhaust the stack somewhere inside.
 */
const MAX_NESTING = 1000;

/** True when `value` nests arrays or objects more than `limit` levels deep (checked without recursion). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const FIX = 'the package is damaged or was edited; re-export the model, or fetch it again from the registry';

/**
 * Reads and checks the model package at `path` (a package directory, or a `.lathe` archive).
 * Throws a {@link DataError} naming the file and the problem when it is not a valid package.
 */
export async function readModelPackage(path: string): Promise<ModelPackage> {
  return (await readPackageBytes(path)).pkg;
}

/** A package read and checked, with the very bytes that were checked, as archive entries. */
interface CheckedPackage {
  pkg: ModelPackage;
  /** The archive file's bytes (archive form) or its files (directory form). */
  archive: Buffer | TarEntry[];
}

async function readPackageBytes(path: string): Promise<CheckedPackage> {
  const abs = resolve(path);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(abs);
  } catch {
    throw new DataError('no model package here: the path does not exist.', {
      file: abs,
      fix: 'pass a package directory, a .lathe file, or a registry reference such as name@champion or name/3',
    });
  }
  if (st.isDirectory()) return readDirectory(abs);
  const bytes = await readRegularFile(abs, 'the model package');
  return { pkg: readModelPackageArchive(bytes, abs), archive: bytes };
}

/**
 * Reads `file` whole — only if it is a regular file (or a link to one). A FIFO, a socket or a
 * device (`/dev/zero`) is refused before any byte is read: reading one could block forever or
 * never end. It is opened non-blocking, so even opening a FIFO does not wait for a writer.
 * `limit` refuses a file larger than `limit.bytes` before reading it. Other failures to open
 * (ENOENT, EACCES) are thrown as they are, for the caller to word.
 */
async function readRegularFile(
  file: string,
  what: string,
  limit?: { bytes: number; tooBig: (size: number) => DataError },
): Promise<Buffer> {
  const fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      throw new DataError(
        `${what} is not a regular file (it is ${fileKind(st)}); a model package is made of regular files only.`,
        {
          file,
          fix: 'pass the package directory or .lathe file written by Lathe, not a pipe, device or link to one',
        },
      );
    }
    if (limit && st.size > limit.bytes) throw limit.tooBig(st.size);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break; // shrank while being read: the size checks report it
      off += bytesRead;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

function fileKind(st: Awaited<ReturnType<typeof stat>>): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a file';
}

/** Reads and checks a package from the bytes of its archive form; `label` names it in errors. */
export function readModelPackageArchive(bytes: Uint8Array, label: string): ModelPackage {
  if (!looksLikeTar(bytes)) {
    throw new DataError(
      bytes.length < 512
        ? `not a model package: the file is only ${bytes.length} bytes (a truncated or empty archive?).`
        : 'not a model package: the file is neither a package directory nor a Lathe model archive (.lathe).',
      { file: label, fix: 'pass the package directory or the .lathe file written by Lathe' },
    );
  }
  const entries = readTar(bytes, label);
  const files = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (
      e.name !== MANIFEST_FILE &&
      !(e.name.startsWith(`${BLOB_DIR}/`) && isSha256(e.name.slice(BLOB_DIR.length + 1)))
    ) {
      throw new DataError(`model archive holds an unexpected entry '${e.name}'.`, {
        file: label,
        fix: `a package holds only ${MANIFEST_FILE} and ${BLOB_DIR}/<sha256> files; ${FIX}`,
      });
    }
    files.set(e.name, e.data);
  }
  const manifestBytes = files.get(MANIFEST_FILE);
  if (!manifestBytes) {
    throw new DataError(`model archive has no ${MANIFEST_FILE}.`, { file: label, fix: FIX });
  }
  return decodePackage(
    manifestBytes,
    (sha) => files.get(`${BLOB_DIR}/${sha}`),
    (name) => `${label}:${name}`,
    label,
    'archive',
  );
}

/**
 * The archive form of the package at `path` (read and checked first): the file's own bytes for
 * an archive, a freshly packed archive for a directory. Same package, same bytes.
 */
export async function modelPackageArchive(path: string): Promise<{ bytes: Buffer; pkg: ModelPackage }> {
  // Packed from the bytes that were checked, never from a second read of the files (which
  // could have changed in between, and would then be stored unchecked).
  const { pkg, archive } = await readPackageBytes(path);
  if (Buffer.isBuffer(archive)) return { bytes: archive, pkg };
  return { bytes: writeTar(archive, Date.parse(pkg.createdAt) / 1000), pkg };
}

async function readDirectory(dir: string): Promise<CheckedPackage> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readRegularFile(manifestPath, MANIFEST_FILE, {
      bytes: MAX_MANIFEST,
      tooBig: (size) => manifestTooBig(size, manifestPath),
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const entries = await readdir(dir).catch(() => [] as string[]);
    throw new DataError(`not a model package: the folder has no ${MANIFEST_FILE}.`, {
      file: dir,
      fix: entries.length
        ? `pass the folder that holds ${MANIFEST_FILE} (this one has: ${entries.slice(0, 8).join(', ')})`
        : 'pass a package directory written by Lathe',
    });
  }
  // Only the blobs the manifest lists are read, and only names that are SHA-256 hex.
  const blobs = await preloadBlobs(dir, manifestBytes);
  const pkg = decodePackage(
    manifestBytes,
    (sha) => blobs.get(sha),
    (name) => join(dir, name),
    dir,
    'directory',
  );
  // decodePackage checked every listed blob: each is present, of its size, hashing to its name.
  const archive: TarEntry[] = [{ name: MANIFEST_FILE, data: manifestBytes }];
  for (const sha of Object.keys(pkg.manifest.blobs).sort()) {
    archive.push({ name: `${BLOB_DIR}/${sha}`, data: blobs.get(sha)! });
  }
  return { pkg, archive };
}

/** Reads the blob files a directory manifest lists (when it parses); missing ones stay undefined. */
async function preloadBlobs(
  dir: string,
  manifestBytes: Uint8Array,
): Promise<Map<string, Uint8Array | undefined>> {
  const out = new Map<string, Uint8Array | undefined>();
  let listed: string[] = [];
  let m: { blobs?: unknown };
  try {
    m = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as { blobs?: unknown };
    if (m && typeof m.blobs === 'object' && m.blobs !== null) listed = Object.keys(m.blobs).filter(isSha256);
  } catch {
    return out; // decodePackage reports the bad manifest
  }
  for (const sha of listed) {
    const file = join(dir, BLOB_DIR, sha);
    const size = (m.blobs as Record<string, { size?: unknown } | null>)[sha]?.size;
    const limit = Number.isSafeInteger(size)
      ? {
          bytes: size as number,
          tooBig: (actual: number) =>
            new DataError(`blob is ${actual} bytes, but the manifest says ${size}.`, { file, fix: FIX }),
        }
      : undefined;
    try {
      out.set(sha, await readRegularFile(file, 'blob', limit));
    } catch (e) {
      if (e instanceof DataError) throw e;
      out.set(sha, undefined); // decodePackage reports it missing
    }
  }
  return out;
}

function manifestTooBig(size: number, file: string): DataError {
  return new DataError(`${MANIFEST_FILE} is ${size} bytes, over the ${MAX_MANIFEST}-byte limit.`, {
    file,
    fix: FIX,
  });
}

/** The checks shared by both forms. */
function decodePackage(
  manifestBytes: Uint8Array,
  blob: (sha: string) => Uint8Array | undefined,
  fileOf: (name: string) => string,
  path: string,
  form: 'directory' | 'archive',
): ModelPackage {
  const mfile = fileOf(MANIFEST_FILE);
  const bad = (what: string, fix = FIX) => new DataError(what, { file: mfile, fix });
  if (manifestBytes.byteLength > MAX_MANIFEST) throw manifestTooBig(manifestBytes.byteLength, mfile);
  if (endianness() !== 'LE') {
    throw bad(
      'model packages store little-endian arrays; this machine is big-endian.',
      'load it on a little-endian machine',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch (e) {
    throw bad(`${MANIFEST_FILE} is not valid JSON (${(e as Error).message}); it is truncated or damaged.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(`${MANIFEST_FILE} is not a JSON object.`);
  const m = raw as Record<string, unknown>;
  if (m.format !== MODEL_PACKAGE_FORMAT) {
    throw bad(
      `not a Lathe model package: "format" is ${JSON.stringify(m.format)}, expected "${MODEL_PACKAGE_FORMAT}".`,
      'pass a package written by Lathe',
    );
  }
  if (!Number.isInteger(m.formatVersion) || (m.formatVersion as number) < 1) {
    throw bad(`"formatVersion" is ${JSON.stringify(m.formatVersion)}, not a version number.`);
  }
  if ((m.formatVersion as number) > MODEL_PACKAGE_VERSION) {
    throw bad(
      `the package has format version ${m.formatVersion}; this Lathe reads up to version ${MODEL_PACKAGE_VERSION}.`,
      'upgrade Lathe to load it',
    );
  }
  for (const [field, value] of Object.entries(m)) {
    if (nestedDeeperThan(value, MAX_NESTING)) {
      throw bad(
        `"${field}" is nested more than ${MAX_NESTING} levels deep; no package Lathe writes comes near that.`,
      );
    }
  }
  const checksum = m.checksum as { algorithm?: unknown; value?: unknown } | null | undefined;
  if (checksum?.algorithm !== 'sha256' || !isSha256(checksum.value)) {
    throw bad(
      `${MANIFEST_FILE} has no valid "checksum" ({ "algorithm": "sha256", "value": <64 hex digits> }).`,
    );
  }
  let actual: string;
  try {
    actual = manifestChecksum(m);
  } catch (e) {
    throw bad(`${MANIFEST_FILE} cannot be checked: ${(e as Error).message}`);
  }
  if (actual !== checksum.value) {
    throw bad(
      `${MANIFEST_FILE} was edited or is corrupt: its content hashes to ${actual.slice(0, 12)}…, but its checksum says ${String(checksum.value).slice(0, 12)}….`,
    );
  }

  // Shape of the fields.
  if (!MODEL_TASKS.includes(m.task as ModelTask))
    throw bad(`"task" must be one of ${MODEL_TASKS.join(', ')}.`);
  for (const k of ['target', 'name', 'description'] as const) {
    if (m[k] !== null && typeof m[k] !== 'string') throw bad(`"${k}" must be a string or null.`);
  }
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt)))
    throw bad('"createdAt" is not a date.');
  for (const k of ['inputSchema', 'outputSchema'] as const) {
    const problem = modelSchemaProblem(m[k], k);
    if (problem) throw bad(`${problem}.`);
  }
  const blobIndex = m.blobs;
  if (typeof blobIndex !== 'object' || blobIndex === null || Array.isArray(blobIndex))
    throw bad('"blobs" must be an object.');

  // Every listed blob: present, the stated size, and hashing to its name.
  const verified = new Map<string, Uint8Array>();
  for (const [sha, info] of Object.entries(blobIndex as Record<string, unknown>)) {
    if (!isSha256(sha)) throw bad(`"blobs" lists ${JSON.stringify(sha)}, which is not a SHA-256.`);
    const size = (info as { size?: unknown })?.size;
    if (!Number.isSafeInteger(size) || (size as number) < 0)
      throw bad(`"blobs"."${sha}".size is not a byte count.`);
    const bfile = fileOf(`${BLOB_DIR}/${sha}`);
    const bytes = blob(sha);
    if (bytes === undefined)
      throw new DataError('a blob listed in the manifest is missing.', { file: bfile, fix: FIX });
    if (bytes.byteLength !== size) {
      throw new DataError(
        `blob is ${bytes.byteLength} bytes, but the manifest says ${size}${bytes.byteLength < (size as number) ? ' (truncated)' : ''}.`,
        { file: bfile, fix: FIX },
      );
    }
    const h = sha256Hex(bytes);
    if (h !== sha) {
      throw new DataError(`blob is corrupt: its bytes hash to ${h.slice(0, 12)}…, not to its name.`, {
        file: bfile,
        fix: FIX,
      });
    }
    verified.set(sha, bytes);
  }
  const source = (ref: string): Uint8Array => {
    const b = verified.get(ref);
    if (!b) throw bad(`the manifest refers to blob ${JSON.stringify(ref)}, which "blobs" does not list.`);
    return b;
  };
  const decode = (field: string): PlainValue => {
    try {
      return decodePlain(m[field], source, field);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw bad(`"${field}" is not valid plain data: ${(e as Error).message}`);
    }
  };
  const model = asEstimatorJson(decode('model'), 'model', bad);
  const preprocessing =
    m.preprocessing === null ? null : asEstimatorJson(decode('preprocessing'), 'preprocessing', bad);
  const metricsValue = decode('metrics');
  if (typeof metricsValue !== 'object' || metricsValue === null || Array.isArray(metricsValue)) {
    throw bad('"metrics" must be an object of numbers.');
  }
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(metricsValue)) {
    if (typeof v !== 'number') throw bad(`"metrics"."${k}" must be a number.`);
    metrics[k] = v;
  }
  const lineage = m.lineage === null ? null : decode('lineage');
  if (
    lineage !== null &&
    (typeof lineage !== 'object' || Array.isArray(lineage) || ArrayBuffer.isView(lineage))
  ) {
    throw bad('"lineage" must be an object or null.');
  }
  const extra = m.extra === null || m.extra === undefined ? null : decode('extra');
  return {
    path,
    form,
    manifest: m as unknown as ModelPackageManifest,
    model,
    preprocessing,
    task: m.task as ModelTask,
    target: (m.target as string | null) ?? null,
    inputSchema: m.inputSchema as Schema,
    outputSchema: m.outputSchema as Schema,
    metrics,
    lineage: lineage as PlainObject | null,
    extra,
    name: (m.name as string | null) ?? null,
    description: (m.description as string | null) ?? null,
    createdAt: m.createdAt as string,
  };
}

function asEstimatorJson(v: PlainValue, field: string, bad: (what: string) => DataError): EstimatorJSON {
  const o = v as Record<string, unknown> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    Array.isArray(o) ||
    ArrayBuffer.isView(o) ||
    typeof o.type !== 'string' ||
    !Number.isInteger(o.version) ||
    typeof o.params !== 'object' ||
    o.params === null ||
    Array.isArray(o.params) ||
    typeof o.state !== 'object' ||
    Array.isArray(o.state)
  ) {
    throw bad(`"${field}" is not a serialised estimator ({ type, version, params, state }).`);
  }
  return o as unknown as EstimatorJSON;
}
