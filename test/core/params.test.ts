import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { closest, defaultsOf, mergeParams, p, validateParams } from '../../src/core/params.ts';

const schema = {
  maxIter: p.int({ min: 1, default: 100 }),
  tol: p.float({ gt: 0, default: 1e-4 }),
  penalty: p.oneOf(['l2', 'l1', 'none'] as const, { default: 'l2' }),
  maxFeatures: p.union([p.oneOf(['sqrt', 'log2'] as const), p.int({ min: 1 }), p.float({ gt: 0, max: 1 })], {
    default: 'sqrt',
  }),
  maxDepth: p.nullable(p.int({ min: 1 })),
  classWeight: p.nullable(p.union([p.oneOf(['balanced'] as const), p.record(p.float({ min: 0 }))])),
  hidden: p.array(p.int({ min: 1 }), { default: [10] }),
};

describe('parameter schemas', () => {
  it('gives defaults as fresh copies', () => {
    const a = defaultsOf(schema);
    const b = defaultsOf(schema);
    assert.deepEqual(a, {
      maxIter: 100,
      tol: 1e-4,
      penalty: 'l2',
      maxFeatures: 'sqrt',
      maxDepth: null,
      classWeight: null,
      hidden: [10],
    });
    a.hidden.push(3);
    assert.deepEqual(b.hidden, [10]);
  });

  it('merges given values over defaults', () => {
    const m = mergeParams('Model', schema, { maxIter: 5, maxDepth: 3 });
    assert.equal(m.maxIter, 5);
    assert.equal(m.maxDepth, 3);
    assert.equal(m.penalty, 'l2');
  });

  it('names the estimator, the parameter, the expectation and the value', () => {
    const bad = { ...defaultsOf(schema), maxIter: 0 };
    assert.throws(
      () => validateParams('LogisticRegression', schema, bad),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === 'maxIter' &&
        /LogisticRegression: parameter 'maxIter' must be an integer ≥ 1; got 0/.test(e.message),
    );
  });

  it('accepts each branch of a union and rejects values outside all', () => {
    for (const v of ['sqrt', 3, 0.5]) {
      assert.doesNotThrow(() => validateParams('M', schema, { ...defaultsOf(schema), maxFeatures: v }));
    }
    assert.throws(
      () => validateParams('M', schema, { ...defaultsOf(schema), maxFeatures: 1.5 }),
      /maxFeatures/,
    );
    assert.doesNotThrow(() => validateParams('M', schema, { ...defaultsOf(schema), classWeight: { a: 2 } }));
    assert.throws(
      () => validateParams('M', schema, { ...defaultsOf(schema), classWeight: { a: -1 } }),
      /classWeight/,
    );
  });

  it('rejects unknown names with a did-you-mean', () => {
    assert.throws(
      () => mergeParams('M', schema, { maxIters: 3 }),
      /unknown parameter 'maxIters'.*did you mean 'maxIter'/s,
    );
  });

  it('closest: a name equal but for surrounding spaces and case comes before a nearer typo', () => {
    // A header 'a, b ,y' names its second column ' b ': 'b' is one edit from 'a', two from ' b '.
    assert.equal(closest('b', ['a', ' b ', 'y']), ' b ');
    assert.equal(closest('B', ['a', 'b', 'y']), 'b');
    assert.equal(closest('agee', ['age', ' b ']), 'age');
  });

  it('rejects NaN and infinities as numbers', () => {
    assert.throws(() => validateParams('M', schema, { ...defaultsOf(schema), tol: Number.NaN }), /tol/);
    assert.throws(
      () => validateParams('M', schema, { ...defaultsOf(schema), tol: Number.POSITIVE_INFINITY }),
      /tol/,
    );
  });
});
