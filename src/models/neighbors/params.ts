/**
 * Parameters and helpers shared by the k-nearest-neighbour classifier and regressor.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { asMatrix, type Matrix, type MatrixInput } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { checkInt, damagedState, FINITE, readVector } from '../../core/saved-state.ts';
import type { NeighborMetric } from './distance.ts';
import { type KNeighborsResult, type NeighborAlgorithm, NeighborIndex } from './search.ts';

/** The parameter table of both k-NN models. */
export const neighborsSchema = {
  nNeighbors: p.int({ min: 1, default: 5, doc: 'number of neighbours k' }),
  weights: p.oneOf(['uniform', 'distance'] as const, {
    default: 'uniform',
    doc: "'uniform' votes, or 'distance' (weight 1/d; exact matches win outright)",
  }),
  algorithm: p.oneOf(['auto', 'brute', 'kd_tree'] as const, {
    default: 'auto',
    doc: "'brute', 'kd_tree', or 'auto' (KD-tree for ≤ 15 features and k < n/2)",
  }),
  leafSize: p.int({ min: 1, default: 30, doc: 'KD-tree leaf size (speed only; results do not change)' }),
  metric: p.oneOf(['minkowski', 'euclidean', 'manhattan'] as const, {
    default: 'minkowski',
    doc: "'minkowski' (with p), 'euclidean' or 'manhattan'",
  }),
  p: p.oneOf([1, 2] as const, { default: 2, doc: 'Minkowski power: 2 = Euclidean, 1 = Manhattan' }),
  nThreads: p.nullable(p.int({ min: 1 }), {
    default: null,
    doc: 'worker threads for large brute-force searches (null = all cores)',
  }),
};

/** Parameters of the k-NN models. */
export type NeighborsParams = ParamsOf<typeof neighborsSchema>;

/** The metric a parameter set means (Minkowski p = 2 is Euclidean, p = 1 Manhattan). */
export function effectiveMetric(params: NeighborsParams): NeighborMetric {
  if (params.metric === 'minkowski') return params.p === 1 ? 'manhattan' : 'euclidean';
  return params.metric;
}

/** Checks that k is a positive integer and that k neighbours can be found among n training rows. */
export function checkK(who: string, k: number, n: number, what = 'nNeighbors'): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new ValidationError(`${who}: ${what} must be a positive integer; got ${k}.`, {
      field: what,
      fix: `use an integer ${what} from 1 to ${n}`,
    });
  }
  if (k > n) {
    throw new ValidationError(`${who}: ${what}=${k} is larger than the number of training rows (${n}).`, {
      field: what,
      fix: `use ${what} ≤ ${n}, or fit on more rows`,
    });
  }
}

/**
 * Per-neighbour weights for one query row (scikit-learn's `_get_weights`): 1 for 'uniform';
 * 1/d for 'distance', except that when some 1/d are infinite (distance 0, or a subnormal distance
 * below ~5.6e-309, whose reciprocal overflows) those neighbours get weight 1 and the others 0.
 */
export function neighborWeights(
  weights: 'uniform' | 'distance',
  dist: Float64Array,
  o: number,
  k: number,
  out: Float64Array,
): void {
  if (weights === 'uniform') {
    out.fill(1, 0, k);
    return;
  }
  let exact = false;
  for (let c = 0; c < k; c++) {
    out[c] = 1 / dist[o + c];
    if (out[c] === Number.POSITIVE_INFINITY) exact = true;
  }
  if (exact) for (let c = 0; c < k; c++) out[c] = out[c] === Number.POSITIVE_INFINITY ? 1 : 0;
}

/** The fitted state both models keep: a copy of the training rows and the search structure. */
export class FittedNeighbors {
  readonly index: NeighborIndex;

  constructor(
    readonly data: Float64Array,
    readonly n: number,
    readonly p: number,
    readonly metric: NeighborMetric,
    readonly algorithm: NeighborAlgorithm,
    readonly leafSize: number,
  ) {
    this.index = new NeighborIndex(data, n, p, metric, algorithm, leafSize);
  }

  /** Builds the state from training data and parameters. */
  static fit(X: Matrix, params: NeighborsParams): FittedNeighbors {
    const algorithm = NeighborIndex.chooseAlgorithm(params.algorithm, X.rows, X.cols, params.nNeighbors);
    return new FittedNeighbors(
      X.data.slice(),
      X.rows,
      X.cols,
      effectiveMetric(params),
      algorithm,
      params.leafSize,
    );
  }

  /**
   * The k nearest training rows of each row of Q for a prediction, after checking k against the
   * training rows: `nNeighbors` may have been raised by `setParams` after the fit (scikit-learn
   * checks it at this point too).
   */
  predictionNeighbors(who: string, Q: Matrix, k: number, nThreads: number | null): KNeighborsResult {
    checkK(who, k, this.n);
    return this.kneighbors(Q, k, nThreads);
  }

  /** k nearest neighbours of the rows of `Q`, or of the training rows themselves (excluding each row) when Q is undefined. */
  kneighbors(Q: Matrix | undefined, k: number, nThreads: number | null): KNeighborsResult {
    if (Q === undefined) return this.index.querySelf(k, nThreads);
    return this.index.query(Q.data, Q.rows, k, nThreads);
  }

  /** Plain-data form for a model package. */
  toPlain(): PlainObject {
    return {
      data: this.data,
      n: this.n,
      p: this.p,
      metric: this.metric,
      algorithm: this.algorithm,
      leafSize: this.leafSize,
    };
  }

  /**
   * Inverse of {@link FittedNeighbors.toPlain} (the tree is rebuilt; it is deterministic), checked
   * against what a fit on `d` features keeps: n × d finite training rows (n ≥ 1), a metric and an
   * algorithm this module knows, and a leaf size ≥ 1. A damaged or edited package is refused
   * rather than searching rows that are not there (NaN distances) or building a tree of
   * impossible size. (They are not compared with the parameters: `setParams` after fit changes
   * those, not the fitted search.)
   */
  static fromPlain(who: string, v: unknown, d: number): FittedNeighbors {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
      throw damagedState(who, 'neighbors', 'is missing or not an object');
    }
    const s = v as PlainObject;
    const n = checkInt(who, 'neighbors.n', s.n, 1, Number.POSITIVE_INFINITY);
    if (s.p !== d) {
      throw damagedState(who, 'neighbors.p', `is ${String(s.p)}, but the model has ${d} input features`);
    }
    const data = readVector(
      who,
      'neighbors.data',
      s.data,
      n * d,
      `${n} training rows × ${d} features`,
      FINITE,
    );
    const oneOf = <T extends string>(field: string, known: readonly T[]): T => {
      const x = s[field];
      if (!known.includes(x as T)) {
        throw damagedState(
          who,
          `neighbors.${field}`,
          `is ${JSON.stringify(x) ?? 'missing'}, not one of ${known.join(', ')}`,
        );
      }
      return x as T;
    };
    const metric = oneOf<NeighborMetric>('metric', ['euclidean', 'manhattan']);
    const algorithm = oneOf<NeighborAlgorithm>('algorithm', ['brute', 'kd_tree']);
    const leafSize = checkInt(who, 'neighbors.leafSize', s.leafSize, 1, Number.POSITIVE_INFINITY);
    return new FittedNeighbors(data, n, d, metric, algorithm, leafSize);
  }
}

/** `X` for a query (a matrix) or undefined (the training rows). */
export function queryMatrix(X: MatrixInput | undefined): Matrix | undefined {
  return X === undefined ? undefined : asMatrix(X);
}
