/**
 * What a converted model hands back: the tensors its outputs are made of.
 *
 * @module
 */

import type { Label } from '../../core/labels.ts';
import { attr, type GraphBuilder } from '../graph-builder.ts';

/** The tensors of a converted model. */
export type ModelHead =
  | {
      kind: 'classifier';
      /** float64 `[N, K]`, one column per class in `classes` order. */
      proba: string;
      /** int64 `[N]`: the index (into `classes`) of the predicted class. */
      labelIndex: string;
      classes: readonly Label[];
    }
  | {
      kind: 'regressor';
      /** float64 `[N]`. */
      value: string;
    };

/** ArgMax over the columns of `[N, K]` (first maximum wins, as Lathe's `predict`). */
export function argmaxRows(b: GraphBuilder, scores: string): string {
  return b.op('ArgMax', [scores], [attr.int('axis', 1), attr.int('keepdims', 0)]);
}

/** A `[N, 1]` (or `[N, …]`) tensor flattened to `[N]`. */
export function toVector(b: GraphBuilder, t: string): string {
  return b.op('Reshape', [t, b.int64([-1])]);
}
