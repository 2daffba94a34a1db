/**
 * How a task's arguments and results travel through the queue: `v8.serialize` (the structured
 * clone of worker threads: typed arrays, nested objects, `Map`s), with two substitutions made first.
 *
 * - Large typed arrays (≥ {@link BLOB_MIN_BYTES}) become **blobs**: stored once in Redis under the
 *   SHA-256 of their type and bytes, and named in the task by a small marker. The folds of a
 *   search share one copy of the data, and a worker fetches it once.
 * - Module URLs of Lathe's own tree become module keys ({@link moduleKeyOf}), turned back into the
 *   receiving installation's URLs (its tree may be elsewhere, or compiled).
 *
 * Decoding makes fresh typed arrays (never views of a cache a task could write into).
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { ValidationError } from '../errors.ts';
import { moduleKeyOf, moduleUrlOf } from './modules.ts';

/** Typed arrays at least this large travel as blobs. */
export const BLOB_MIN_BYTES = 64 * 1024;

const BLOB = '__latheBlob';
const MODULE = '__latheModule';
const MAX_DEPTH = 64;

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;

interface BlobMarker {
  [BLOB]: string;
  type: TypedName;
}

/** A value made ready for the queue: its bytes, and the blobs they name. */
export interface Encoded {
  payload: Buffer;
  /** Blob id → bytes. */
  blobs: Map<string, Buffer>;
}

/** Encodes `value`; typed arrays of `minBlobBytes` or more become blobs. */
export function encodeValue(value: unknown, minBlobBytes = BLOB_MIN_BYTES): Encoded {
  const blobs = new Map<string, Buffer>();
  const swapped = swapOut(value, blobs, minBlobBytes, 0);
  return { payload: serialize(swapped), blobs };
}

/** The blob ids a payload names (to fetch them before {@link decodeValue}). */
export function blobIdsOf(payload: Buffer): string[] {
  const out = new Set<string>();
  walk(deserialize(payload), (v) => {
    if (isMarker(v)) out.add(v[BLOB]);
  });
  return [...out];
}

/** Decodes a payload; `blobs` must hold every blob it names. */
export function decodeValue(payload: Buffer, blobs: ReadonlyMap<string, Uint8Array>): unknown {
  return swapIn(deserialize(payload), blobs, 0);
}

function typedName(v: ArrayBufferView): TypedName | null {
  const name = v.constructor?.name as TypedName;
  return name in TYPED && v.constructor === TYPED[name] ? name : null;
}

function swapOut(v: unknown, blobs: Map<string, Buffer>, min: number, depth: number): unknown {
  if (depth > MAX_DEPTH) {
    throw new ValidationError(`a queued task's arguments nest deeper than ${MAX_DEPTH} levels.`, {
      fix: 'pass flatter arguments (tasks travel through the queue by structured clone)',
    });
  }
  if (typeof v === 'string') {
    const key = moduleKeyOf(v);
    return key === null ? v : { [MODULE]: key };
  }
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) {
    const name = typedName(v);
    if (!name || v.byteLength < min) return v;
    const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    const id = `${name}:${createHash('sha256').update(bytes).digest('hex')}`;
    if (!blobs.has(id)) blobs.set(id, Buffer.from(bytes)); // a copy: shared memory may change later
    const marker: BlobMarker = { [BLOB]: id, type: name };
    return marker;
  }
  if (Array.isArray(v)) return v.map((x) => swapOut(x, blobs, min, depth + 1));
  if (v instanceof Map) {
    return new Map([...v].map(([k, x]) => [k, swapOut(x, blobs, min, depth + 1)]));
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = swapOut(x, blobs, min, depth + 1);
  return out;
}

function isMarker(v: unknown): v is BlobMarker {
  return v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)[BLOB] === 'string';
}

function isModule(v: unknown): v is { [MODULE]: string } {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as Record<string, unknown>)[MODULE] === 'string' &&
    Object.keys(v).length === 1
  );
}

function swapIn(v: unknown, blobs: ReadonlyMap<string, Uint8Array>, depth: number): unknown {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || depth > MAX_DEPTH) return v;
  if (isMarker(v)) {
    const bytes = blobs.get(v[BLOB]);
    const Ctor = TYPED[v.type];
    if (!bytes || !Ctor) throw new Error(`queue: blob ${v[BLOB]} is missing (expired from Redis?)`);
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    return new Ctor(buffer);
  }
  if (isModule(v)) return moduleUrlOf(v[MODULE]);
  if (Array.isArray(v)) return v.map((x) => swapIn(x, blobs, depth + 1));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, swapIn(x, blobs, depth + 1)]));
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = swapIn(x, blobs, depth + 1);
  return out;
}

function walk(v: unknown, visit: (v: unknown) => void, depth = 0): void {
  visit(v);
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || depth > MAX_DEPTH) return;
  const items = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v);
  for (const x of items) walk(x, visit, depth + 1);
}
