/**
 * The Parzen estimator of TPE: a mixture of truncated normals (one per observation, plus a prior
 * component) over numeric parameters and a smoothed categorical distribution over choices —
 * Optuna 3.1's `_ParzenEstimator` (`optuna/samplers/_tpe/parzen_estimator.py`), with the same
 * bandwidths (distance to the neighbours, the "magic clip", no endpoints), prior and weights.
 *
 * Values are in internal form (categorical: the choice index); log distributions are modelled in
 * log space; integer and stepped float distributions use the probability mass of their grid cell.
 *
 * @module
 */

import type { Rng } from '../core/rng.ts';
import type { Distribution } from './space.ts';
import { logGaussMass, truncnormLogpdf, truncnormPpf } from './truncnorm.ts';

const EPS = 1e-12;
const SIGMA0_MAGNITUDE = 0.2;

/** Settings of the estimator (Optuna's `_ParzenEstimatorParameters`). */
export interface ParzenParameters {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Weight of each of `n` observations, oldest first. */
  weights: (n: number) => Float64Array;
  multivariate: boolean;
  /**
   * Use normalised kernel densities (with their 1/σ factor) for continuous parameters. Default
   * false: Optuna 3.1.0's form, which leaves the factor out — see `TPESamplerOptions`.
   */
  normalizedKernels?: boolean;
}

/** Optuna's `default_weights`: 1 for the 25 most recent observations, a linear ramp before them. */
export function defaultWeights(n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  if (n < 25) return new Float64Array(n).fill(1);
  const out = new Float64Array(n).fill(1);
  const num = n - 25;
  // np.linspace(1 / n, 1, num)
  if (num === 1) out[0] = 1 / n;
  else if (num > 1) {
    const start = 1 / n;
    const step = (1 - start) / (num - 1);
    for (let i = 0; i < num; i++) out[i] = i * step + start;
    out[num - 1] = 1;
  }
  return out;
}

/** Optuna's `default_gamma`: how many of `n` observations form the "good" group. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's `hyperopt_default_gamma`. */
export function hyperoptGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/** Round half to even, as NumPy's `np.round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function argsortStable(a: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: a.length }, (_, i) => i);
  return idx.sort((i, j) => a[i] - a[j] || i - j);
}

interface NumericParams {
  low: number;
  high: number;
  q: number | null;
  mus: Float64Array;
  sigmas: Float64Array;
}

/** A Parzen estimator over one or several parameters. */
export class ParzenEstimator {
  /** Mixture weights (observations, then the prior), summing to 1. */
  readonly weights: Float64Array;
  /** Per numeric parameter: bounds (in model space), grid step, component means and widths. */
  readonly numeric: Record<string, NumericParams> = {};
  /** Per categorical parameter: one row of choice probabilities per component. */
  readonly categorical: Record<string, Float64Array[]> = {};
  private readonly space: Record<string, Distribution>;
  private readonly names: string[];
  private readonly nObs: number;
  private readonly normalizedKernels: boolean;

  constructor(
    observations: Record<string, Float64Array>,
    space: Record<string, Distribution>,
    parameters: ParzenParameters,
    predeterminedWeights?: Float64Array,
  ) {
    this.space = space;
    this.names = Object.keys(space);
    this.nObs = observations[this.names[0]]?.length ?? 0;
    this.normalizedKernels = parameters.normalizedKernels ?? false;
    const n = this.nObs;
    const considerPrior = parameters.considerPrior || n === 0;
    this.weights = calculateWeights(n, considerPrior, parameters, predeterminedWeights);
    const sigmas0 = parameters.multivariate
      ? SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (this.names.length + 4))
      : null;
    for (const name of this.names) {
      const d = space[name];
      const obs = observations[name];
      if (d.type === 'categorical') {
        this.categorical[name] = categoricalParams(
          obs,
          d.choices.length,
          n,
          considerPrior,
          parameters.priorWeight,
        );
      } else {
        const { low, high, q } = parzenBounds(d);
        const x = d.log ? obs.map(Math.log) : obs;
        const { mus, sigmas } = numericalParams(x, low, high, n, considerPrior, parameters, sigmas0);
        this.numeric[name] = { low, high, q, mus, sigmas };
      }
    }
  }

  /** `size` samples (internal form) drawn from the mixture with `rng`. */
  sample(rng: Rng, size: number): Record<string, Float64Array> {
    const w = this.weights;
    // numpy's RandomState.choice(len(w), size, p=w): cdf search with side='right'.
    const cdf = new Float64Array(w.length);
    let acc = 0;
    for (let i = 0; i < w.length; i++) cdf[i] = acc += w[i];
    for (let i = 0; i < w.length; i++) cdf[i] /= acc;
    const active = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      const u = rng.random();
      let lo = 0;
      let hi = cdf.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] <= u) lo = mid + 1;
        else hi = mid;
      }
      active[s] = Math.min(lo, cdf.length - 1);
    }
    const out: Record<string, Float64Array> = {};
    for (const name of this.names) {
      const d = this.space[name];
      const samples = new Float64Array(size);
      if (d.type === 'categorical') {
        const rows = this.categorical[name];
        for (let s = 0; s < size; s++) {
          const u = rng.random();
          const p = rows[active[s]];
          let cum = 0;
          let k = 0;
          for (let c = 0; c < p.length; c++) {
            cum += p[c];
            if (cum < u) k++;
          }
          samples[s] = Math.min(k, p.length - 1);
        }
      } else {
        const { low, high, mus, sigmas } = this.numeric[name];
        for (let s = 0; s < size; s++) {
          const mu = mus[active[s]];
          const sigma = sigmas[active[s]];
          const q = rng.random();
          samples[s] = truncnormPpf(q, (low - mu) / sigma, (high - mu) / sigma) * sigma + mu;
        }
      }
      out[name] = fromModelSpace(d, samples);
    }
    return out;
  }

  /**
   * The log density (log mass for grid distributions) of each sample under the mixture. Parameters
   * missing from `samples` are marginalised out.
   */
  logPdf(samples: Record<string, Float64Array>): Float64Array {
    const names = this.names.filter((n) => Object.hasOwn(samples, n));
    const m = names.length ? samples[names[0]].length : 0;
    const k = this.weights.length;
    const comp = new Float64Array(m * k);
    for (const name of names) {
      const d = this.space[name];
      const x = samples[name];
      if (d.type === 'categorical') {
        const rows = this.categorical[name];
        for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) comp[i * k + j] += Math.log(rows[j][x[i]]);
        continue;
      }
      const { low, high, q, mus, sigmas } = this.numeric[name];
      const normalized = this.normalizedKernels;
      const accept = new Float64Array(k);
      if (q !== null)
        for (let j = 0; j < k; j++)
          accept[j] = logGaussMass((low - mus[j]) / sigmas[j], (high - mus[j]) / sigmas[j]);
      for (let i = 0; i < m; i++) {
        const v = d.log ? Math.log(x[i]) : x[i];
        for (let j = 0; j < k; j++) {
          const mu = mus[j];
          const sigma = sigmas[j];
          let lp: number;
          if (q === null)
            lp = truncnormLogpdf(v, (low - mu) / sigma, (high - mu) / sigma, mu, sigma, normalized);
          else {
            const upper = Math.min(v + q / 2, high);
            const lower = Math.max(v - q / 2, low);
            lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - accept[j];
          }
          comp[i * k + j] += lp;
        }
      }
    }
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const v = (comp[i * k + j] += Math.log(this.weights[j]));
        if (v > max) max = v;
      }
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp(comp[i * k + j] - max);
      out[i] = Math.log(s) + max;
    }
    return out;
  }

  /** The marginal log density (or log mass) of one parameter at one value. */
  logPdfOne(name: string, value: number): number {
    return this.logPdf({ [name]: Float64Array.of(value) })[0];
  }
}

function calculateWeights(
  n: number,
  considerPrior: boolean,
  p: ParzenParameters,
  predetermined: Float64Array | undefined,
): Float64Array {
  const w = predetermined ? predetermined.subarray(0, n) : p.weights(n).subarray(0, n);
  const out = new Float64Array(considerPrior ? n + 1 : n);
  out.set(w);
  if (considerPrior) out[n] = p.priorWeight;
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i];
  for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}

/** Bounds of the model space: log scale for log distributions, widened by half a step for grids. */
export function parzenBounds(d: Exclude<Distribution, { type: 'categorical' }>): {
  low: number;
  high: number;
  q: number | null;
} {
  if (d.type === 'float') {
    if (d.log) return { low: Math.log(d.low), high: Math.log(d.high), q: null };
    if (d.step !== null) return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
    return { low: d.low, high: d.high, q: null };
  }
  if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), q: null };
  return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
}

/** Samples from model space back to the distribution's values (rounded and clipped for grids). */
export function fromModelSpace(d: Distribution, s: Float64Array): Float64Array {
  if (d.type === 'categorical') return s;
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    let v = s[i];
    if (d.type === 'float') {
      if (d.log) v = Math.exp(v);
      else if (d.step !== null) {
        v = roundHalfEven((v - d.low) / d.step) * d.step + d.low;
        v = Math.min(Math.max(v, d.low), d.high);
      }
    } else if (d.log) {
      v = Math.min(Math.max(roundHalfEven(Math.exp(v)), d.low), d.high);
    } else {
      v = roundHalfEven((v - d.low) / d.step) * d.step + d.low;
      v = Math.min(Math.max(v, d.low), d.high);
    }
    out[i] = v;
  }
  return out;
}

function categoricalParams(
  obs: Float64Array,
  nChoices: number,
  n: number,
  considerPrior: boolean,
  priorWeight: number,
): Float64Array[] {
  const rows = considerPrior ? n + 1 : n;
  const value = considerPrior ? priorWeight / (n + 1) : priorWeight / n;
  const out: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Float64Array(nChoices).fill(value);
    if (r < n) row[Math.trunc(obs[r])] += 1;
    let s = 0;
    for (let c = 0; c < nChoices; c++) s += row[c];
    for (let c = 0; c < nChoices; c++) row[c] /= s;
    out.push(row);
  }
  return out;
}

function numericalParams(
  obs: Float64Array,
  low: number,
  high: number,
  n: number,
  considerPrior: boolean,
  p: ParzenParameters,
  sigmas0: number | null,
): { mus: Float64Array; sigmas: Float64Array } {
  const priorMu = 0.5 * (low + high);
  const priorSigma = 1.0 * (high - low);
  const mus = new Float64Array(considerPrior ? n + 1 : n);
  mus.set(obs.subarray(0, n));
  if (considerPrior) mus[n] = priorMu;
  const m = mus.length;
  let sigmas = new Float64Array(m);
  if (sigmas0 !== null) {
    sigmas.fill(sigmas0 * (high - low));
  } else {
    const order = argsortStable(mus);
    const ends = new Float64Array(m + 2);
    ends[0] = low;
    for (let i = 0; i < m; i++) ends[i + 1] = mus[order[i]];
    ends[m + 1] = high;
    const sorted = new Float64Array(m);
    for (let i = 0; i < m; i++) sorted[i] = Math.max(ends[i + 1] - ends[i], ends[i + 2] - ends[i + 1]);
    if (!p.considerEndpoints && ends.length >= 4) {
      sorted[0] = ends[2] - ends[1];
      sorted[m - 1] = ends[m] - ends[m - 1];
    }
    for (let i = 0; i < m; i++) sigmas[order[i]] = sorted[i];
  }
  const maxSigma = 1.0 * (high - low);
  const minSigma = p.considerMagicClip ? (1.0 * (high - low)) / Math.min(100.0, 1.0 + m) : EPS;
  sigmas = sigmas.map((s) => Math.min(Math.max(s, minSigma), maxSigma));
  if (considerPrior) sigmas[n] = priorSigma;
  return { mus, sigmas };
}
