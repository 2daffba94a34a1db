/**
 * Input checks of the k-NN models.
 *
 * @module
 */

import { assertFinite, type Matrix } from '../../core/matrix.ts';

/** `m`, after checking it holds no NaN or infinity (the error names the column and suggests an imputer). */
export function finiteInput(m: Matrix, who: string): Matrix {
  assertFinite(m, who);
  return m;
}
