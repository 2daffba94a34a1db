import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { matrix } from '../../src/core/matrix.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { MinMaxScaler } from '../../src/preprocess/min-max-scaler.ts';
import { RobustScaler } from '../../src/preprocess/robust-scaler.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';
import { assertClose, assertMatrixClose, fixture, roundTrip, rowsToMatrix } from './helpers.ts';

type Rows = (number | null)[][];
interface ScalerCase {
  name: string;
  transformer: 'StandardScaler' | 'MinMaxScaler' | 'RobustScaler';
  params: Record<string, unknown>;
  set: string;
  fitted: Record<string, (number | null)[] | null>;
  train_out: Rows;
  test_out: Rows;
}
const fx = fixture<{ sets: Record<string, { train: Rows; test: Rows }>; cases: ScalerCase[] }>(
  'scalers.json',
);

const CLASSES = { StandardScaler, MinMaxScaler, RobustScaler };
// scikit-learn attribute → Lathe field.
const FIELDS: Record<string, string> = {
  mean_: 'mean_',
  var_: 'var_',
  scale_: 'scale_',
  n_samples_seen_: 'nSamplesSeen_',
  data_min_: 'dataMin_',
  data_max_: 'dataMax_',
  data_range_: 'dataRange_',
  min_: 'min_',
  center_: 'center_',
};

describe('scalers against scikit-learn 1.2.1 (tolerance 1e-9)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const { train, test } = fx.sets[c.set];
      const est = new CLASSES[c.transformer](c.params as never);
      const Xtr = rowsToMatrix(train);
      est.fit(Xtr);
      for (const [attr, expected] of Object.entries(c.fitted)) {
        const got = (est as unknown as Record<string, Float64Array | null>)[FIELDS[attr]];
        if (expected === null) assert.equal(got, null, `${attr} should be null`);
        else assertClose(got!, expected, attr);
      }
      assertMatrixClose(est.transform(Xtr), c.train_out, 'train');
      assertMatrixClose(est.transform(rowsToMatrix(test)), c.test_out, 'test');
    });
  }
});

describe('StandardScaler', () => {
  it('gives a constant column scale 1, so it maps to 0 (not NaN)', () => {
    const s = new StandardScaler().fit([
      [5, 1],
      [5, 2],
      [5, 3],
    ]);
    assert.equal(s.scale_![0], 1);
    assert.deepEqual(Array.from(s.transform([[5, 2]]).data), [0, 0]);
  });

  it('keeps NaN in transform and ignores it in fit', () => {
    const s = new StandardScaler().fit([[1], [Number.NaN], [3]]);
    assert.equal(s.mean_![0], 2);
    assert.equal(s.nSamplesSeen_![0], 2);
    assert.ok(Number.isNaN(s.transform([[Number.NaN]]).data[0]));
  });

  it('inverseTransform undoes transform', () => {
    const X = [
      [1, -4],
      [2, 8],
      [7, 0.5],
    ];
    const s = new StandardScaler().fit(X);
    assertClose(s.inverseTransform(s.transform(X)).data, X.flat(), 'round trip', 1e-12);
  });

  it('matches a Table by name (any column order) and names its outputs after the inputs', () => {
    const t = new Table([numericColumn('a', [1, 2, 3]), numericColumn('b', [10, 20, 40])]);
    const s = new StandardScaler().fit(t);
    const swapped = new Table([numericColumn('b', [10, 20, 40]), numericColumn('a', [1, 2, 3])]);
    assert.deepEqual(Array.from(s.transform(swapped).data), Array.from(s.transform(t).data));
    assert.deepEqual(s.getFeatureNamesOut(), ['a', 'b']);
  });

  it('reports a missing column by name, and a categorical one as non-numeric', () => {
    const t = new Table([numericColumn('a', [1, 2, 3]), numericColumn('b', [10, 20, 40])]);
    const s = new StandardScaler().fit(t);
    assert.throws(
      () => s.transform(new Table([numericColumn('a', [1])])),
      (e: unknown) => e instanceof ValidationError && /lacks a column seen in fit: 'b'/.test(e.message),
    );
    assert.throws(
      () => new StandardScaler().fit(new Table([categoricalColumn('city', ['x', 'y'])])),
      (e: unknown) => e instanceof ValidationError && /Column 'city' is categorical/.test(e.message),
    );
  });

  it('refuses transform before fit and a different column count', () => {
    assert.throws(() => new StandardScaler().transform([[1]]), NotFittedError);
    const s = new StandardScaler().fit([
      [1, 2],
      [3, 4],
    ]);
    assert.throws(() => s.transform([[1, 2, 3]]), /X has 3 columns, but the model was fitted on 2/);
  });

  it('does not modify its input and round-trips through JSON', () => {
    const data = new Float64Array([1, 2, 3, 5, Number.NaN, 9]);
    const X = matrix(data, 3, 2, ['p', 'q']);
    const s = new StandardScaler().fit(X);
    const out = s.transform(X);
    assert.deepEqual(Array.from(data), [1, 2, 3, 5, Number.NaN, 9]);
    const back = estimatorFromJSON(roundTrip(s.toJSON())) as StandardScaler;
    assert.ok(back instanceof StandardScaler);
    assert.deepEqual(Array.from(back.transform(X).data), Array.from(out.data));
  });
});

describe("StandardScaler on one column: NumPy's pairwise sums, bit for bit", () => {
  // scikit-learn 1.2.1's mean_ and var_ for x = 0.1 everywhere, 0.7 at every 7th row, NaN at row 3
  // (StandardScaler().fit(x.reshape(-1, 1))): an n × 1 array is summed pairwise by np.nansum,
  // which row-by-row sums missed in the last bits (0.1923076923076922 for 0.19230769230769232).
  const expected: [number, number, number][] = [
    [13, 0.20000000000000004, 0.04999999999999999],
    [40, 0.19230769230769232, 0.04686390532544378],
    [129, 0.18906250000000002, 0.04550537109374999],
  ];
  for (const [n, mean, variance] of expected) {
    it(`n = ${n}`, () => {
      const x = new Float64Array(n).fill(0.1);
      for (let i = 0; i < n; i += 7) x[i] = 0.7;
      x[3] = Number.NaN;
      const s = new StandardScaler().fit(matrix(x, n, 1));
      assert.equal(s.mean_![0], mean);
      assert.equal(s.var_![0], variance);
    });
  }
});

describe('MinMaxScaler', () => {
  it('maps the fitted range onto featureRange and clips new data when asked', () => {
    const m = new MinMaxScaler({ featureRange: [-1, 1], clip: true }).fit([[0], [10]]);
    assert.deepEqual(Array.from(m.transform([[5], [20], [-3]]).data), [0, 1, -1]);
    assertClose(m.inverseTransform([[0]]).data, [5], 'inverse');
  });

  it('rejects a featureRange whose min is not below its max, naming it', () => {
    assert.throws(
      () => new MinMaxScaler({ featureRange: [1, 1] }).fit([[0], [1]]),
      (e: unknown) => e instanceof ValidationError && e.message.includes('featureRange'),
    );
    assert.throws(() => new MinMaxScaler({ featureRange: [0] }).fit([[0], [1]]), /featureRange/);
  });
});

describe('RobustScaler', () => {
  it('uses the median and interquartile range (linear percentiles), robust to an outlier', () => {
    const r = new RobustScaler().fit([[1], [2], [3], [4], [1000]]);
    assert.equal(r.center_![0], 3);
    assert.equal(r.scale_![0], 2); // P75 − P25 = 4 − 2
  });

  it('rejects an inverted quantileRange, naming it', () => {
    assert.throws(
      () => new RobustScaler({ quantileRange: [75, 25] }).fit([[1], [2]]),
      (e: unknown) => e instanceof ValidationError && e.message.includes('quantileRange'),
    );
    assert.throws(() => new RobustScaler({ quantileRange: [-1, 50] }).fit([[1], [2]]), ValidationError);
  });

  it('shows the values of a quantileRange outside [0, 100] (scikit-learn: "Invalid quantile range: (-1, 50)")', () => {
    for (const range of [
      [-1, 50],
      [0, 101],
    ]) {
      assert.throws(
        () => new RobustScaler({ quantileRange: range }).fit([[1], [2]]),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message.includes('0 ≤ low ≤ high ≤ 100') &&
          e.message.includes(`got ${JSON.stringify(range)}`),
      );
    }
  });

  it('accepts an empty quantileRange (low = high) as scikit-learn does: scale 1, centring only', () => {
    const r = new RobustScaler({ quantileRange: [50, 50] }).fit([[1], [5], [2], [9]]);
    assert.deepEqual(Array.from(r.scale_!), [1]);
    assert.deepEqual(Array.from(r.transform([[3.5], [10]]).data), [0, 6.5]);
  });

  it('inverseTransform undoes transform', () => {
    const X = [[1], [5], [2], [9], [Number.NaN]];
    const r = new RobustScaler({ unitVariance: true }).fit(X);
    assertClose(r.inverseTransform(r.transform(X)).data, [1, 5, 2, 9, null], 'round trip', 1e-12);
  });
});

describe('scalers refuse infinite values, as scikit-learn does', () => {
  const withInf = [
    [1, 2],
    [2, Number.POSITIVE_INFINITY],
    [3, 4],
  ];
  const clean = [
    [1, 3],
    [2, 4],
  ];
  for (const make of [() => new StandardScaler(), () => new MinMaxScaler(), () => new RobustScaler()]) {
    it(`${make().typeName}: fit, transform and inverseTransform name the column and row`, () => {
      assert.throws(
        () => make().fit(withInf),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === 'x1' &&
          /\.fit cannot take infinite values: column 'x1' has an infinite value \(Infinity\) at row 1/.test(
            e.message,
          ),
      );
      const s = make().fit(clean);
      const negInf = [
        [1, 3],
        [Number.NEGATIVE_INFINITY, 4],
      ];
      assert.throws(
        () => s.transform(negInf),
        /\.transform cannot take infinite values: column 'x0'.*-Infinity\) at row 1/,
      );
      assert.throws(() => s.inverseTransform(negInf), /\.inverseTransform cannot take infinite values/);
      const t = new Table([numericColumn('x0', [1, 2]), numericColumn('x1', [3, Number.POSITIVE_INFINITY])]);
      assert.throws(() => s.transform(t), /column 'x1' has an infinite value \(Infinity\) at row 1/);
      // NaN stays a missing value.
      assert.ok(Number.isNaN(s.transform([[Number.NaN, 3]]).data[0]));
    });
  }
});
