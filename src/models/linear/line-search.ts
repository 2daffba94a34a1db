/**
 * The Moré–Thuente line search (MINPACK-2 `dcsrch` / `dcstep`), as bundled with L-BFGS-B 3.0 and
 * therefore with SciPy's `fmin_l_bfgs_b`. Ported statement by statement so that Lathe's L-BFGS
 * takes the same trial steps as SciPy's: the search is driven by reverse communication — the
 * caller evaluates f and f' at `state.stp` whenever {@link dcsrch} returns `'FG'`.
 *
 * Reference: J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient
 * decrease", ACM TOMS 20 (1994) 286–307.
 *
 * @module
 */

/** What the search asks of its caller, or how it ended. */
export type LineSearchTask = 'FG' | 'CONVERGENCE' | 'WARNING' | 'ERROR';

/** The search's memory between calls (MINPACK-2's isave/dsave). */
export interface LineSearchState {
  /** The current trial step; on 'FG', evaluate f and f' there. */
  stp: number;
  brackt: boolean;
  stage: number;
  ginit: number;
  gtest: number;
  gx: number;
  gy: number;
  finit: number;
  fx: number;
  fy: number;
  stx: number;
  sty: number;
  stmin: number;
  stmax: number;
  width: number;
  width1: number;
}

/**
 * A fresh state for a search starting at step `stp`. The numeric fields start as NaN (set by the
 * first `dcsrch` call before they are read): a double from the start, so that V8 gives them a
 * double representation once — fields that start as the integer 0 and later hold fractions change
 * the object's hidden class, which made the optimising compiler abandon `minimizeLbfgs` (twice per
 * fit: "maps became deprecated") and leave it interpreted for most of a short fit.
 */
export function newLineSearch(stp: number): LineSearchState {
  return {
    stp,
    brackt: false,
    stage: 1,
    ginit: Number.NaN,
    gtest: Number.NaN,
    gx: Number.NaN,
    gy: Number.NaN,
    finit: Number.NaN,
    fx: Number.NaN,
    fy: Number.NaN,
    stx: Number.NaN,
    sty: Number.NaN,
    stmin: Number.NaN,
    stmax: Number.NaN,
    width: Number.NaN,
    width1: Number.NaN,
  };
}

const P5 = 0.5;
const P66 = 0.66;
const XTRAPL = 1.1;
const XTRAPU = 4.0;

/**
 * One step of the search. `start` is true on the first call (f and g at step 0). Returns the next
 * task; `state.stp` holds the step to evaluate (on 'FG') or the accepted step.
 */
export function dcsrch(
  s: LineSearchState,
  f: number,
  g: number,
  ftol: number,
  gtol: number,
  xtol: number,
  stpmin: number,
  stpmax: number,
  start: boolean,
): LineSearchTask {
  if (start) {
    if (s.stp < stpmin || s.stp > stpmax || g >= 0 || stpmax < stpmin) return 'ERROR';
    s.brackt = false;
    s.stage = 1;
    s.finit = f;
    s.ginit = g;
    s.gtest = ftol * s.ginit;
    s.width = stpmax - stpmin;
    s.width1 = s.width / P5;
    s.stx = 0;
    s.fx = s.finit;
    s.gx = s.ginit;
    s.sty = 0;
    s.fy = s.finit;
    s.gy = s.ginit;
    s.stmin = 0;
    s.stmax = s.stp + XTRAPU * s.stp;
    return 'FG';
  }

  const ftest = s.finit + s.stp * s.gtest;
  if (s.stage === 1 && f <= ftest && g >= 0) s.stage = 2;

  let task: LineSearchTask | null = null;
  if (s.brackt && (s.stp <= s.stmin || s.stp >= s.stmax)) task = 'WARNING'; // rounding errors prevent progress
  if (s.brackt && s.stmax - s.stmin <= xtol * s.stmax) task = 'WARNING'; // xtol test satisfied
  if (s.stp === stpmax && f <= ftest && g <= s.gtest) task = 'WARNING'; // stp = stpmax
  if (s.stp === stpmin && (f > ftest || g >= s.gtest)) task = 'WARNING'; // stp = stpmin
  if (f <= ftest && Math.abs(g) <= gtol * -s.ginit) task = 'CONVERGENCE';
  if (task !== null) return task;

  if (s.stage === 1 && f <= s.fx && f > ftest) {
    // A modified function predicts the step while the decrease is not yet sufficient.
    const fm = f - s.stp * s.gtest;
    const step = {
      stx: s.stx,
      fx: s.fx - s.stx * s.gtest,
      dx: s.gx - s.gtest,
      sty: s.sty,
      fy: s.fy - s.sty * s.gtest,
      dy: s.gy - s.gtest,
      stp: s.stp,
      brackt: s.brackt,
    };
    dcstep(step, fm, g - s.gtest, s.stmin, s.stmax);
    s.stx = step.stx;
    s.sty = step.sty;
    s.stp = step.stp;
    s.brackt = step.brackt;
    s.fx = step.fx + s.stx * s.gtest;
    s.fy = step.fy + s.sty * s.gtest;
    s.gx = step.dx + s.gtest;
    s.gy = step.dy + s.gtest;
  } else {
    const step = {
      stx: s.stx,
      fx: s.fx,
      dx: s.gx,
      sty: s.sty,
      fy: s.fy,
      dy: s.gy,
      stp: s.stp,
      brackt: s.brackt,
    };
    dcstep(step, f, g, s.stmin, s.stmax);
    s.stx = step.stx;
    s.fx = step.fx;
    s.gx = step.dx;
    s.sty = step.sty;
    s.fy = step.fy;
    s.gy = step.dy;
    s.stp = step.stp;
    s.brackt = step.brackt;
  }

  // Bisect when the interval does not shrink fast enough.
  if (s.brackt) {
    if (Math.abs(s.sty - s.stx) >= P66 * s.width1) s.stp = s.stx + P5 * (s.sty - s.stx);
    s.width1 = s.width;
    s.width = Math.abs(s.sty - s.stx);
  }
  if (s.brackt) {
    s.stmin = Math.min(s.stx, s.sty);
    s.stmax = Math.max(s.stx, s.sty);
  } else {
    s.stmin = s.stp + XTRAPL * (s.stp - s.stx);
    s.stmax = s.stp + XTRAPU * (s.stp - s.stx);
  }
  s.stp = Math.max(s.stp, stpmin);
  s.stp = Math.min(s.stp, stpmax);
  if (
    (s.brackt && (s.stp <= s.stmin || s.stp >= s.stmax)) ||
    (s.brackt && s.stmax - s.stmin <= xtol * s.stmax)
  ) {
    s.stp = s.stx;
  }
  return 'FG';
}

interface StepState {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  brackt: boolean;
}

/** MINPACK-2 `dcstep`: a safeguarded cubic/quadratic step and the update of the bracketing interval. */
function dcstep(st: StepState, fp: number, dp: number, stpmin: number, stpmax: number): void {
  const { stx, fx, dx, sty, fy, dy, stp } = st;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;

  if (fp > fx) {
    // Higher function value: the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    st.brackt = true;
  } else if (sgnd < 0) {
    // Lower value, derivatives of opposite sign: bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    st.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Lower value, same sign, derivative magnitude decreases.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (st.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      if (stp > stx) stpf = Math.min(stp + P66 * (sty - stp), stpf);
      else stpf = Math.max(stp + P66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.min(stpmax, stpf);
      stpf = Math.max(stpmin, stpf);
    }
  } else {
    // Lower value, same sign, derivative magnitude does not decrease.
    if (st.brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else if (stp > stx) stpf = stpmax;
    else stpf = stpmin;
  }

  // Update the interval that contains a minimizer.
  if (fp > fx) {
    st.sty = stp;
    st.fy = fp;
    st.dy = dp;
  } else {
    if (sgnd < 0) {
      st.sty = stx;
      st.fy = fx;
      st.dy = dx;
    }
    st.stx = stp;
    st.fx = fp;
    st.dx = dp;
  }
  st.stp = stpf;
}
