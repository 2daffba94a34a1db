import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  type FlatTree,
  TREE_LEAF,
} from '../../../src/models/tree/index.ts';
import { oracleDataset } from './datasets.ts';

interface OracleTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  nNodeSamples: number[];
  impurity: number[];
  value: number[];
  featureImportances: number[];
}

interface TreeOracle {
  structures: {
    dataset: string;
    criterion: string;
    params: Record<string, number | string>;
    tree: OracleTree;
  }[];
  scores: { dataset: string; params: Record<string, number | string>; seeds: number; mean: number }[];
}

const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/models/tree/trees.json', import.meta.url), 'utf8'),
) as TreeOracle;

/** scikit-learn snake_case parameters → Lathe camelCase. */
function camel(params: Record<string, number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

function col(values: number[]): Matrix {
  return matrix(Float64Array.from(values), values.length, 1);
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

/**
 * Compares a fitted tree to scikit-learn's, node by node along the child pointers: row counts,
 * impurities, values and splits. Where the two chose different features — a tie in impurity
 * decrease, broken by each library's own random feature order — both children must have the
 * same row counts and impurities (equal improvement); the comparison then continues below only
 * if the two splits send every training row the same way. Returns the number of ties.
 */
function assertSameTree(t: FlatTree, o: OracleTree, label: string, Xtr: Matrix): number {
  const k = t.valueStride;
  let ties = 0;
  let compared = 0;
  const rowsOf = (rows: number[], f: number, thr: number) =>
    rows.filter((r) => Xtr.data[r * Xtr.cols + f] <= thr);
  const visit = (a: number, b: number, rows: number[]): void => {
    compared++;
    const at = `${label}: node ${a} (scikit-learn ${b})`;
    assert.equal(t.nNodeSamples[a], o.nNodeSamples[b], `${at}: rows`);
    assert.equal(rows.length, o.nNodeSamples[b], `${at}: rows reaching it`);
    close(t.impurity[a], o.impurity[b], 1e-9, `${at}: impurity`);
    for (let c = 0; c < k; c++) close(t.value[a * k + c], o.value[b * k + c], 1e-9, `${at}: value ${c}`);
    assert.equal(t.left[a] === TREE_LEAF, o.left[b] === -1, `${at}: leaf`);
    if (t.left[a] === TREE_LEAF) return;
    const [la, ra, lb, rb] = [t.left[a], t.right[a], o.left[b], o.right[b]];
    const left = rowsOf(rows, t.feature[a], t.threshold[a]);
    const right = rows.filter((r) => !left.includes(r));
    if (t.feature[a] === o.feature[b]) {
      assert.equal(t.threshold[a], o.threshold[b], `${at}: threshold`);
    } else {
      ties++;
      const ours = [
        [t.nNodeSamples[la], t.impurity[la]],
        [t.nNodeSamples[ra], t.impurity[ra]],
      ].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      const theirs = [
        [o.nNodeSamples[lb], o.impurity[lb]],
        [o.nNodeSamples[rb], o.impurity[rb]],
      ].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      for (let c = 0; c < 2; c++) {
        assert.equal(ours[c][0], theirs[c][0], `${at}: a different feature must be an exact tie (rows)`);
        close(ours[c][1], theirs[c][1], 1e-9, `${at}: a different feature must be an exact tie (impurity)`);
      }
      const skLeft = rowsOf(rows, o.feature[b], o.threshold[b]);
      if (skLeft.length !== left.length || skLeft.some((r, i) => r !== left[i])) return;
    }
    visit(la, lb, left);
    visit(ra, rb, right);
  };
  visit(
    0,
    0,
    Array.from({ length: Xtr.rows }, (_, i) => i),
  );
  assert.ok(compared >= Math.min(t.nodeCount, 7), `${label}: only ${compared} nodes compared`);
  return ties;
}

describe('DecisionTreeClassifier: hand-computed trees', () => {
  it('splits at the midpoint between consecutive distinct values (gini)', () => {
    const t = new DecisionTreeClassifier().fit(col([1, 2, 3, 4]), [0, 0, 1, 1]);
    const tree = t.tree_!;
    assert.equal(tree.nodeCount, 3);
    assert.equal(tree.feature[0], 0);
    assert.equal(tree.threshold[0], 2.5);
    assert.equal(tree.impurity[0], 0.5);
    assert.deepEqual([...tree.value], [2, 2, 2, 0, 0, 2]);
    assert.deepEqual([...t.predict(col([2.5, 2.6]))], [0, 1]);
  });

  it('picks the split with the lowest weighted gini, ignoring ties in X', () => {
    // x: 1 1 2 2 3 3, y: a a a b b b. Candidate thresholds 1.5 (gini 0.25·4/6 → 0.1667·… ) and 2.5.
    // 1.5: left {a,a} pure, right {a,b,b,b} gini 0.375 → weighted 0.25; 2.5: symmetric 0.25.
    // Both equal: the first position found wins (1.5, scanning upward).
    const X = col([1, 1, 2, 2, 3, 3]);
    const t = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, ['a', 'a', 'a', 'b', 'b', 'b']);
    assert.equal(t.tree_!.threshold[0], 1.5);
    // With x: 1 1 1 2 3 3 the only clean split is at 1.5.
    const t2 = new DecisionTreeClassifier({ maxDepth: 1 }).fit(col([1, 1, 1, 2, 3, 3]), [
      'a',
      'a',
      'a',
      'b',
      'b',
      'b',
    ]);
    assert.equal(t2.tree_!.threshold[0], 1.5);
    assert.equal(t2.tree_!.impurity[1], 0);
    assert.equal(t2.tree_!.impurity[2], 0);
  });

  it('uses log2 entropy as impurity with criterion entropy', () => {
    const t = new DecisionTreeClassifier({ criterion: 'entropy' }).fit(col([1, 2, 3, 4]), [0, 0, 0, 1]);
    close(t.tree_!.impurity[0], -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25)), 1e-15, 'root entropy');
    assert.equal(t.tree_!.threshold[0], 3.5);
  });

  it('chooses the best feature, and the higher-index one when only it separates', () => {
    const X = matrix(Float64Array.from([5, 1, 5, 2, 6, 3, 6, 4]), 4, 2);
    const t = new DecisionTreeClassifier().fit(X, [0, 0, 1, 1]);
    // Feature 0 (5 5 6 6) and feature 1 (1 2 3 4) both separate perfectly: a tie, decided by
    // the seeded feature order. Either way the split is clean.
    const f = t.tree_!.feature[0];
    assert.equal(t.tree_!.threshold[0], f === 0 ? 5.5 : 2.5);
    const X2 = matrix(Float64Array.from([5, 1, 6, 2, 5, 3, 6, 4]), 4, 2);
    const t2 = new DecisionTreeClassifier().fit(X2, [0, 0, 1, 1]);
    assert.equal(t2.tree_!.feature[0], 1);
    assert.equal(t2.tree_!.threshold[0], 2.5);
  });

  it('respects minSamplesLeaf, maxDepth and maxLeafNodes', () => {
    const X = col([1, 2, 3, 4, 5, 6, 7, 8]);
    const y = [0, 1, 0, 1, 0, 1, 0, 1];
    const full = new DecisionTreeClassifier().fit(X, y);
    assert.equal(full.getNLeaves(), 8);
    const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 3 }).fit(X, y);
    for (let i = 0; i < leafy.tree_!.nodeCount; i++) {
      if (leafy.tree_!.left[i] === TREE_LEAF) assert.ok(leafy.tree_!.nNodeSamples[i] >= 3);
    }
    assert.equal(new DecisionTreeClassifier({ maxDepth: 2 }).fit(X, y).getDepth(), 2);
    assert.equal(new DecisionTreeClassifier({ maxLeafNodes: 3 }).fit(X, y).getNLeaves(), 3);
  });

  it('treats integer sample weights as repeated rows and zero weights as absent rows', () => {
    const X = col([1, 2, 3, 4, 5]);
    const y = [0, 1, 1, 0, 1];
    const weighted = new DecisionTreeClassifier().fit(X, y, { sampleWeight: [1, 2, 0, 1, 1] });
    const repeated = new DecisionTreeClassifier().fit(col([1, 2, 2, 4, 5]), [0, 1, 1, 0, 1]);
    assert.deepEqual([...weighted.tree_!.threshold], [...repeated.tree_!.threshold]);
    assert.deepEqual([...weighted.tree_!.value], [...repeated.tree_!.value]);
    assert.deepEqual([...weighted.tree_!.weightedNNodeSamples], [...repeated.tree_!.weightedNNodeSamples]);
  });

  it("classWeight 'balanced' equals the matching sample weights", () => {
    const d = oracleDataset('wine');
    const counts = [0, 0, 0];
    for (const v of d.train.y) counts[v]++;
    const sw = d.train.y.map((v) => d.train.y.length / (3 * counts[v]));
    const a = new DecisionTreeClassifier({ classWeight: 'balanced', maxDepth: 4 }).fit(d.train.X, d.train.y);
    const b = new DecisionTreeClassifier({ maxDepth: 4 }).fit(d.train.X, d.train.y, { sampleWeight: sw });
    assert.deepEqual([...a.tree_!.threshold], [...b.tree_!.threshold]);
  });
});

describe('DecisionTreeRegressor: hand-computed trees', () => {
  it('minimises squared error and predicts leaf means', () => {
    // Thresholds 1.5 (SSE 10.67), 2.5 (SSE 8), 6.5 (SSE 0): 6.5 wins.
    const t = new DecisionTreeRegressor({ maxDepth: 1 }).fit(col([1, 2, 3, 10]), [1, 1, 1, 5]);
    assert.equal(t.tree_!.threshold[0], 6.5);
    assert.deepEqual([...t.predict(col([0, 7]))], [1, 5]);
    close(t.tree_!.impurity[0], 3, 1e-15, 'root variance'); // mean 2, squares 1+1+1+9 → 12/4
  });

  it('falls back to the next best split under minSamplesLeaf', () => {
    const t = new DecisionTreeRegressor({ maxDepth: 1, minSamplesLeaf: 2 }).fit(
      col([1, 2, 3, 10]),
      [1, 1, 1, 5],
    );
    assert.equal(t.tree_!.threshold[0], 2.5);
    assert.deepEqual([...t.predict(col([0, 7]))], [1, 3]);
  });
});

describe('decision trees match scikit-learn 1.2 node by node', () => {
  for (const s of oracle.structures) {
    it(`${s.dataset} ${s.criterion} ${JSON.stringify(s.params)}`, () => {
      const d = oracleDataset(s.dataset);
      const params = { ...camel(s.params), criterion: s.criterion };
      const t =
        d.task === 'classification'
          ? new DecisionTreeClassifier(params as never).fit(d.train.X, d.train.y)
          : new DecisionTreeRegressor(params as never).fit(d.train.X, d.train.y);
      const ties = assertSameTree(t.tree_!, s.tree, `${s.dataset}`, d.train.X);
      if (ties === 0) {
        assert.equal(t.tree_!.nodeCount, s.tree.feature.length);
        const imp = t.featureImportances_!;
        for (let j = 0; j < imp.length; j++)
          close(imp[j], s.tree.featureImportances[j], 1e-9, `importance ${j}`);
      }
    });
  }
});

describe('decision trees: weighted sums rounded as scikit-learn 1.2 rounds them', () => {
  // scikit-learn 1.2.1's trees (tree_.children_left, tree_.impurity). Its Criterion.update sums
  // a split's larger left side as the node's totals less the right rows; summed forward, Lathe
  // got an impurity of ~3e-16 (above the 2.2e-16 that makes a leaf) where scikit-learn has 0 or
  // less, or the reverse, and split a node scikit-learn left as a leaf (or the reverse).
  const cases = [
    {
      x: [4, 3, 0, 1, 5, 2],
      y: [1, 0, 0, 0, 1, 1],
      w: [0.8, 1.8, 2.1, 2.1, 1.1, 0.6],
      left: [1, 2, -1, 4, -1, -1, -1],
      impurity: [
        0.4152249134948097, 0.165289256198347, 0, 0.3749999999999998, 0, -2.220446049250313e-16,
        2.220446049250313e-16,
      ],
    },
    {
      x: [2, 3, 0, 6, 4, 1, 5],
      y: [1, 1, 1, 1, 0, 1, 0],
      w: [0.5, 0.4, 1.9, 2.1, 0.1, 1.8, 0.3],
      left: [1, 2, -1, -1, 5, -1, -1],
      impurity: [
        0.10632810950208293, 3.3306690738754696e-16, 0, 0, 0.26879999999999915, -6.661338147750939e-16, 0,
      ],
    },
  ];
  for (const [i, c] of cases.entries()) {
    it(`case ${i + 1}: the same nodes and impurities`, () => {
      const X = matrix(Float64Array.from(c.x), c.x.length, 1);
      const t = new DecisionTreeClassifier().fit(X, c.y, { sampleWeight: c.w }).tree_!;
      assert.deepEqual(Array.from(t.left), c.left);
      for (let j = 0; j < t.nodeCount; j++) {
        assert.ok(
          Math.abs(t.impurity[j] - c.impurity[j]) <= 1e-15,
          `node ${j}: ${t.impurity[j]} vs ${c.impurity[j]}`,
        );
      }
    });
  }
});

describe('decision trees: outputs, determinism and serialisation', () => {
  const d = oracleDataset('breast_cancer');

  it('predictProba rows sum to one and match apply + leaf class shares', () => {
    const t = new DecisionTreeClassifier({ maxDepth: 4 }).fit(d.train.X, d.train.y);
    const P = t.predictProba(d.test.X);
    assert.deepEqual(P.columns, ['0', '1']);
    const leaves = t.apply(d.test.X);
    for (let i = 0; i < P.rows; i++) {
      const v = t.tree_!.value;
      const a = v[leaves[i] * 2];
      const b = v[leaves[i] * 2 + 1];
      close(P.data[i * 2], a / (a + b), 1e-15, 'proba');
      close(P.data[i * 2] + P.data[i * 2 + 1], 1, 1e-15, 'row sum');
    }
    const imp = t.featureImportances_!;
    close(
      imp.reduce((s, v) => s + v, 0),
      1,
      1e-12,
      'importances sum',
    );
  });

  it('gives the same tree for the same seed and survives a JSON round trip', () => {
    const a = new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 3 }).fit(d.train.X, d.train.y);
    const b = new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 3 }).fit(d.train.X, d.train.y);
    assert.deepEqual(a.toJSON(), b.toJSON());
    const c = new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 4 }).fit(d.train.X, d.train.y);
    assert.notDeepEqual([...a.tree_!.feature], [...c.tree_!.feature]);
    const json = JSON.parse(JSON.stringify(encodePlain(a.toJSON() as never)));
    const back = estimatorFromJSON<DecisionTreeClassifier>(decodePlain(json) as never);
    assert.deepEqual(back.predictProba(d.test.X).data, a.predictProba(d.test.X).data);
    assert.deepEqual([...back.featureImportances_!], [...a.featureImportances_!]);
  });

  it('refuses a damaged saved tree', () => {
    const t = new DecisionTreeRegressor({ maxDepth: 2 }).fit(col([1, 2, 3, 4]), [1, 2, 3, 4]);
    const json = t.toJSON();
    const tree = (json.state as { tree: { left: Int32Array } }).tree;
    tree.left[0] = 0; // a cycle
    assert.throws(() => estimatorFromJSON(json), /malformed/);
  });
});

describe('decision trees: bad input', () => {
  const X = matrix(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 2, ['age', 'income']);

  it('names the column holding NaN and suggests an imputer', () => {
    const bad = matrix(Float64Array.from([1, 2, Number.NaN, 4, 5, 6]), 3, 2, ['age', 'income']);
    assert.throws(
      () => new DecisionTreeClassifier().fit(bad, [0, 1, 0]),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /'age'/);
        assert.match(e.message, /Imputer/);
        return true;
      },
    );
  });

  it('refuses predict before fit, wrong columns, one class, y length and non-numeric X', () => {
    assert.throws(() => new DecisionTreeClassifier().predict(X), NotFittedError);
    const t = new DecisionTreeClassifier().fit(X, [0, 1, 0]);
    assert.throws(() => t.predict(matrix(Float64Array.from([1, 2]), 1, 2, ['age', 'height'])), /income/);
    assert.throws(() => t.predict([[1, 2, 3]]), /3 columns/);
    assert.throws(() => new DecisionTreeClassifier().fit(X, [1, 1, 1]), /only 1 class/);
    assert.throws(() => new DecisionTreeRegressor().fit(X, [1, 2]), /y has 2 values but X has 3 rows/);
    assert.throws(
      () => new DecisionTreeClassifier().fit([[1], ['a' as unknown as number]], [0, 1]),
      /not a number/,
    );
  });

  it('checks parameters when fitting', () => {
    assert.throws(() => new DecisionTreeClassifier({ maxDepth: 0 }).fit(X, [0, 1, 0]), /maxDepth/);
    assert.throws(() => new DecisionTreeClassifier({ maxFeatures: 5 }).fit(X, [0, 1, 0]), /only 2 columns/);
    assert.throws(
      () => new DecisionTreeClassifier({ criterion: 'mse' as never }).fit(X, [0, 1, 0]),
      /criterion/,
    );
  });
});
