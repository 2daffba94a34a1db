/**
 * Estimators that hold estimators (Pipeline, ColumnTransformer): decoding nested estimators given
 * as plain data, and scikit-learn's `name__param` addressing of their parameters.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type Estimator, type EstimatorJSON, estimatorFromJSON } from '../core/estimator.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { damagedState } from '../core/saved-state.ts';

/** True for the plain-data form of an estimator ({@link Estimator.toJSON} output). */
export function isEstimatorJSON(v: unknown): v is EstimatorJSON {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as EstimatorJSON).type === 'string' &&
    'params' in v &&
    'state' in v &&
    'version' in v
  );
}

/**
 * An estimator given as an instance or as plain data (decoded through the registry of estimator
 * classes: no code from the data ever runs). Anything else is returned unchanged, for the
 * parameter check to reject.
 */
export function decodeEstimator(v: unknown): unknown {
  return isEstimatorJSON(v) ? estimatorFromJSON(v) : v;
}

/** The plain form of an unfitted copy of `e`'s parameters (its state travels separately). */
export function paramsJSON(e: Estimator): PlainValue {
  return { ...e.toJSON(), state: null } as unknown as PlainValue;
}

/** The fitted state of `e` as plain data, or null when it is not fitted. */
export function stateJSON(e: Estimator): PlainValue {
  return e.toJSON().state;
}

/** Splits parameters into the owner's own and the nested `name__param` ones (grouped by name). */
export function splitNested(params: object): {
  own: Record<string, unknown>;
  nested: Map<string, Record<string, unknown>>;
} {
  const own: Record<string, unknown> = {};
  const nested = new Map<string, Record<string, unknown>>();
  for (const [k, v] of Object.entries(params)) {
    const at = k.indexOf('__');
    if (at <= 0) {
      own[k] = v;
      continue;
    }
    const name = k.slice(0, at);
    const rest = k.slice(at + 2);
    let group = nested.get(name);
    if (!group) nested.set(name, (group = {}));
    group[rest] = v;
  }
  return { own, nested };
}

/** `e`'s parameters under `prefix__` (recursively, since a nested Pipeline reports its own). */
export function prefixedParams(prefix: string, e: Estimator): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.getParams() as Record<string, unknown>)) out[`${prefix}__${k}`] = v;
  return out;
}

/** Applies `name__param` settings to the named sub-estimators; an unknown name is an error. */
export function applyNested(
  owner: string,
  nested: Map<string, Record<string, unknown>>,
  find: (name: string) => Estimator | undefined,
  known: readonly string[],
): void {
  for (const [name, params] of nested) {
    const e = find(name);
    if (!e) {
      const first = Object.keys(params)[0];
      throw new ValidationError(
        `${owner}: unknown parameter '${name}__${first}': there is no step named '${name}'.`,
        {
          field: `${name}__${first}`,
          fix: known.length ? `the steps are: ${known.join(', ')}` : 'add the step first',
        },
      );
    }
    e.setParams(params as never);
  }
}

/** Checks a step name: a non-empty string without `__`, unique among `seen`. */
export function validName(name: unknown, seen: Set<string>): boolean {
  if (typeof name !== 'string' || name === '' || name.includes('__') || seen.has(name)) return false;
  seen.add(name);
  return true;
}

/**
 * Restores the saved state of `e`, a sub-estimator of `owner` saved in `owner`'s field `field`:
 * an object (a fitted owner has every sub-estimator fitted).
 */
export function restoreSub(owner: string, field: string, e: Estimator, state: PlainValue | undefined): void {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || ArrayBuffer.isView(state)) {
    throw damagedState(
      owner,
      field,
      `holds ${state === null ? 'null' : 'no object'} for the ${e.typeName}, where a fitted model has its state`,
    );
  }
  e.restoreState(state as PlainObject);
}
