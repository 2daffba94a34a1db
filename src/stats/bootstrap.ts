/**
 * Bootstrap confidence intervals, as `scipy.stats.bootstrap` (SciPy 1.10): resample the data
 * with replacement `nResamples` times (default 9999), recompute the statistic, and read the
 * interval off that distribution:
 *
 * - `percentile`: its α/2 and 1 − α/2 quantiles (linear interpolation, `np.percentile`);
 * - `basic`: the percentile interval reflected about the estimate, (2θ̂ − u, 2θ̂ − l);
 * - `bca` (default): Efron's bias-corrected and accelerated interval — the quantiles moved to
 *   Φ(ẑ₀ + (ẑ₀ + z_α)/(1 − â(ẑ₀ + z_α))), with the bias ẑ₀ = Φ⁻¹(share of the bootstrap
 *   distribution below θ̂, ties counted half) and the acceleration â from the jackknife
 *   (leave-one-out) values, summed over samples as SciPy does. It costs n extra evaluations of
 *   the statistic per sample; prefer `percentile` for very large data.
 *
 * Several samples are resampled independently, or — with `paired: true` — by row, together.
 * Resampling is seeded by the core {@link Rng} (`seed`, default 0): the same seed gives the same
 * interval. Missing values are not dropped here (the statistic sees the data as given).
 *
 * {@link bootstrapMetric} applies the same machinery to a model-evaluation metric
 * `(yTrue, yPred) => number`, resampling rows jointly.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { asRng, type Rng, type Seed } from '../core/rng.ts';
import { normalCdf, normalPpf } from './distributions.ts';
import { quantileSorted } from './quantile.ts';
import { checkChoice, checkLevel, checkNumber } from './validate.ts';

/** How the bootstrap interval is formed. */
export type BootstrapMethod = 'percentile' | 'basic' | 'bca';

/** Options of {@link bootstrapCI} and {@link bootstrapMetric}. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 9999). */
  nResamples?: number;
  /** Confidence level (default 0.95). */
  confidenceLevel?: number;
  /** 'bca' (default), 'percentile' or 'basic'. */
  method?: BootstrapMethod;
  /** Resample rows of all samples together (default false: each sample on its own). */
  paired?: boolean;
  /** Seed or generator (default 0). */
  seed?: Seed | Rng;
}

/** What a bootstrap returns. */
export interface BootstrapResult {
  /** The statistic on the original data. */
  estimate: number;
  /** The interval bounds. */
  lower: number;
  upper: number;
  confidenceLevel: number;
  method: BootstrapMethod;
  nResamples: number;
  /** Standard deviation (ddof 1) of the bootstrap distribution. */
  standardError: number;
  /** For BCa: the bias correction ẑ₀, the acceleration â and the adjusted quantile levels. */
  bca?: { z0: number; acceleration: number; alpha1: number; alpha2: number };
}

/** SciPy's `_percentile_of_score`: (count below + count at or below) / (2B). */
function percentileOfScore(sorted: Float64Array, score: number): number {
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] < score) below++;
    if (sorted[i] <= score) atOrBelow++;
  }
  return (below + atOrBelow) / (2 * sorted.length);
}

/**
 * The BCa quantile levels from the estimate, the bootstrap distribution and, per sample, the
 * jackknife (leave-one-out) values of the statistic — SciPy's `_bca_interval`.
 */
export function bcaLevels(
  estimate: number,
  bootstrap: ArrayLike<number>,
  jackknife: readonly ArrayLike<number>[],
  confidenceLevel: number,
): { z0: number; acceleration: number; alpha1: number; alpha2: number } {
  const sorted = Float64Array.from(bootstrap).sort();
  const z0 = normalPpf(percentileOfScore(sorted, estimate));
  let num = 0;
  let den = 0;
  for (const jk of jackknife) {
    const n = jk.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += jk[i];
    mean /= n;
    let s3 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = (n - 1) * (mean - jk[i]);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / n ** 3;
    den += s2 / n ** 2;
  }
  const acceleration = num / den ** 1.5 / 6;
  const alpha = (1 - confidenceLevel) / 2;
  const za = normalPpf(alpha);
  const n1 = z0 + za;
  const n2 = z0 - za;
  return {
    z0,
    acceleration,
    alpha1: normalCdf(z0 + n1 / (1 - acceleration * n1)),
    alpha2: normalCdf(z0 + n2 / (1 - acceleration * n2)),
  };
}

/**
 * The interval from a bootstrap distribution (and, for BCa, the jackknife values), as the last
 * step of `scipy.stats.bootstrap`. Exposed so the interval arithmetic can be checked on a given
 * bootstrap distribution.
 */
export function bootstrapInterval(
  estimate: number,
  bootstrap: ArrayLike<number>,
  options: {
    confidenceLevel?: number;
    method?: BootstrapMethod;
    jackknife?: readonly ArrayLike<number>[];
  } = {},
): BootstrapResult {
  const who = 'bootstrapInterval';
  const level = checkLevel(options.confidenceLevel, who);
  const method = checkChoice(options.method, ['percentile', 'basic', 'bca'] as const, 'method', who, 'bca');
  const sorted = Float64Array.from(bootstrap).sort();
  const B = sorted.length;
  let mean = 0;
  for (let i = 0; i < B; i++) mean += sorted[i];
  mean /= B;
  let ss = 0;
  for (let i = 0; i < B; i++) ss += (sorted[i] - mean) ** 2;
  const standardError = Math.sqrt(ss / (B - 1));
  const alpha = (1 - level) / 2;
  let lo = alpha;
  let hi = 1 - alpha;
  let bca: BootstrapResult['bca'];
  if (method === 'bca') {
    if (!options.jackknife) {
      throw new ValidationError(`${who}: method 'bca' needs the jackknife values.`, {
        field: 'jackknife',
        fix: "pass jackknife, or use method: 'percentile'",
      });
    }
    bca = bcaLevels(estimate, sorted, options.jackknife, level);
    lo = bca.alpha1;
    hi = bca.alpha2;
  }
  const q = (p: number) => (Number.isNaN(p) ? Number.NaN : quantileSorted(sorted, p));
  let lower = q(lo);
  let upper = q(hi);
  if (method === 'basic') {
    const l = 2 * estimate - upper;
    upper = 2 * estimate - lower;
    lower = l;
  }
  return {
    estimate,
    lower,
    upper,
    confidenceLevel: level,
    method,
    nResamples: B,
    standardError,
    ...(bca ? { bca } : {}),
  };
}

/**
 * The jackknife (leave-one-out) values of `statistic`, per sample as SciPy's BCa uses them: for
 * independent samples, each sample's observations are left out in turn with the others whole;
 * for paired samples, whole rows are left out.
 */
export function jackknifeValues(
  samples: readonly ArrayLike<number>[],
  statistic: (...samples: Float64Array[]) => number,
  paired = false,
): Float64Array[] {
  const data = samples.map((s) => Float64Array.from(s));
  if (paired) {
    const n = data[0].length;
    const jk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const loo = data.map((d) => {
        const out = new Float64Array(n - 1);
        out.set(d.subarray(0, i));
        out.set(d.subarray(i + 1), i);
        return out;
      });
      jk[i] = statistic(...loo);
    }
    return [jk];
  }
  return data.map((d, j) => {
    const n = d.length;
    const jk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const loo = new Float64Array(n - 1);
      loo.set(d.subarray(0, i));
      loo.set(d.subarray(i + 1), i);
      const args = data.map((x, k) => (k === j ? loo : x.slice()));
      jk[i] = statistic(...args);
    }
    return jk;
  });
}

function checkResamples(n: unknown, who: string): number {
  return checkNumber(n ?? 9999, 'nResamples', who, { min: 1, integer: true });
}

/**
 * Bootstrap confidence interval of `statistic` over one or more samples (see the module notes).
 *
 * @example bootstrapCI([[1, 4, 2, 8, 5, 7]], (x) => x.reduce((a, b) => a + b) / x.length, { seed: 1 })
 */
export function bootstrapCI(
  samples: readonly ArrayLike<number>[],
  statistic: (...samples: Float64Array[]) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const who = 'bootstrapCI';
  const method = checkChoice(options.method, ['percentile', 'basic', 'bca'] as const, 'method', who, 'bca');
  const level = checkLevel(options.confidenceLevel, who);
  const B = checkResamples(options.nResamples, who);
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new ValidationError(`${who}: pass the data as an array of samples, e.g. [x] or [x, y].`, {
      field: 'samples',
      fix: 'wrap a single sample in an array: [x]',
    });
  }
  if (typeof statistic !== 'function') {
    throw new ValidationError(`${who}: statistic must be a function of the samples.`, {
      field: 'statistic',
      fix: 'pass e.g. (x) => mean(x)',
    });
  }
  const data = samples.map((s) => Float64Array.from(s));
  data.forEach((d, j) => {
    if (d.length < 2) {
      throw new ValidationError(
        `${who}: sample ${j} has ${d.length} value(s); the bootstrap needs at least 2.`,
        { field: 'samples', fix: 'pass more observations' },
      );
    }
  });
  const paired = options.paired ?? false;
  if (paired && data.some((d) => d.length !== data[0].length)) {
    throw new ValidationError(
      `${who}: paired samples must have the same length; got ${data.map((d) => d.length).join(', ')}.`,
      {
        field: 'samples',
        fix: 'pass samples of equal length, or paired: false',
      },
    );
  }
  const rng = asRng(options.seed);
  const estimate = statistic(...data);
  const dist = new Float64Array(B);
  const bufs = data.map((d) => new Float64Array(d.length));
  for (let b = 0; b < B; b++) {
    if (paired) {
      const n = data[0].length;
      for (let i = 0; i < n; i++) {
        const k = rng.int(n);
        for (let j = 0; j < data.length; j++) bufs[j][i] = data[j][k];
      }
    } else {
      for (let j = 0; j < data.length; j++) {
        const d = data[j];
        const buf = bufs[j];
        for (let i = 0; i < d.length; i++) buf[i] = d[rng.int(d.length)];
      }
    }
    dist[b] = statistic(...bufs.map((x) => x.slice()));
  }
  const jackknife = method === 'bca' ? jackknifeValues(data, statistic, paired) : undefined;
  return bootstrapInterval(estimate, dist, { confidenceLevel: level, method, jackknife });
}

/** Rows `idx` of an array-like, keeping its kind (typed arrays stay typed). */
function takeRows<T>(a: ArrayLike<T>, idx: Int32Array): ArrayLike<T> {
  const Ctor = (a as unknown as { constructor: new (n: number) => ArrayLike<T> }).constructor;
  const out = ArrayBuffer.isView(a) ? (new Ctor(idx.length) as T[]) : new Array<T>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

/**
 * Bootstrap confidence interval of a model-evaluation metric: rows (yTrue[i], yPred[i]) are
 * resampled together; BCa's jackknife leaves one row out at a time. `yPred` may be labels,
 * scores or probabilities — whatever `metric` takes.
 *
 * @example bootstrapMetric(yTrue, yPred, (t, p) => accuracyScore(t, p), { nResamples: 2000 })
 */
export function bootstrapMetric<T, P>(
  yTrue: ArrayLike<T>,
  yPred: ArrayLike<P>,
  metric: (yTrue: ArrayLike<T>, yPred: ArrayLike<P>) => number,
  options: Omit<BootstrapOptions, 'paired'> = {},
): BootstrapResult {
  const who = 'bootstrapMetric';
  const method = checkChoice(options.method, ['percentile', 'basic', 'bca'] as const, 'method', who, 'bca');
  const level = checkLevel(options.confidenceLevel, who);
  const B = checkResamples(options.nResamples, who);
  const n = yTrue.length;
  if (yPred.length !== n) {
    throw new ValidationError(`${who}: yTrue has ${n} rows but yPred has ${yPred.length}.`, {
      field: 'yPred',
      fix: 'pass one prediction per row',
    });
  }
  if (n < 2)
    throw new ValidationError(`${who}: needs at least 2 rows; got ${n}.`, {
      field: 'yTrue',
      fix: 'pass more rows',
    });
  const rng = asRng(options.seed);
  const estimate = metric(yTrue, yPred);
  const dist = new Float64Array(B);
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    rng.fillInts(idx, n); // the draws of rng.int(n) for each row, in order
    dist[b] = metric(takeRows(yTrue, idx), takeRows(yPred, idx));
  }
  let jackknife: Float64Array[] | undefined;
  if (method === 'bca') {
    const jk = new Float64Array(n);
    const loo = new Int32Array(n - 1);
    for (let i = 0; i < n; i++) {
      for (let k = 0, m = 0; k < n; k++) if (k !== i) loo[m++] = k;
      jk[i] = metric(takeRows(yTrue, loo), takeRows(yPred, loo));
    }
    jackknife = [jk];
  }
  return bootstrapInterval(estimate, dist, { confidenceLevel: level, method, jackknife });
}
