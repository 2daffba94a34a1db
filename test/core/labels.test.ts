import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { ValidationError } from '../../src/core/errors.ts';
import { asNumericTarget, decodeLabels, encodeLabels } from '../../src/core/labels.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { accuracyScore, rocAucScore } from '../../src/metrics/index.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';

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

describe('a table column as y (Table.values)', () => {
  it('is accepted as written, without a cast, by fit and by the metrics; a missing value is refused with its position', () => {
    // Type-checked by `tsc --noEmit` with the suite: Table.values returns (number | string | boolean | null)[].
    const t = new Table([
      numericColumn('x', [1, 2, 3, 4, 5, 6]),
      categoricalColumn('y', ['no', 'no', 'no', 'yes', 'yes', 'yes']),
    ]);
    const y = t.values('y');
    const model = new LogisticRegression().fit(t.toMatrix(['x']), y);
    assert.deepEqual(model.classes_, ['no', 'yes']);
    assert.equal(accuracyScore(y, model.predict(t.toMatrix(['x']))), 1);
    const proba = model.predictProba(t.toMatrix(['x']));
    const pYes = Array.from({ length: 6 }, (_, i) => proba.data[2 * i + 1]);
    assert.equal(rocAucScore(y, pYes), 1);
    const gap = new Table([categoricalColumn('y', ['no', null, 'yes'])]).values('y');
    assert.throws(
      () => new LogisticRegression().fit([[1], [2], [3]], gap),
      (e: unknown) => e instanceof ValidationError && /y\[1\] is missing/.test(e.message),
    );
    assert.throws(
      () => accuracyScore(gap, ['no', 'no', 'yes']),
      (e: unknown) => e instanceof ValidationError && /yTrue\[1\] is missing/.test(e.message),
    );
  });
});

describe('asNumericTarget', () => {
  it('names a NaN or infinite target value as such (JSON would have written null)', () => {
    const bad: [ArrayLike<number>, RegExp][] = [
      [new Float64Array([1, Number.NaN]), /y\[1\] is NaN \(a missing value\); a numeric, finite target/],
      [[1, 2, Number.POSITIVE_INFINITY], /y\[2\] is Infinity;/],
      [[Number.NEGATIVE_INFINITY], /y\[0\] is -Infinity;/],
    ];
    for (const [y, re] of bad) {
      assert.throws(
        () => asNumericTarget(y, y.length, 'T'),
        (e: unknown) => e instanceof ValidationError && re.test(e.message),
      );
    }
    assert.throws(() => asNumericTarget(['a', null], 2, 'T'), /y\[0\] is "a";/);
    assert.throws(() => asNumericTarget([1, null], 2, 'T'), /y\[1\] is missing;/);
  });
});
