import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { decodeLabels, encodeLabels } from '../../src/core/labels.ts';

// V8's own predicate (elements kind of an array), to show that decoded labels stay small integers.
setFlagsFromString('--allow-natives-syntax');
const hasDoubleElements = new Function('a', 'return %HasDoubleElements(a)') as (a: unknown[]) => boolean;

describe('encodeLabels', () => {
  it('sorts numeric classes and codes rows by rank (typed array, plain array, strings)', () => {
    const a = encodeLabels(new Float64Array([2, 0, 2, 1, 0]), 5, 't');
    assert.deepEqual(a.classes, [0, 1, 2]);
    assert.deepEqual([...a.codes], [2, 0, 2, 1, 0]);
    const b = encodeLabels([3.5, -1, 3.5], 3, 't');
    assert.deepEqual(b.classes, [-1, 3.5]);
    assert.deepEqual([...b.codes], [1, 0, 1]);
    const c = encodeLabels(['b', 'a', 'b'], 3, 't');
    assert.deepEqual(c.classes, ['a', 'b']);
    assert.deepEqual([...c.codes], [1, 0, 1]);
  });

  it('keeps integral numeric classes as small integers, so decoded label arrays are not doubles', () => {
    for (const y of [new Float64Array([1, 0, 1, 0]), [1.0, 0.0, 1.0, 0.0], new Int32Array([1, 0, 1, 0])]) {
      const { codes, classes } = encodeLabels(y, 4, 't');
      assert.equal(hasDoubleElements(classes), false);
      const labels = decodeLabels(codes, classes);
      assert.deepEqual(labels, [1, 0, 1, 0]);
      assert.equal(hasDoubleElements(labels), false);
    }
  });

  it('leaves fractional and negative-zero classes as they are', () => {
    const { classes } = encodeLabels(new Float64Array([0.5, -0, 0.5]), 3, 't');
    assert.equal(classes.length, 2);
    assert.ok(Object.is(classes[0], -0));
    assert.equal(classes[1], 0.5);
  });

  it('names a missing label', () => {
    assert.throws(() => encodeLabels(['a', null as unknown as string], 2, 'Model.fit'), /y\[1\] is missing/);
  });
});
