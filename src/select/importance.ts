/**
 * Hyperparameter importance by fANOVA (Hutter, Hoos & Leyton-Brown, 2014), as Optuna's
 * `FanovaImportanceEvaluator` computes it: a random forest is fitted to the trial table
 * (parameters → objective value) and, in each tree, the variance of the tree's prediction
 * explained by one parameter alone (its marginal, integrated over the others across the search
 * space) is divided by the tree's total variance; a parameter's importance is the mean of that
 * fraction over the trees, normalised so the importances sum to 1. Categorical parameters are
 * one-hot encoded and marginalised as a group.
 *
 * The forest is a small exact CART regressor (bootstrap rows, all features per split, squared
 * error) fitted here, so results are reproducible from the seed; the per-tree variance
 * decomposition is a port of Optuna's `_FanovaTree`.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { type Distribution, isSingle, type SearchSpace, toInternal } from './space.ts';
import type { TrialRecord } from './trial.ts';

/** A fitted regression tree as flat arrays (leaves have feature −1). */
export interface FanovaTreeArrays {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  value: Float64Array;
}

/** Options of {@link fitRegressionTree}. */
interface TreeOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

/**
 * Fits a CART regression tree on rows weighted by `w` (bootstrap counts): best squared-error split
 * over every feature (in a random order, so ties resolve by the seed), thresholds halfway between
 * neighbouring values.
 */
export function fitRegressionTree(
  X: Float64Array,
  d: number,
  y: Float64Array,
  w: Float64Array,
  rng: Rng,
  o: TreeOptions,
): FanovaTreeArrays {
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const value: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (w[i] > 0) rows.push(i);
  const grow = (idx: number[], depth: number): number => {
    const node = value.length;
    let sw = 0;
    let swy = 0;
    let swyy = 0;
    let count = 0;
    for (const i of idx) {
      sw += w[i];
      swy += w[i] * y[i];
      swyy += w[i] * y[i] * y[i];
      count += w[i];
    }
    const mean = swy / sw;
    left.push(-1);
    right.push(-1);
    feature.push(-1);
    threshold.push(-2);
    value.push(mean);
    const impurity = swyy / sw - mean * mean;
    if (
      depth >= o.maxDepth ||
      count < o.minSamplesSplit ||
      impurity <= Number.EPSILON * Math.max(1, mean * mean)
    ) {
      return node;
    }
    let best = { gain: 0, f: -1, t: 0 };
    const order = rng.permutation(d);
    const parentProxy = (swy * swy) / sw;
    for (const f of order) {
      const sorted = idx.slice().sort((a, b) => X[a * d + f] - X[b * d + f] || a - b);
      let lw = 0;
      let lwy = 0;
      let lc = 0;
      for (let k = 0; k < sorted.length - 1; k++) {
        const i = sorted[k];
        lw += w[i];
        lwy += w[i] * y[i];
        lc += w[i];
        const xv = X[i * d + f];
        const xn = X[sorted[k + 1] * d + f];
        if (xn <= xv + 1e-12 * Math.max(1, Math.abs(xv))) continue;
        if (lc < o.minSamplesLeaf || count - lc < o.minSamplesLeaf) continue;
        const rw = sw - lw;
        const rwy = swy - lwy;
        const proxy = (lwy * lwy) / lw + (rwy * rwy) / rw - parentProxy;
        if (proxy > best.gain + 1e-12 * Math.abs(parentProxy)) {
          let t = (xv + xn) / 2;
          if (t === xn) t = xv;
          best = { gain: proxy, f, t };
        }
      }
    }
    if (best.f < 0) return node;
    const l: number[] = [];
    const r: number[] = [];
    for (const i of idx) (X[i * d + best.f] <= best.t ? l : r).push(i);
    feature[node] = best.f;
    threshold[node] = best.t;
    left[node] = grow(l, depth + 1);
    right[node] = grow(r, depth + 1);
    return node;
  };
  grow(rows, 0);
  return {
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    value: Float64Array.from(value),
  };
}

function cardinality(space: Float64Array): number {
  let c = 1;
  for (let j = 0; j < space.length; j += 2) c *= space[j + 1] - space[j];
  return c;
}

/** The fANOVA decomposition of one tree over a box search space (Optuna's `_FanovaTree`). */
export class FanovaTree {
  private readonly tree: FanovaTreeArrays;
  private readonly spaces: Float64Array;
  private readonly d: number;
  private readonly stats: Float64Array;
  private readonly midpoints: Float64Array[];
  private readonly sizes: Float64Array[];
  private readonly active: Uint8Array;
  /** Each leaf's box (`[low, high]` per feature) and cardinality. */
  private readonly leaves: { node: number; box: Float64Array; card: number }[] = [];
  private variance_: number | null = null;

  /** @param spaces - `[low, high]` of each feature. */
  constructor(tree: FanovaTreeArrays, spaces: readonly (readonly [number, number])[]) {
    this.tree = tree;
    this.d = spaces.length;
    this.spaces = Float64Array.from(spaces.flat());
    const n = tree.feature.length;
    // Statistics: per node the average leaf value over its subspace and the subspace's size.
    this.stats = new Float64Array(2 * n);
    const sub: (Float64Array | null)[] = new Array(n).fill(null);
    sub[0] = this.spaces.slice();
    for (let i = 0; i < n; i++) {
      const s = sub[i]!;
      if (tree.feature[i] < 0) {
        this.stats[2 * i] = tree.value[i];
        this.stats[2 * i + 1] = cardinality(s);
        this.leaves.push({ node: i, box: s, card: this.stats[2 * i + 1] });
      } else {
        const [ls, rs] = this.childSpaces(i, s);
        sub[tree.left[i]] = ls;
        sub[tree.right[i]] = rs;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      if (tree.feature[i] < 0) continue;
      const a = tree.left[i];
      const b = tree.right[i];
      const wa = this.stats[2 * a + 1];
      const wb = this.stats[2 * b + 1];
      this.stats[2 * i] = (this.stats[2 * a] * wa + this.stats[2 * b] * wb) / (wa + wb);
      this.stats[2 * i + 1] = wa + wb;
    }
    // Split midpoints and sizes per feature.
    const splits: Set<number>[] = Array.from({ length: this.d }, () => new Set());
    for (let i = 0; i < n; i++) if (tree.feature[i] >= 0) splits[tree.feature[i]].add(tree.threshold[i]);
    this.midpoints = [];
    this.sizes = [];
    for (let f = 0; f < this.d; f++) {
      const v = [this.spaces[2 * f], ...[...splits[f]].sort((a, b) => a - b), this.spaces[2 * f + 1]];
      this.midpoints.push(Float64Array.from({ length: v.length - 1 }, (_, k) => 0.5 * (v[k + 1] + v[k])));
      this.sizes.push(Float64Array.from({ length: v.length - 1 }, (_, k) => v[k + 1] - v[k]));
    }
    // Features split on anywhere in each node's subtree.
    this.active = new Uint8Array(n * this.d);
    for (let i = n - 1; i >= 0; i--) {
      const f = tree.feature[i];
      if (f < 0) continue;
      this.active[i * this.d + f] = 1;
      for (const c of [tree.left[i], tree.right[i]]) {
        for (let j = 0; j < this.d; j++) this.active[i * this.d + j] |= this.active[c * this.d + j];
      }
    }
  }

  private childSpaces(i: number, s: Float64Array): [Float64Array, Float64Array] {
    const f = this.tree.feature[i];
    const t = this.tree.threshold[i];
    const l = s.slice();
    const r = s.slice();
    l[2 * f + 1] = t;
    r[2 * f] = t;
    return [l, r];
  }

  /** The variance of the tree's prediction over the whole search space. */
  get variance(): number {
    if (this.variance_ === null) {
      let sw = 0;
      let swv = 0;
      const n = this.tree.feature.length;
      for (let i = 0; i < n; i++) {
        if (this.tree.feature[i] >= 0) continue;
        sw += this.stats[2 * i + 1];
        swv += this.stats[2 * i + 1] * this.stats[2 * i];
      }
      const mean = swv / sw;
      let v = 0;
      for (let i = 0; i < n; i++) {
        if (this.tree.feature[i] >= 0) continue;
        v += this.stats[2 * i + 1] * (this.stats[2 * i] - mean) ** 2;
      }
      this.variance_ = v / sw;
    }
    return this.variance_;
  }

  /** The variance of the marginal prediction over `features` (the others integrated out). */
  marginalVariance(features: readonly number[]): number {
    if (features.length === 1) return this.marginalVarianceOne(features[0]);
    const values: number[] = [];
    const weights: number[] = [];
    const sample = new Float64Array(this.d).fill(Number.NaN);
    const walk = (k: number, size: number): void => {
      if (k === features.length) {
        const [value, weight] = this.marginalized(sample);
        values.push(value);
        weights.push(weight * size);
        return;
      }
      const f = features[k];
      const mids = this.midpoints[f];
      for (let m = 0; m < mids.length; m++) {
        sample[f] = mids[m];
        walk(k + 1, size * this.sizes[f][m]);
      }
      sample[f] = Number.NaN;
    };
    walk(0, 1);
    let sw = 0;
    let swv = 0;
    for (let i = 0; i < values.length; i++) {
      sw += weights[i];
      swv += weights[i] * values[i];
    }
    const mean = swv / sw;
    let v = 0;
    for (let i = 0; i < values.length; i++) v += weights[i] * (values[i] - mean) ** 2;
    return v / sw;
  }

  /**
   * One feature: the marginal at a midpoint averages the leaves whose interval on the feature holds
   * it, each weighted by its box's volume over the other features — what the traversal of
   * {@link FanovaTree.marginalized} sums, computed leaf by leaf instead of tree walk by tree walk
   * (O(leaves × midpoints) without allocation, against one walk per midpoint).
   */
  private marginalVarianceOne(f: number): number {
    const mids = this.midpoints[f];
    const sizes = this.sizes[f];
    const m = mids.length;
    const sw = new Float64Array(m);
    const swv = new Float64Array(m);
    for (const leaf of this.leaves) {
      const lo = leaf.box[2 * f];
      const hi = leaf.box[2 * f + 1];
      const w = leaf.card / (hi - lo);
      const v = this.stats[2 * leaf.node];
      // Midpoints are sorted; find the first inside (lo, hi).
      let a = 0;
      let b = m;
      while (a < b) {
        const c = (a + b) >> 1;
        if (mids[c] <= lo) a = c + 1;
        else b = c;
      }
      for (let k = a; k < m && mids[k] < hi; k++) {
        sw[k] += w;
        swv[k] += w * v;
      }
    }
    let tw = 0;
    let twv = 0;
    const value = new Float64Array(m);
    const weight = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      value[k] = swv[k] / sw[k];
      weight[k] = sw[k] * sizes[k];
      tw += weight[k];
      twv += weight[k] * value[k];
    }
    const mean = twv / tw;
    let v = 0;
    for (let k = 0; k < m; k++) v += weight[k] * (value[k] - mean) ** 2;
    return v / tw;
  }

  private marginalized(x: Float64Array): [number, number] {
    const base = this.spaces.slice();
    for (let f = 0; f < this.d; f++) {
      if (Number.isNaN(x[f])) {
        base[2 * f] = 0;
        base[2 * f + 1] = 1;
      }
    }
    const stackNodes = [0];
    const stackSpaces: Float64Array[] = [base];
    const nodes: number[] = [];
    const cards: number[] = [];
    const t = this.tree;
    while (stackNodes.length) {
      const i = stackNodes.pop()!;
      const s = stackSpaces.pop()!;
      const f = t.feature[i];
      if (f >= 0) {
        if (!Number.isNaN(x[f])) {
          const [ls, rs] = this.childSpaces(i, s);
          if (x[f] <= t.threshold[i]) {
            stackNodes.push(t.left[i]);
            stackSpaces.push(ls);
          } else {
            stackNodes.push(t.right[i]);
            stackSpaces.push(rs);
          }
          continue;
        }
        let activeBelow = false;
        for (let j = 0; j < this.d; j++) {
          if (!Number.isNaN(x[j]) && this.active[i * this.d + j]) {
            activeBelow = true;
            break;
          }
        }
        if (activeBelow) {
          stackNodes.push(t.left[i], t.right[i]);
          stackSpaces.push(s, s);
          continue;
        }
      }
      nodes.push(i);
      cards.push(cardinality(s));
    }
    let sw = 0;
    let swv = 0;
    for (let k = 0; k < nodes.length; k++) {
      const w = this.stats[2 * nodes[k] + 1] / cards[k];
      sw += w;
      swv += w * this.stats[2 * nodes[k]];
    }
    return [swv / sw, sw];
  }
}

/** Options of {@link parameterImportance}. */
export interface ImportanceOptions {
  /** Trees in the forest (default 64, as Optuna). */
  nTrees?: number;
  /** Maximum depth (default 64). */
  maxDepth?: number;
  /** Seed of the bootstrap and feature order (default 0). */
  seed?: number;
  /** Only these parameters (default: those every complete trial has). */
  params?: readonly string[];
}

/**
 * fANOVA importance of each parameter over the complete trials: a record, sorted from most to
 * least important, summing to 1 (parameters with a single possible value get 0). Needs at least
 * two complete trials with different values.
 *
 * @example
 * const imp = parameterImportance(result.trials, space); // { learningRate: 0.62, maxLeafNodes: 0.21, … }
 */
export function parameterImportance(
  trials: readonly TrialRecord[],
  space: SearchSpace,
  options: ImportanceOptions = {},
): Record<string, number> {
  const complete = trials.filter(
    (t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value),
  );
  const names = (
    options.params ?? Object.keys(space).filter((n) => complete.every((t) => Object.hasOwn(t.params, n)))
  ).filter((n) => {
    if (!Object.hasOwn(space, n)) {
      throw new ValidationError(`parameterImportance: '${n}' is not in the search space.`, {
        field: 'params',
      });
    }
    return true;
  });
  const varying = names.filter((n) => !isSingle(space[n]));
  const single = names.filter((n) => isSingle(space[n]));
  if (varying.length === 0) return Object.fromEntries(single.map((n) => [n, 0]));
  const rows = complete.filter((t) => varying.every((n) => Object.hasOwn(t.params, n)));
  if (rows.length < 2) {
    throw new ValidationError(
      `parameterImportance needs at least 2 complete trials with every parameter; got ${rows.length}.`,
      { fix: 'run more trials' },
    );
  }
  // Encode: numeric parameters as their values (bounds [low, high]); categoricals one-hot.
  const groups: number[][] = [];
  const bounds: [number, number][] = [];
  for (const n of varying) {
    const d: Distribution = space[n];
    if (d.type === 'categorical') {
      groups.push(d.choices.map((_, k) => bounds.length + k));
      for (let k = 0; k < d.choices.length; k++) bounds.push([0, 1]);
    } else {
      groups.push([bounds.length]);
      bounds.push([d.low, d.high]);
    }
  }
  const dd = bounds.length;
  const m = rows.length;
  const X = new Float64Array(m * dd);
  const y = new Float64Array(m);
  rows.forEach((t, i) => {
    y[i] = t.value!;
    varying.forEach((n, g) => {
      const d = space[n];
      const v = toInternal(d, t.params[n]);
      if (d.type === 'categorical') X[i * dd + groups[g][v]] = 1;
      else X[i * dd + groups[g][0]] = v;
    });
  });
  const nTrees = options.nTrees ?? 64;
  const maxDepth = options.maxDepth ?? 64;
  const rng = new Rng(options.seed ?? 0);
  const sums = new Float64Array(varying.length);
  let counted = 0;
  for (let k = 0; k < nTrees; k++) {
    const r = rng.derive(k);
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) w[r.int(m)]++;
    const tree = fitRegressionTree(X, dd, y, w, r, { maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1 });
    const ft = new FanovaTree(tree, bounds);
    const total = ft.variance;
    if (!(total > 0)) continue;
    counted++;
    groups.forEach((g, j) => {
      sums[j] += Math.max(0, ft.marginalVariance(g)) / total;
    });
  }
  const out: [string, number][] = [];
  let s = 0;
  for (let j = 0; j < varying.length; j++) s += sums[j] / Math.max(counted, 1);
  varying.forEach((n, j) => out.push([n, counted && s > 0 ? sums[j] / counted / s : 0]));
  for (const n of single) out.push([n, 0]);
  out.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(out);
}
