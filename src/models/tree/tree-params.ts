/**
 * The parameter table shared by decision trees and the forests built from them, and its
 * resolution into the numbers the grower uses (scikit-learn's conventions for fractions,
 * `'sqrt'`/`'log2'`, and `null` meaning "no limit" / "all features").
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { type ParamSpec, p } from '../../core/params.ts';
import type { ClassWeight } from '../base.ts';
import type { GrowOptions, TreeCriterion, TreeSplitter } from './grower.ts';

/** `maxFeatures`: how many features each split considers. */
export type MaxFeatures = 'sqrt' | 'log2' | number | null;

/** The `maxFeatures` parameter spec with a given default. */
export function maxFeaturesParam(def: MaxFeatures): ParamSpec<MaxFeatures> {
  return p.nullable(
    p.union([p.oneOf(['sqrt', 'log2'] as const), p.int({ min: 1 }), p.float({ gt: 0, lt: 1 })]),
    {
      default: def,
      doc: "features per split: 'sqrt', 'log2', an integer count, a fraction in (0, 1), or null for all",
    },
  ) as ParamSpec<MaxFeatures>;
}

/** Growth parameters shared by trees and forests (everything but criterion, splitter and seed). */
export const growthParams = {
  maxDepth: p.nullable(p.int({ min: 1 }), { default: null, doc: 'maximum depth; null grows until pure' }),
  minSamplesSplit: p.union([p.int({ min: 2 }), p.float({ gt: 0, lt: 1 })], {
    default: 2,
    doc: 'rows a node needs to be split: an integer ≥ 2, or a fraction of the rows in (0, 1)',
  }),
  minSamplesLeaf: p.union([p.int({ min: 1 }), p.float({ gt: 0, lt: 1 })], {
    default: 1,
    doc: 'rows each leaf must keep: an integer ≥ 1, or a fraction of the rows in (0, 1)',
  }),
  minWeightFractionLeaf: p.float({
    min: 0,
    max: 0.5,
    default: 0,
    doc: 'fraction of the total sample weight each leaf must keep',
  }),
  maxLeafNodes: p.nullable(p.int({ min: 2 }), {
    default: null,
    doc: 'grow best-first with at most this many leaves; null = unlimited (depth-first)',
  }),
  minImpurityDecrease: p.float({
    min: 0,
    default: 0,
    doc: 'split only when the weighted impurity decrease is at least this',
  }),
  ccpAlpha: p.float({
    min: 0,
    default: 0,
    doc: 'minimal cost-complexity pruning: collapse subtrees whose impurity gain per extra leaf is at most this',
  }),
};

/** The values of {@link growthParams}. */
export interface GrowthParams {
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minWeightFractionLeaf: number;
  maxLeafNodes: number | null;
  minImpurityDecrease: number;
  ccpAlpha: number;
}

/** Class-weight parameter spec: null, 'balanced', or `{ label: weight }`. */
export const classWeightParam: ParamSpec<ClassWeight> = p.nullable(
  p.union([p.oneOf(['balanced'] as const), p.record(p.float({ min: 0 }))]),
  { default: null, doc: "null, 'balanced' (n / (k · count per class)), or a weight per class label" },
) as ParamSpec<ClassWeight>;

/** Number of features per split for `maxFeatures` on `d` features (scikit-learn's rules). */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, d: number, who: string): number {
  if (maxFeatures === null) return d;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (Number.isInteger(maxFeatures)) {
    if (maxFeatures > d) {
      throw new ValidationError(`${who}: maxFeatures is ${maxFeatures} but X has only ${d} columns.`, {
        field: 'maxFeatures',
        fix: `pass maxFeatures ≤ ${d}, a fraction such as 0.5, 'sqrt', or null for all`,
      });
    }
    return maxFeatures;
  }
  return Math.max(1, Math.floor(maxFeatures * d));
}

/** Resolves tree parameters for `n` training rows and `d` features. */
export function resolveGrowOptions(
  params: GrowthParams & { criterion: string; maxFeatures: MaxFeatures },
  splitter: TreeSplitter,
  n: number,
  d: number,
  who: string,
): GrowOptions {
  const criterion = (params.criterion === 'log_loss' ? 'entropy' : params.criterion) as TreeCriterion;
  const msl = params.minSamplesLeaf;
  const mss = params.minSamplesSplit;
  return {
    criterion,
    splitter,
    maxDepth: params.maxDepth ?? 0x7fffffff,
    minSamplesLeaf: Number.isInteger(msl) ? msl : Math.ceil(msl * n),
    minSamplesSplit: Number.isInteger(mss) ? mss : Math.max(2, Math.ceil(mss * n)),
    minWeightFractionLeaf: params.minWeightFractionLeaf,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, d, who),
    maxLeafNodes: params.maxLeafNodes ?? 0,
    minImpurityDecrease: params.minImpurityDecrease,
    ccpAlpha: params.ccpAlpha,
  };
}
