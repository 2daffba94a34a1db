// Damaging one field of a fitted model's toJSON() and checking that loading refuses it.
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/core/errors.ts';
import { type EstimatorJSON, estimatorFromJSON } from '../../src/core/estimator.ts';

type State = Record<string, unknown>;

/** A deep copy of `json` with `edit` applied to the copy's state. */
export function damage(json: EstimatorJSON, edit: (state: State) => void): EstimatorJSON {
  const copy = structuredClone(json);
  edit((copy as unknown as { state: State }).state);
  return copy;
}

/** Asserts that loading `json` throws a ValidationError naming `who` and `field`. */
export function assertRefused(json: EstimatorJSON, who: string, field: string): void {
  assert.throws(
    () => estimatorFromJSON(json),
    (e: unknown) => {
      assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
      assert.equal(e.field, field, e.message);
      assert.match(e.message, new RegExp(`^${who}: `));
      assert.match(e.message, new RegExp(`'${field.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
      assert.match(e.message, /damaged or was edited/);
      return true;
    },
  );
}

/** `a` without its last element (same typed-array kind). */
export function shorter<T extends { slice(a: number, b: number): T; length: number }>(a: T): T {
  return a.slice(0, a.length - 1);
}
