/**
 * Limited-memory BFGS for smooth unconstrained minimisation, following SciPy's `fmin_l_bfgs_b`
 * (L-BFGS-B 3.0, Byrd, Lu, Nocedal & Zhu) step for step on problems without bounds, so that a
 * model fitted here stops where scikit-learn's `lbfgs` solver stops:
 *
 * - memory `m` = 10 pairs; B₀ = θI with θ = yᵀy / sᵀy after the first update (θ = 1 before);
 * - the first step (and the first after a restart) is along −g; the first line search starts
 *   at `stp = 1/‖d‖`, later ones at `stp = 1`;
 * - the Moré–Thuente line search with ftol = 1e-3, gtol = 0.9, xtol = 0.1, at most `maxls` = 20
 *   evaluations (see `line-search.ts`); a failed search restarts from −g, or ends the run when
 *   the memory is already empty;
 * - a pair is skipped when sᵀy ≤ ε·(−gᵀd)·stp;
 * - stopping: the iteration count reaches `maxIter` (checked first, as SciPy's driver does),
 *   then ‖g‖∞ ≤ `pgtol`, then (f_old − f) ≤ `ftol` · max(|f_old|, |f|, 1).
 *
 * The one deliberate difference: the quasi-Newton direction is computed with the two-loop
 * recursion rather than L-BFGS-B's compact representation. Without bounds the two are the same
 * matrix–vector product (Byrd, Nocedal & Schnabel 1994), so the iterates agree up to rounding.
 *
 * @module
 */

import { dcsrch, type LineSearchTask, newLineSearch } from './line-search.ts';

/** f(x), writing ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Maximum number of iterations (SciPy's `maxiter`). */
  maxIter: number;
  /** Stop when the largest gradient component is at most this (SciPy's `gtol` / `pgtol`). */
  pgtol: number;
  /** Relative-reduction tolerance on f (SciPy's `ftol`; default 2.22e-9 = factr 1e7). */
  ftol?: number;
  /** Number of correction pairs kept (default 10). */
  m?: number;
  /** Maximum line-search evaluations per iteration (default 20). */
  maxls?: number;
  /** f and ∇f at x0 when the caller has already evaluated them (saves one evaluation). */
  initial?: { f: number; grad: Float64Array };
}

/** Why the minimiser stopped. */
export type LbfgsStatus = 'pgtol' | 'ftol' | 'maxIter' | 'lineSearch';

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** Iterations done (SciPy's `nit`). */
  nIter: number;
  /** Objective evaluations. */
  nFev: number;
  status: LbfgsStatus;
  /** True when a convergence test (pgtol or ftol) ended the run. */
  converged: boolean;
}

const EPS = 2.220446049250313e-16;
/** L-BFGS-B's `epsmch` = 2 · dlamch('e'), the spacing of doubles at 1. */
const EPSMCH = EPS;
const BIG = 1e10;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

// The loops over the n coefficients live in small functions of their own: V8 optimises a small
// hot function within a few calls, while a large one (minimizeLbfgs) waits for a long optimising
// compile and runs interpreted meanwhile — most of a short fit.

/** out[i] = a · v[i] + x[i] (the product first, as L-BFGS-B writes the trial point). */
function addScaledFirst(out: Float64Array, a: number, v: Float64Array, x: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a * v[i] + x[i];
}

/** out[i] = a[i] + b[i]. */
function add(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/** v[i] ← v[i] · a. */
function scale(v: Float64Array, a: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= a;
}

/** out[i] = a[i] − b[i]. */
function subtract(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] - b[i];
}

/** d ← H·(−g) by the two-loop recursion over the stored pairs (slot of pair k: (head + k) mod m). */
function twoLoop(
  d: Float64Array,
  g: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  sy: Float64Array,
  alpha: Float64Array,
  head: number,
  col: number,
  theta: number,
): void {
  const n = d.length;
  const m = S.length;
  for (let i = 0; i < n; i++) d[i] = -g[i];
  for (let k = col - 1; k >= 0; k--) {
    const slot = (head + k) % m;
    const a = dot(S[slot], d) / sy[slot];
    alpha[k] = a;
    const yk = Y[slot];
    for (let i = 0; i < n; i++) d[i] -= a * yk[i];
  }
  const invTheta = 1 / theta;
  for (let i = 0; i < n; i++) d[i] *= invTheta;
  for (let k = 0; k < col; k++) {
    const slot = (head + k) % m;
    const b = dot(Y[slot], d) / sy[slot];
    const sk = S[slot];
    const c = alpha[k] - b;
    for (let i = 0; i < n; i++) d[i] += c * sk[i];
  }
}

/** Minimises `fg` from `x0` (not modified). */
export function minimizeLbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = options.m ?? 10;
  const maxls = options.maxls ?? 20;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const tol = (ftol / EPS) * EPSMCH; // factr · epsmch, as SciPy computes it
  const pgtol = options.pgtol;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const z = new Float64Array(n);
  const t = new Float64Array(n); // x at the start of the line search
  const r = new Float64Array(n); // g at the start of the line search, then y = g_new − g_old
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const sy = new Float64Array(m); // sᵀy of each stored pair
  const alpha = new Float64Array(m);

  let f: number;
  if (options.initial) {
    f = options.initial.f;
    g.set(options.initial.grad);
  } else f = fg(x, g);
  let nFev = 1;
  let sbgnrm = maxAbs(g);
  if (sbgnrm <= pgtol) return { x, f, grad: g, nIter: 0, nFev, status: 'pgtol', converged: true };

  let col = 0; // stored pairs
  let head = 0; // oldest pair's slot
  let theta = 1;
  let iter = 0; // L-BFGS-B's iteration counter
  let nIter = 0; // the driver's (SciPy's) counter

  for (;;) {
    // ---- search direction: z = x + H·(−g) -------------------------------------------------
    if (col === 0) {
      // The generalized Cauchy point with B = θI and no bounds: x − g/θ, via L-BFGS-B's arithmetic.
      let f1 = 0;
      for (let i = 0; i < n; i++) f1 -= g[i] * g[i];
      const f2 = -theta * f1;
      const dtm = -f1 / f2;
      for (let i = 0; i < n; i++) z[i] = x[i] + dtm * -g[i];
    } else {
      // Two-loop recursion on q = −g.
      twoLoop(d, g, S, Y, sy, alpha, head, col, theta);
      add(z, x, d);
    }
    subtract(d, z, x);

    // ---- line search (L-BFGS-B's lnsrlb) --------------------------------------------------
    const dtd = dot(d, d);
    const dnorm = Math.sqrt(dtd);
    const stpmx = BIG;
    const ls = newLineSearch(iter === 0 ? Math.min(1 / dnorm, stpmx) : 1);
    t.set(x);
    r.set(g);
    const fold = f;
    let ifun = 0;
    let iback = 0;
    let gd = 0;
    let gdold = 0;
    let failed = false;
    let task: LineSearchTask = 'FG';
    for (;;) {
      gd = dot(g, d);
      if (ifun === 0) {
        gdold = gd;
        if (gd >= 0) {
          failed = true; // not a descent direction
          break;
        }
      }
      task = dcsrch(ls, f, gd, 1e-3, 0.9, 0.1, 0, stpmx, ifun === 0);
      if (task === 'CONVERGENCE' || task === 'WARNING') break;
      ifun++;
      iback = ifun - 1;
      const stp = ls.stp;
      if (stp === 1) x.set(z);
      else addScaledFirst(x, stp, d, t);
      if (iback >= maxls) {
        failed = true;
        break;
      }
      f = fg(x, g);
      nFev++;
    }
    if (failed) {
      x.set(t);
      g.set(r);
      f = fold;
      if (col === 0) {
        return { x, f, grad: g, nIter, nFev, status: 'lineSearch', converged: false };
      }
      col = 0;
      head = 0;
      theta = 1;
      continue; // restart from −g
    }
    iter++;
    sbgnrm = maxAbs(g);

    // ---- the driver's iteration limit, then the convergence tests --------------------------
    nIter++;
    if (nIter >= options.maxIter) return { x, f, grad: g, nIter, nFev, status: 'maxIter', converged: false };
    if (sbgnrm <= pgtol) return { x, f, grad: g, nIter, nFev, status: 'pgtol', converged: true };
    const ddumF = Math.max(Math.abs(fold), Math.abs(f), 1);
    if (fold - f <= tol * ddumF) return { x, f, grad: g, nIter, nFev, status: 'ftol', converged: true };

    // ---- update the pairs -------------------------------------------------------------------
    subtract(r, g, r);
    const rr = dot(r, r);
    const stp = ls.stp;
    let dr: number;
    let ddum: number;
    if (stp === 1) {
      dr = gd - gdold;
      ddum = -gdold;
    } else {
      dr = (gd - gdold) * stp;
      scale(d, stp);
      ddum = -gdold * stp;
    }
    if (dr <= EPSMCH * ddum) continue; // skip the update: not enough curvature

    let slot: number;
    if (col < m) {
      slot = (head + col) % m;
      col++;
    } else {
      slot = head;
      head = (head + 1) % m;
    }
    S[slot].set(d);
    Y[slot].set(r);
    sy[slot] = dr;
    theta = rr / dr;
  }
}
