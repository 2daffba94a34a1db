/**
 * Losses of histogram gradient boosting, as scikit-learn's `sklearn._loss` "half" losses: the
 * baseline (best constant raw prediction), per-row gradients and hessians with respect to the raw
 * prediction, the mean loss (for early stopping), and the inverse link.
 *
 * Layout: with `K` trees per iteration (K = number of classes for multiclass, else 1), raw
 * predictions, gradients and hessians are class-major: entry (row i, class k) is at `k * n + i`.
 *
 * @module
 */

import { reduceSum } from '../../../core/pairwise-sum.ts';

/** Names of the losses. */
export type LossName = 'log_loss' | 'squared_error' | 'absolute_error' | 'huber' | 'poisson';

/** A loss, specialised for K raw outputs per row. */
export interface Loss {
  readonly name: LossName;
  /** Raw outputs per row (trees per iteration). */
  readonly nTrees: number;
  /** True when every hessian is 1 (no sample weights and a loss whose hessian is constant). */
  readonly constantHessian: boolean;
  /** True when leaf values are replaced by a statistic of the residuals (absolute error). */
  readonly updateLeaves: boolean;
  /** Best constant raw prediction(s), one per tree per iteration. */
  baseline(y: Float64Array, w: Float64Array | null): Float64Array;
  /** Called once per iteration before `gradHess` (Huber recomputes its δ here). */
  prepare?(y: Float64Array, w: Float64Array | null, raw: Float64Array): void;
  /** Fills gradients and hessians (class-major, weighted by `w`). */
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void;
  /** Weighted mean loss. */
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number;
  /** Leaf value from residuals y − raw (only when `updateLeaves`). */
  leafValue?(residuals: Float64Array, w: Float64Array | null): number;
}

const EPS = 2.220446049250313e-16;
/**
 * Clip of a binomial or Poisson baseline's mean: scikit-learn's `BaseLoss.fit_intercept_only` keeps
 * the mean `10 · eps` inside an open interval of y_pred ((0, 1), (0, ∞)); the multinomial loss's own
 * `fit_intercept_only` clips each class's share at `eps`.
 */
const BASELINE_EPS = 10 * EPS;

/**
 * `np.average(y, weights=w)`, as scikit-learn's `fit_intercept_only` takes it: NumPy's sums of
 * w·y and of w (pairwise, in blocks of 8192 — {@link reduceSum}), then one division. A left-to-right
 * sum can differ in the last bit, and the log-odds of a mean close to 1 magnify that bit by
 * 1 / (1 − p) (a weighted binary baseline was 3.6e-5 off).
 */
function weightedMean(y: Float64Array, w: Float64Array | null): number {
  if (!w) return reduceSum(y) / y.length;
  const wy = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) wy[i] = y[i] * w[i];
  return reduceSum(wy) / reduceSum(w);
}

/**
 * The weighted mean loss as scikit-learn's `BaseLoss.__call__` takes it: `np.average` of the
 * per-row losses `loss(i)` — NumPy's sums ({@link reduceSum}) of loss·w and of w, or of the losses
 * over n. A left-to-right sum of w·loss differs in the last bit, which decides early stopping when
 * `tol` is 0.
 */
function averageLoss(n: number, w: Float64Array | null, loss: (i: number) => number): number {
  const l = new Float64Array(n);
  for (let i = 0; i < n; i++) l[i] = w ? loss(i) * w[i] : loss(i);
  return reduceSum(l) / (w ? reduceSum(w) : n);
}

/** numpy's `median` (mean of the two middle values for an even count). */
export function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return 0;
  const m = n >> 1;
  return n % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** scikit-learn's `_weighted_percentile` (the lower weighted percentile, no interpolation). */
export function weightedPercentile(values: Float64Array, w: Float64Array, percentile: number): number {
  const n = values.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += w[idx[k]];
    cdf[k] = acc;
  }
  let target = (percentile / 100) * cdf[n - 1];
  if (target === 0) target = Number.MIN_VALUE;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return values[idx[Math.min(lo, n - 1)]];
}

function medianOf(values: Float64Array, w: Float64Array | null): number {
  return w ? weightedPercentile(values, w, 50) : median(values);
}

/** log(1 + exp(x)) without overflow (scikit-learn's `log1pexp`). */
export function log1pexp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= -2) return Math.log1p(Math.exp(x));
  if (x <= 18) return Math.log(1 + Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/** The logistic function. */
export function expit(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

class SquaredError implements Loss {
  readonly name = 'squared_error' as const;
  readonly nTrees = 1;
  readonly updateLeaves = false;
  constructor(readonly constantHessian: boolean) {}
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    return Float64Array.of(weightedMean(y, w));
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    const n = y.length;
    if (w) {
      for (let i = 0; i < n; i++) {
        g[i] = w[i] * (raw[i] - y[i]);
        h[i] = w[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        g[i] = raw[i] - y[i];
        h[i] = 1;
      }
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    return averageLoss(y.length, w, (i) => 0.5 * (raw[i] - y[i]) * (raw[i] - y[i]));
  }
}

class AbsoluteError implements Loss {
  readonly name = 'absolute_error' as const;
  readonly nTrees = 1;
  readonly updateLeaves = true;
  constructor(readonly constantHessian: boolean) {}
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    return Float64Array.of(medianOf(y, w));
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    for (let i = 0; i < y.length; i++) {
      const s = y[i] < raw[i] ? 1 : -1;
      const wi = w ? w[i] : 1;
      g[i] = wi * s;
      h[i] = wi;
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    return averageLoss(y.length, w, (i) => Math.abs(raw[i] - y[i]));
  }
  leafValue(residuals: Float64Array, w: Float64Array | null): number {
    return medianOf(residuals, w);
  }
}

/**
 * Huber loss with an adaptive δ: at each iteration δ is the `quantile` (default 0.9) weighted
 * quantile of |y − raw| (as scikit-learn's `GradientBoostingRegressor(loss="huber")`). Gradients
 * are the residuals clipped to ±δ and hessians are 1 (as LightGBM), so a leaf is the mean clipped
 * residual.
 */
class Huber implements Loss {
  readonly name = 'huber' as const;
  readonly nTrees = 1;
  readonly updateLeaves = false;
  delta = 1;
  constructor(
    readonly constantHessian: boolean,
    readonly quantile: number,
  ) {}
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    return Float64Array.of(medianOf(y, w));
  }
  prepare(y: Float64Array, w: Float64Array | null, raw: Float64Array): void {
    const r = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) r[i] = Math.abs(y[i] - raw[i]);
    const d = weightedPercentile(r, w ?? new Float64Array(y.length).fill(1), this.quantile * 100);
    this.delta = d > 0 ? d : Number.MIN_VALUE;
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    const d = this.delta;
    for (let i = 0; i < y.length; i++) {
      let r = raw[i] - y[i];
      if (r > d) r = d;
      else if (r < -d) r = -d;
      const wi = w ? w[i] : 1;
      g[i] = wi * r;
      h[i] = wi;
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    const d = this.delta;
    let s = 0;
    let sw = 0;
    for (let i = 0; i < y.length; i++) {
      const a = Math.abs(raw[i] - y[i]);
      const wi = w ? w[i] : 1;
      s += wi * (a <= d ? 0.5 * a * a : d * (a - 0.5 * d));
      sw += wi;
    }
    return s / sw;
  }
}

class Poisson implements Loss {
  readonly name = 'poisson' as const;
  readonly nTrees = 1;
  readonly constantHessian = false;
  readonly updateLeaves = false;
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    return Float64Array.of(Math.log(Math.max(weightedMean(y, w), BASELINE_EPS)));
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    for (let i = 0; i < y.length; i++) {
      const e = Math.exp(raw[i]);
      const wi = w ? w[i] : 1;
      g[i] = wi * (e - y[i]);
      h[i] = wi * e;
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    return averageLoss(y.length, w, (i) => Math.exp(raw[i]) - y[i] * raw[i]);
  }
}

class BinaryLogLoss implements Loss {
  readonly name = 'log_loss' as const;
  readonly nTrees = 1;
  readonly constantHessian = false;
  readonly updateLeaves = false;
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    let p = weightedMean(y, w);
    p = Math.min(Math.max(p, BASELINE_EPS), 1 - BASELINE_EPS);
    return Float64Array.of(Math.log(p / (1 - p)));
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    const n = y.length;
    for (let i = 0; i < n; i++) {
      const r = raw[i];
      const yi = y[i];
      let gi: number;
      let hi: number;
      if (r > -37) {
        const e = Math.exp(-r);
        const d = 1 + e;
        gi = (1 - yi - yi * e) / d;
        hi = e / (d * d);
      } else {
        const e = Math.exp(r);
        gi = e - yi;
        hi = e;
      }
      if (w) {
        g[i] = w[i] * gi;
        h[i] = w[i] * hi;
      } else {
        g[i] = gi;
        h[i] = hi;
      }
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    return averageLoss(y.length, w, (i) => log1pexp(raw[i]) - y[i] * raw[i]);
  }
}

class MultinomialLogLoss implements Loss {
  readonly name = 'log_loss' as const;
  readonly constantHessian = false;
  readonly updateLeaves = false;
  constructor(readonly nTrees: number) {}
  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    // scikit-learn: p_k = np.average(y == k, weights=w) clipped to [eps, 1 − eps], then the
    // symmetric multinomial logit log(p_k / gmean(p)), gmean = exp(np.mean(log p)).
    const K = this.nTrees;
    const n = y.length;
    const p = new Float64Array(K);
    if (w) {
      const wk = new Float64Array(n);
      const sw = reduceSum(w);
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) wk[i] = y[i] === k ? w[i] : 0;
        p[k] = reduceSum(wk) / sw;
      }
    } else {
      for (let i = 0; i < n; i++) p[y[i]]++;
      for (let k = 0; k < K; k++) p[k] /= n;
    }
    const logP = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      p[k] = Math.min(Math.max(p[k], EPS), 1 - EPS);
      logP[k] = Math.log(p[k]);
    }
    const gmean = Math.exp(reduceSum(logP) / K);
    for (let k = 0; k < K; k++) p[k] = Math.log(p[k] / gmean);
    return p;
  }
  gradHess(
    y: Float64Array,
    w: Float64Array | null,
    raw: Float64Array,
    g: Float64Array,
    h: Float64Array,
  ): void {
    const K = this.nTrees;
    const n = y.length;
    const e = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      let max = raw[i];
      for (let k = 1; k < K; k++) if (raw[k * n + i] > max) max = raw[k * n + i];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        e[k] = Math.exp(raw[k * n + i] - max);
        sum += e[k];
      }
      const wi = w ? w[i] : 1;
      const yi = y[i];
      for (let k = 0; k < K; k++) {
        const p = e[k] / sum;
        g[k * n + i] = wi * (p - (yi === k ? 1 : 0));
        h[k * n + i] = wi * p * (1 - p);
      }
    }
  }
  meanLoss(y: Float64Array, w: Float64Array | null, raw: Float64Array): number {
    const K = this.nTrees;
    const n = y.length;
    return averageLoss(n, w, (i) => {
      let max = raw[i];
      for (let k = 1; k < K; k++) if (raw[k * n + i] > max) max = raw[k * n + i];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(raw[k * n + i] - max);
      return Math.log(sum) + max - raw[y[i] * n + i];
    });
  }
}

/** Builds the loss for a task. `nClasses` > 2 selects the multinomial log loss. */
export function makeLoss(
  name: LossName,
  opts: { nClasses?: number; weighted: boolean; huberQuantile?: number },
): Loss {
  switch (name) {
    case 'log_loss':
      return (opts.nClasses ?? 2) > 2 ? new MultinomialLogLoss(opts.nClasses!) : new BinaryLogLoss();
    case 'squared_error':
      return new SquaredError(!opts.weighted);
    case 'absolute_error':
      return new AbsoluteError(!opts.weighted);
    case 'huber':
      return new Huber(!opts.weighted, opts.huberQuantile ?? 0.9);
    case 'poisson':
      return new Poisson();
  }
}
