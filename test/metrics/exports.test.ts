import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as root from '../../src/index.ts';
import * as metrics from '../../src/metrics/index.ts';

describe('metrics exports', () => {
  it('every metric reaches the package root under its own name (no clash with another area)', () => {
    const names = Object.keys(metrics);
    assert.ok(names.length >= 38);
    for (const name of names) {
      assert.equal((root as Record<string, unknown>)[name], (metrics as Record<string, unknown>)[name], name);
    }
  });
  it('internal helpers stay internal', () => {
    for (const name of [
      'prf',
      'selectLabels',
      'classCounts',
      'binaryClfCurve',
      'argsortStable',
      'formatFixed',
    ]) {
      assert.equal(name in metrics, false, name);
    }
  });
});
