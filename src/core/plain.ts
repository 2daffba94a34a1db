/**
 * Plain data: the only thing fitted state is made of. Numbers, strings, booleans, null, arrays,
 * plain objects — and typed arrays, which a model package stores as binary blobs and JSON stores
 * as base64. Decoding never evaluates anything: a file can only ever yield data.
 *
 * @module
 */

import { ValidationError } from './errors.ts';

/** A typed array that fitted state may hold. */
export type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** A value that fitted state may hold. */
export type PlainValue = null | boolean | number | string | TypedArray | PlainValue[] | PlainObject;

/** An object of plain values. */
export interface PlainObject {
  [key: string]: PlainValue;
}

const CTORS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;

/** Name of a typed array's element type, e.g. "Float64Array". */
export type TypedArrayName = keyof typeof CTORS;

/** JSON stand-in for a typed array. Exactly one of `base64` (inline) or `blob` (a package file) is set. */
export interface TypedRef {
  $typed: TypedArrayName;
  length: number;
  base64?: string;
  blob?: string;
}

/** Where typed arrays go when encoding: return a reference name (e.g. the blob's SHA-256). */
export type BlobSink = (bytes: Uint8Array, dtype: TypedArrayName) => string;
/** Where typed arrays come from when decoding: the bytes behind a reference. */
export type BlobSource = (ref: string) => Uint8Array;

/** True when `v` is one of the supported typed arrays. */
export function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && v.constructor.name in CTORS;
}

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Encodes plain data as JSON-safe data: typed arrays become {@link TypedRef}s (little-endian
 * bytes inline as base64, or handed to `sink`). Non-finite numbers become strings ("NaN",
 * "Infinity", "-Infinity") wrapped as `{ $num: … }` so JSON keeps them.
 */
export function encodePlain(value: PlainValue, sink?: BlobSink): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (isTypedArray(value)) {
    const dtype = value.constructor.name as TypedArrayName;
    const bytes = bytesOf(value);
    return sink
      ? { $typed: dtype, length: value.length, blob: sink(bytes, dtype) }
      : { $typed: dtype, length: value.length, base64: Buffer.from(bytes).toString('base64') };
  }
  if (Array.isArray(value)) return value.map((v) => encodePlain(v, sink));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodePlain(v, sink);
    return out;
  }
  throw new ValidationError(`Cannot encode a ${typeof value} as plain data.`);
}

/**
 * Inverse of {@link encodePlain}. Throws a {@link ValidationError} on anything malformed. With a
 * `source` (blob-backed data, as in a model package), typed arrays must be blob references:
 * inline base64 is refused.
 */
export function decodePlain(value: unknown, source?: BlobSource, path = '$'): PlainValue {
  if (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'string' ||
    typeof value === 'number'
  ) {
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => decodePlain(v, source, `${path}[${i}]`));
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('$num' in o) {
      const n = Number(o.$num);
      if (!['NaN', 'Infinity', '-Infinity'].includes(String(o.$num))) {
        throw new ValidationError(`${path}: bad non-finite number ${JSON.stringify(o.$num)}.`);
      }
      return n;
    }
    if ('$typed' in o) return decodeTyped(o as unknown as TypedRef, source, path);
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
        throw new ValidationError(`${path}: forbidden key '${k}' in plain data.`);
      }
      out[k] = decodePlain(v, source, `${path}.${k}`);
    }
    return out;
  }
  throw new ValidationError(`${path}: unexpected ${typeof value} in plain data.`);
}

function decodeTyped(ref: TypedRef, source: BlobSource | undefined, path: string): TypedArray {
  const Ctor = Object.hasOwn(CTORS, ref.$typed) ? CTORS[ref.$typed] : undefined;
  if (!Ctor) throw new ValidationError(`${path}: unknown typed array type ${JSON.stringify(ref.$typed)}.`);
  if (!Number.isSafeInteger(ref.length) || ref.length < 0) {
    throw new ValidationError(`${path}: bad typed array length ${JSON.stringify(ref.length)}.`);
  }
  let bytes: Uint8Array;
  if (source && ref.base64 !== undefined) {
    // Where blobs exist (a model package), each is listed with its size and named by its hash:
    // an inline array would bypass both.
    throw new ValidationError(
      `${path}: typed array is stored inline (base64); here every array must be a blob.`,
      {
        fix: 'the model file was edited; re-export it',
      },
    );
  }
  if (typeof ref.base64 === 'string') bytes = Buffer.from(ref.base64, 'base64');
  else if (typeof ref.blob === 'string' && source) bytes = source(ref.blob);
  else throw new ValidationError(`${path}: typed array has neither inline data nor a readable blob.`);
  const expected = ref.length * Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) {
    throw new ValidationError(
      `${path}: ${ref.$typed} of length ${ref.length} needs ${expected} bytes; the data has ${bytes.byteLength}.`,
      { fix: 'the model file is truncated or was edited; re-export it' },
    );
  }
  // Copy into a fresh, aligned buffer.
  const copy = new Uint8Array(expected);
  copy.set(bytes);
  return new Ctor(copy.buffer);
}
