/**
 * The model package format (version 1): `manifest.json` plus `blobs/<sha256>` files. See
 * `docs/model-package.md` for the field-by-field description.
 *
 * The manifest carries a SHA-256 over its own canonical form (every field except `checksum`, keys
 * sorted, no whitespace), so an edited manifest is detected; every blob is named by the SHA-256 of
 * its bytes and listed with its size, so a damaged or truncated blob is detected.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { ValidationError } from '../../core/errors.ts';
import type { ColumnType } from '../../data/column.ts';
import type { ColumnSchema, Schema, SemanticType } from '../../data/schema.ts';

/** The value of `manifest.format`. */
export const MODEL_PACKAGE_FORMAT = 'lathe-model-package';

/** The format version this Lathe writes and the newest it reads. */
export const MODEL_PACKAGE_VERSION = 1;

/** The name of the manifest file. */
export const MANIFEST_FILE = 'manifest.json';

/** The folder of blob files. */
export const BLOB_DIR = 'blobs';

/** What a packaged model does. */
export type ModelTask = 'binary' | 'multiclass' | 'regression' | 'clustering' | 'transform';

/** Every {@link ModelTask}. */
export const MODEL_TASKS: readonly ModelTask[] = [
  'binary',
  'multiclass',
  'regression',
  'clustering',
  'transform',
];

/** The manifest as stored (estimators and extras in their encoded, JSON-safe form). */
export interface ModelPackageManifest {
  format: typeof MODEL_PACKAGE_FORMAT;
  formatVersion: number;
  /** ISO-8601 time of writing. */
  createdAt: string;
  createdBy: { lathe: string; node: string };
  name: string | null;
  description: string | null;
  task: ModelTask;
  /** The target column, for supervised models. */
  target: string | null;
  /** The estimator (or whole pipeline) as `EstimatorJSON`, typed arrays as blob references. */
  model: unknown;
  /** A separate preprocessing step, when the model is not already a pipeline. */
  preprocessing: unknown;
  /** The columns the model takes. */
  inputSchema: Schema;
  /** The columns the model produces (`prediction`, `proba_<class>`, …). */
  outputSchema: Schema;
  /** Evaluation metrics; non-finite values as `{ "$num": "NaN" }`. */
  metrics: Record<string, unknown>;
  /** Where the model came from: run id, data fingerprints, code version, … (plain JSON). */
  lineage: Record<string, unknown> | null;
  /** Anything else as plain data (e.g. the reference profile for drift monitoring). */
  extra: unknown;
  /** Every blob: SHA-256 → size in bytes. */
  blobs: Record<string, { size: number }>;
  /** SHA-256 of the canonical manifest without this field. */
  checksum: { algorithm: 'sha256'; value: string };
}

/** JSON with object keys sorted recursively and no whitespace: the form the checksum covers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`canonicalJson: non-finite number ${value}.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new ValidationError(`canonicalJson: cannot encode a ${typeof value}.`);
}

/** The checksum a manifest should carry: SHA-256 of its canonical form without `checksum`. */
export function manifestChecksum(
  manifest: Omit<ModelPackageManifest, 'checksum'> | Record<string, unknown>,
): string {
  const { checksum: _ignored, ...rest } = manifest as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

const SEMANTIC: readonly SemanticType[] = ['numeric', 'categorical', 'boolean', 'datetime', 'text', 'id'];
const STORAGE: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'datetime', 'text'];

/**
 * Why `value` is not a valid {@link Schema}, or undefined when it is. `where` prefixes the
 * message (e.g. "inputSchema").
 */
export function modelSchemaProblem(value: unknown, where: string): string | undefined {
  if (typeof value !== 'object' || value === null) return `${where} must be an object`;
  const s = value as Partial<Schema>;
  if (s.version !== 1) return `${where}.version must be 1; got ${JSON.stringify(s.version)}`;
  if (!Array.isArray(s.columns)) return `${where}.columns must be an array`;
  const names = new Set<string>();
  for (let i = 0; i < s.columns.length; i++) {
    const c = s.columns[i] as Partial<ColumnSchema>;
    const at = `${where}.columns[${i}]`;
    if (typeof c !== 'object' || c === null) return `${at} must be an object`;
    if (typeof c.name !== 'string' || c.name === '') return `${at}.name must be a non-empty string`;
    if (names.has(c.name)) return `${at}: column '${c.name}' appears twice`;
    names.add(c.name);
    if (!SEMANTIC.includes(c.type as SemanticType)) {
      return `${at}.type must be one of ${SEMANTIC.join(', ')}; got ${JSON.stringify(c.type)}`;
    }
    if (!STORAGE.includes(c.storage as ColumnType)) {
      return `${at}.storage must be one of ${STORAGE.join(', ')}; got ${JSON.stringify(c.storage)}`;
    }
    if (typeof c.nullable !== 'boolean') return `${at}.nullable must be true or false`;
    if (
      c.categories !== undefined &&
      (!Array.isArray(c.categories) || !c.categories.every((x) => typeof x === 'string'))
    ) {
      return `${at}.categories must be an array of strings`;
    }
    for (const k of ['min', 'max'] as const) {
      if (c[k] !== undefined && (typeof c[k] !== 'number' || !Number.isFinite(c[k]))) {
        return `${at}.${k} must be a finite number`;
      }
    }
    if (c.format !== undefined && typeof c.format !== 'string') return `${at}.format must be a string`;
  }
  return undefined;
}
