import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { FanovaTree, fitRegressionTree, parameterImportance } from '../../src/select/importance.ts';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../src/select/space.ts';
import { newTrial } from '../../src/select/trial.ts';

const fx = JSON.parse(readFileSync(new URL('../fixtures/select/fanova.json', import.meta.url), 'utf8'));

describe("fANOVA tree decomposition matches Optuna's _FanovaTree on scikit-learn trees", () => {
  fx.trees.forEach((t: Record<string, number[]>, k: number) => {
    it(`tree ${k}: total variance and the marginal variance of each parameter`, () => {
      const tree = {
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        feature: Int32Array.from(t.feature),
        threshold: Float64Array.from(t.threshold),
        value: Float64Array.from(t.value),
      };
      const ft = new FanovaTree(tree, fx.spaces);
      const close = (a: number, e: number, what: string) =>
        assert.ok(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${what}: ${a} vs ${e}`);
      close(ft.variance, t.variance as unknown as number, 'variance');
      fx.groups.forEach((g: number[], j: number) =>
        close(ft.marginalVariance(g), t.marginal[j], `marginal ${g}`),
      );
    });
  });
});

describe('parameterImportance', () => {
  const space = {
    strong: floatDistribution(0, 1),
    weak: intDistribution(1, 10),
    noise: floatDistribution(-1, 1),
    kind: categoricalDistribution(['a', 'b', 'c']),
  };
  const rng = new Rng(8);
  const trials = Array.from({ length: 80 }, (_, i) => {
    const p = {
      strong: rng.random(),
      weak: 1 + rng.int(10),
      noise: rng.uniform(-1, 1),
      kind: ['a', 'b', 'c'][rng.int(3)],
    };
    const t = newTrial(i, p);
    t.state = 'complete';
    t.value = 4 * Math.sin(3 * p.strong) + 0.2 * p.weak + (p.kind === 'b' ? 1.5 : 0);
    return t;
  });

  it('ranks parameters by how much of the objective they explain, sums to 1, reproducible', () => {
    const imp = parameterImportance(trials, space, { nTrees: 16, seed: 1 });
    assert.deepEqual(Object.keys(imp), ['strong', 'kind', 'weak', 'noise']);
    assert.ok(Math.abs(Object.values(imp).reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(imp.strong > 0.5);
    assert.ok(imp.noise < 0.05);
    assert.deepEqual(parameterImportance(trials, space, { nTrees: 16, seed: 1 }), imp);
  });

  it('skips parameters missing from some trials (conditional), gives single-valued ones 0, and needs 2 trials', () => {
    const withCond = trials.map((t, i) => {
      const p = { ...t.params };
      if (i % 2) p.extra = 0.5;
      const n = newTrial(t.number, p);
      n.state = 'complete';
      n.value = t.value;
      return n;
    });
    const imp = parameterImportance(
      withCond,
      { ...space, extra: floatDistribution(0, 1, { when: { kind: ['a'] } }), fixed: floatDistribution(2, 2) },
      { nTrees: 4 },
    );
    assert.ok(!('extra' in imp));
    assert.throws(() => parameterImportance(trials.slice(0, 1), space), /at least 2 complete trials/);
  });

  it('the tree fits exactly on distinct rows (depth unbounded)', () => {
    const X = Float64Array.of(0, 1, 2, 3);
    const y = Float64Array.of(5, 1, 4, 2);
    const tree = fitRegressionTree(X, 1, y, new Float64Array(4).fill(1), new Rng(0), {
      maxDepth: 64,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
    });
    const predict = (x: number) => {
      let i = 0;
      while (tree.feature[i] >= 0) i = x <= tree.threshold[i] ? tree.left[i] : tree.right[i];
      return tree.value[i];
    };
    assert.deepEqual([0, 1, 2, 3].map(predict), [5, 1, 4, 2]);
  });
});
