// Losses: baselines, gradients and hessians against hand-computed values (scikit-learn's half losses).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { HistGradientBoostingRegressor } from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import {
  makeLoss,
  median,
  weightedPercentile,
} from '../../../src/models/ensemble/hist-gradient-boosting/loss.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function gh(
  name: Parameters<typeof makeLoss>[0],
  y: number[],
  raw: number[],
  w: number[] | null = null,
  nClasses?: number,
) {
  const loss = makeLoss(name, { weighted: w !== null, nClasses });
  const Y = Float64Array.from(y);
  const R = Float64Array.from(raw);
  const W = w ? Float64Array.from(w) : null;
  loss.prepare?.(Y, W, R);
  const g = new Float64Array(R.length);
  const h = new Float64Array(R.length);
  loss.gradHess(Y, W, R, g, h);
  return { loss, g, h, Y, R, W };
}

describe('losses', () => {
  it('squared error: gradient raw − y, hessian 1 (or the weight); baseline the weighted mean', () => {
    const { g, h, loss, Y } = gh('squared_error', [1, 2, 6], [0, 3, 6], [1, 2, 3]);
    assert.deepEqual([...g], [-1, 2, 0]);
    assert.deepEqual([...h], [1, 2, 3]);
    close(loss.baseline(Y, Float64Array.of(1, 2, 3))[0], (1 + 4 + 18) / 6);
    assert.equal(makeLoss('squared_error', { weighted: false }).constantHessian, true);
  });

  it('absolute error: sign gradients, median baselines (numpy median, weighted lower percentile)', () => {
    const { g } = gh('absolute_error', [1, 2, 6], [0, 3, 6]);
    assert.deepEqual([...g], [-1, 1, -1]);
    assert.equal(median(Float64Array.of(4, 1, 3, 2)), 2.5);
    assert.equal(weightedPercentile(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 1, 1, 5), 50), 4);
    assert.equal(weightedPercentile(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 1, 1, 1), 50), 2);
  });

  it('Huber: residuals clipped at the quantile of |y − raw|', () => {
    // |r| = 1, 2, 3, 4, 100 → the 90 % weighted percentile is 100 (the lower one: cdf 4/5 < 4.5).
    const { g, loss } = gh('huber', [0, 0, 0, 0, 0], [1, -2, 3, -4, 100]);
    assert.equal((loss as unknown as { delta: number }).delta, 100);
    assert.deepEqual([...g], [1, -2, 3, -4, 100]);
    const q = makeLoss('huber', { weighted: false, huberQuantile: 0.5 });
    const R = Float64Array.of(1, -2, 3, -4, 100);
    const Y = new Float64Array(5);
    q.prepare!(Y, null, R);
    const g2 = new Float64Array(5);
    q.gradHess(Y, null, R, g2, new Float64Array(5));
    assert.deepEqual([...g2], [1, -2, 3, -3, 3]);
  });

  it('Poisson: gradient exp(raw) − y, hessian exp(raw); baseline log(mean)', () => {
    const { g, h, loss, Y } = gh('poisson', [1, 3], [0, Math.log(2)]);
    close(g[0], 0);
    close(g[1], -1);
    close(h[1], 2);
    close(loss.baseline(Y, null)[0], Math.log(2));
  });

  it('binary log loss: p − y and p(1 − p); baseline the log-odds of the mean', () => {
    const { g, h, loss, Y } = gh('log_loss', [1, 0, 0, 0], [0, Math.log(3), 0, 0]);
    close(g[0], -0.5);
    close(g[1], 0.75);
    close(h[1], 0.1875);
    close(loss.baseline(Y, null)[0], Math.log(0.25 / 0.75));
  });

  it("clips a binomial or Poisson baseline's mean 10·eps inside its range, as scikit-learn", () => {
    // sklearn's HalfBinomialLoss().fit_intercept_only([1, 1]) = 33.74106829612311 (eps was 2.2e-16:
    // 36.04); HalfPoissonLoss().fit_intercept_only([0, 3], sample_weight=[1, 0]) = −33.74….
    const bin = makeLoss('log_loss', { weighted: false });
    assert.equal(bin.baseline(Float64Array.of(1, 1), null)[0], 33.74106829612311);
    assert.equal(bin.baseline(Float64Array.of(0, 0), null)[0], -33.74106829612311);
    const poisson = makeLoss('poisson', { weighted: true });
    assert.equal(poisson.baseline(Float64Array.of(0, 3), Float64Array.of(1, 0))[0], -33.74106829612311);
  });

  it('multinomial log loss: softmax − one-hot; symmetric baseline', () => {
    const { g, h, loss, Y } = gh('log_loss', [0, 2], [0, 0, Math.log(2), 0, 0, 0], null, 3);
    // Row 0: raw (0, log 2, 0) → p = (1/4, 1/2, 1/4), class 0. Row 1: raw (0, 0, 0) → 1/3 each, class 2.
    close(g[0], 0.25 - 1);
    close(g[2], 0.5);
    close(g[4], 0.25);
    close(g[5], 1 / 3 - 1);
    close(h[2], 0.25);
    const b = loss.baseline(Y, null);
    close(b[0] + b[1] + b[2], 0);
    close(b[0] - b[2], 0);
  });

  it('Huber resists outliers that pull squared error away', () => {
    const rng = new Rng(1);
    const n = 400;
    const X = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i] = rng.random();
      y[i] = 2 * X[i] + (i % 20 === 0 ? 50 : 0) + 0.05 * rng.normal();
    }
    const m = matrix(X, n, 1);
    const p = { maxIter: 50, minSamplesLeaf: 30 } as const;
    const huber = new HistGradientBoostingRegressor({ ...p, loss: 'huber' }).fit(m, y).predict([[0.5]])[0];
    const sq = new HistGradientBoostingRegressor({ ...p, loss: 'squared_error' })
      .fit(m, y)
      .predict([[0.5]])[0];
    assert.ok(Math.abs(huber - 1) < Math.abs(sq - 1));
    assert.ok(Math.abs(huber - 1) < 0.6);
  });
});
