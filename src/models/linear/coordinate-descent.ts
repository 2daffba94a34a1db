/**
 * Coordinate descent for the elastic net, a statement-by-statement port of scikit-learn's
 * `cd_fast.enet_coordinate_descent` (dense case):
 *
 *     min_w  ½‖y − Xw‖² + α‖w‖₁ + ½β‖w‖²
 *
 * (the estimator passes α = alpha · l1Ratio · n and β = alpha · (1 − l1Ratio) · n). Each sweep
 * updates every coordinate by soft-thresholding against the running residual; when the largest
 * update is small relative to the largest coefficient (or at the last sweep), the duality gap is
 * computed and the loop stops once it is below `tol · ‖y‖²`.
 *
 * @module
 */

import { Rng } from '../../core/rng.ts';

/** Result of {@link enetCoordinateDescent}. */
export interface CoordinateDescentResult {
  w: Float64Array;
  /** The last duality gap computed (unscaled). */
  gap: number;
  /** The tolerance the gap was compared with: tol · ‖y‖². */
  tolScaled: number;
  /** Sweeps done (scikit-learn's `n_iter_`). */
  nIter: number;
  converged: boolean;
}

/**
 * Runs coordinate descent on column-major `Xc` (n × p, column j at `Xc[j·n …]`).
 * `rng` is used only for random selection.
 */
export function enetCoordinateDescent(
  Xc: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  alpha: number,
  beta: number,
  maxIter: number,
  tol: number,
  random: Rng | null,
  positive: boolean,
): CoordinateDescentResult {
  const w = new Float64Array(p);
  const normCols = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) s += Xc[o + i] * Xc[o + i];
    normCols[j] = s;
  }
  const R = Float64Array.from(y); // residual y − Xw (w starts at 0)
  const XtA = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i] * y[i];
  const tolScaled = tol * yy;
  const dwTol = tol;
  let gap = tolScaled + 1;
  let iter = 0;
  let converged = false;

  for (iter = 0; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let f = 0; f < p; f++) {
      const ii = random ? random.int(p) : f;
      if (normCols[ii] === 0) continue;
      const o = ii * n;
      const wii = w[ii];
      if (wii !== 0) for (let i = 0; i < n; i++) R[i] += wii * Xc[o + i];
      let tmp = 0;
      for (let i = 0; i < n; i++) tmp += Xc[o + i] * R[i];
      if (positive && tmp < 0) w[ii] = 0;
      else w[ii] = (Math.sign(tmp) * Math.max(Math.abs(tmp) - alpha, 0)) / (normCols[ii] + beta);
      const wNew = w[ii];
      if (wNew !== 0) for (let i = 0; i < n; i++) R[i] -= wNew * Xc[o + i];
      const dw = Math.abs(wNew - wii);
      if (dw > dwMax) dwMax = dw;
      if (Math.abs(wNew) > wMax) wMax = Math.abs(wNew);
    }
    if (wMax === 0 || dwMax / wMax < dwTol || iter === maxIter - 1) {
      // Duality gap as the final stopping test.
      let dualNorm = 0;
      for (let j = 0; j < p; j++) {
        let s = 0;
        const o = j * n;
        for (let i = 0; i < n; i++) s += Xc[o + i] * R[i];
        XtA[j] = s - beta * w[j];
        const v = positive ? XtA[j] : Math.abs(XtA[j]);
        if (j === 0 || v > dualNorm) dualNorm = v;
      }
      let rNorm2 = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rNorm2 += R[i] * R[i];
        ry += R[i] * y[i];
      }
      let wNorm2 = 0;
      let l1 = 0;
      for (let j = 0; j < p; j++) {
        wNorm2 += w[j] * w[j];
        l1 += Math.abs(w[j]);
      }
      let cst: number;
      if (dualNorm > alpha) {
        cst = alpha / dualNorm;
        const aNorm2 = rNorm2 * cst * cst;
        gap = 0.5 * (rNorm2 + aNorm2);
      } else {
        cst = 1;
        gap = rNorm2;
      }
      gap += alpha * l1 - cst * ry + 0.5 * beta * (1 + cst * cst) * wNorm2;
      if (gap < tolScaled) {
        converged = true;
        break;
      }
    }
  }
  return { w, gap, tolScaled, nIter: converged ? iter + 1 : maxIter, converged };
}

/** A seeded generator for random coordinate selection. */
export function selectionRng(seed: number): Rng {
  return new Rng(seed).derive('coordinate-descent');
}
