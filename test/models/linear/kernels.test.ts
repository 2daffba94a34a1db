// Logistic regression's kernels: the WebAssembly loss/gradient against its TypeScript twin (same
// bits), fdlibm's exp/log/log1p in the module against V8's Math.*, thread-count independence of
// the objective, the fit and the predictions, and the prediction paths against a plain reference.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fdlibmLog } from '../../../src/core/fdlibm-log.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { InlineExecutor, ThreadExecutor } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import { Wasm } from '../../../src/core/wasm.ts';
import { linearScores } from '../../../src/models/linear/common.ts';
import { LogisticRegression } from '../../../src/models/linear/index.ts';
import { minimizeLbfgs, type Objective } from '../../../src/models/linear/lbfgs.ts';
import { expNonPositive, log1pOfUnit } from '../../../src/models/linear/lean-math.ts';
import {
  argmaxCodes,
  LINK_LOGISTIC,
  LINK_SOFTMAX,
  probaFromScores,
} from '../../../src/models/linear/links.ts';
import {
  LOSS_BLOCK,
  type LogisticData,
  LogisticObjective,
  lossBlocks,
  wasmLossBlocks,
} from '../../../src/models/linear/logistic-loss.ts';
import {
  lossWasmAvailable,
  SCORE_CHUNK,
  unshareMemoryImport,
  wasmArgmaxRows,
  wasmMath,
  wasmMinimizeLbfgs,
  wasmProbaRows,
  wasmScoreRows,
} from '../../../src/models/linear/loss-wasm.ts';

const noWasm = lossWasmAvailable() ? false : 'build/wasm/linear.wasm is not built (npm run build)';

function sharedCopy(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** n × p standard normals times `scale`, with labels drawn from a random linear model. */
function problem(n: number, p: number, K: number, scale: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * p }, () => rng.normal() * scale);
  const y = Float64Array.from({ length: n }, () => (K === 1 ? rng.int(2) : rng.int(K)));
  return { X, y, rng };
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}: entry ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

describe('exp, log1p and log in the WebAssembly module', { skip: noWasm }, () => {
  /** Random doubles of every kind: subnormals, NaNs, infinities. */
  function anyDoubles(rng: Rng, n: number): number[] {
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      words[0] = rng.int(2 ** 31) * 2 + rng.int(2);
      words[1] = rng.int(2 ** 31) * 2 + rng.int(2);
      out.push(bits[0]);
    }
    return out;
  }

  it("log gives the bits of its TypeScript twin's (fdlibm-log.ts), and of Math.log on V8 11", () => {
    const m = wasmMath();
    const rng = new Rng(5);
    const xs: number[] = [0, -0, 1, -1, 2, 0.5, Infinity, -Infinity, Number.NaN, 5e-324, 1e-300];
    xs.push(1 - 2 ** -53, 1 + 2 ** -52, 10, 1.0000001);
    for (let i = 0; i < 50_000; i++) xs.push(1 + rng.random() * 30, rng.random() * 8);
    xs.push(...anyDoubles(rng, 50_000));
    // The ports are of what V8 11 (Node 20) runs for Math.log; a later V8 may compute it otherwise.
    const engineToo = process.versions.v8.startsWith('11.');
    for (const x of xs) {
      const a = m.log(x);
      const b = fdlibmLog(x);
      if (!Object.is(a, b)) assert.fail(`log(${x}): wasm ${a}, fdlibm-log.ts ${b}`);
      if (engineToo && !Object.is(a, Math.log(x))) assert.fail(`log(${x}): wasm ${a}, Math ${Math.log(x)}`);
    }
  });

  /** Arguments of expNonPositive: the losses' range, the ends, and any non-positive double. */
  function expArgs(rng: Rng): Float64Array {
    const xs: number[] = [0, -0, -1e-300, -5e-324, -(2 ** -29), -1, -0.34657359, -0.3465736, -2, -37];
    xs.push(-708.3, -708.4, -709, -744.4, -745.1, -745.2, -746, -746.5, -800, -1e300, -Infinity);
    for (let k = 1; k < 1075; k++) xs.push(-k * Math.LN2, -(k + 0.5) * Math.LN2); // reduction edges
    for (let i = 0; i < 100_000; i++) {
      xs.push(-rng.random() * 40, -rng.random() * 750, -rng.random() * 1e-6);
    }
    for (const v of anyDoubles(rng, 50_000)) if (v <= 0) xs.push(v);
    return Float64Array.from(xs);
  }

  it('the two-lane expNonPositive is its TypeScript twin, within 1 ulp of Math.exp', () => {
    const xs = expArgs(new Rng(6));
    const got = wasmMath().expNonPositive(xs);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const twin = expNonPositive(x);
      if (!Object.is(got[i], twin)) assert.fail(`exp(${x}): wasm ${got[i]}, twin ${twin}`);
      const ref = Math.exp(Math.max(x, -746));
      worst = Math.max(worst, ulpsApart(twin, ref));
    }
    assert.ok(worst <= 1, `largest difference from Math.exp: ${worst} ulp`);
  });

  it('the two-lane log1pOfUnit is its TypeScript twin, within 1 ulp of Math.log1p', () => {
    const rng = new Rng(7);
    const xs: number[] = [0, 5e-324, 1e-300, 2 ** -60, 2 ** -54, 2 ** -53, 2 ** -29, 1e-9, 0.25];
    xs.push(Math.SQRT2 - 1, Math.SQRT2 - 1 + 2 ** -52, Math.SQRT2 - 1 - 2 ** -52, 0.5, 1 - 2 ** -53, 1);
    for (let i = 0; i < 200_000; i++) xs.push(rng.random(), Math.exp(-rng.random() * 60));
    const values = Float64Array.from(xs);
    const got = wasmMath().log1pOfUnit(values);
    let worst = 0;
    for (let i = 0; i < values.length; i++) {
      const twin = log1pOfUnit(values[i]);
      if (!Object.is(got[i], twin)) assert.fail(`log1p(${values[i]}): wasm ${got[i]}, twin ${twin}`);
      worst = Math.max(worst, ulpsApart(twin, Math.log1p(values[i])));
    }
    assert.ok(worst <= 1, `largest difference from Math.log1p: ${worst} ulp`);
  });
});

/** How many doubles apart a and b are (0 when equal; both finite, same sign or zero). */
function ulpsApart(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new Float64Array([a, b]);
  const ints = new BigInt64Array(buf.buffer);
  const d = ints[0] - ints[1];
  return Number(d < 0n ? -d : d);
}

describe('the WebAssembly module', { skip: noWasm }, () => {
  it('is loaded with an unshared memory (ordinary copies into it), and still validates', () => {
    const path = fileURLToPath(new URL('../../../build/wasm/linear.wasm', import.meta.url));
    const bytes = new Uint8Array(readFileSync(path));
    assert.equal(unshareMemoryImport(bytes), true);
    assert.equal(unshareMemoryImport(bytes), false, 'already unshared: nothing left to patch');
    const memory = new Wasm.Memory({ initial: 8, maximum: 65536 });
    const inst = new Wasm.Instance(new Wasm.Module(bytes), { env: { memory, abort() {} } });
    assert.equal((inst.exports.logF64 as (x: number) => number)(1), 0);
    assert.equal(unshareMemoryImport(Uint8Array.from([1, 2, 3])), false, 'not a module');
  });

  it('views survive the memory growing between uses (a fit, a wider fit, the first again)', () => {
    const { X, y } = problem(3000, 6, 1, 1, 90);
    const first = new LogisticRegression({ nThreads: 1 }).fit(matrix(X, 3000, 6), y);
    // 2 500 features (blocks of 20 MB, more than any test before needs): the memory grows for the
    // loss kernels' blocks, then again for the solver's vectors, between two evaluations with the
    // same layout — whose views must then be taken anew.
    const wide = problem(600, 2500, 1, 1, 91);
    const Xw = matrix(wide.X, 600, 2500);
    const fitWide = () => new LogisticRegression({ nThreads: 1, maxIter: 3 }).fit(Xw, wide.y);
    const wideModel = fitWide();
    const before = process.env.LATHE_LINEAR_KERNEL;
    process.env.LATHE_LINEAR_KERNEL = 'ts';
    try {
      const twin = fitWide();
      sameBits(wideModel.coef_![0], twin.coef_![0], 'wide fit, WebAssembly against TypeScript');
      sameBits(wideModel.predictProba(Xw).data, twin.predictProba(Xw).data, 'wide proba, TypeScript');
    } finally {
      if (before === undefined) delete process.env.LATHE_LINEAR_KERNEL;
      else process.env.LATHE_LINEAR_KERNEL = before;
    }
    const again = new LogisticRegression({ nThreads: 1 }).fit(matrix(X, 3000, 6), y);
    sameBits(again.coef_![0], first.coef_![0], 'coef after growth');
    sameBits(
      again.predictProba(matrix(X, 3000, 6)).data,
      first.predictProba(matrix(X, 3000, 6)).data,
      'proba',
    );
  });
});

describe('the WebAssembly loss kernels are the twin of the TypeScript ones', { skip: noWasm }, () => {
  it('same loss and gradient bits for every shape, weighting and branch', () => {
    let cases = 0;
    // n: partial groups of four rows and partial blocks; p: odd and even (SIMD lanes); K: binary,
    // even and odd class counts; scale 4 reaches every branch of the binomial loss (z ≤ −37, ≤ −2,
    // ≤ 18, > 18).
    for (const n of [1, 3, 5, LOSS_BLOCK - 1, LOSS_BLOCK + 6]) {
      for (const p of [1, 2, 3, 20, 31]) {
        for (const K of [1, 2, 3, 4, 5]) {
          for (const fitIntercept of [true, false]) {
            for (const weighted of [false, true]) {
              const { X, y, rng } = problem(n, p, K, 3, cases + 1);
              const sw = weighted ? Float64Array.from({ length: n }, () => rng.random() * 2) : null;
              const dim = K * (p + (fitIntercept ? 1 : 0));
              const w = Float64Array.from({ length: dim }, () => rng.normal() * 4);
              const nb = Math.ceil(n / LOSS_BLOCK);
              const a = new Float64Array(nb * (1 + dim));
              const b = new Float64Array(a.length);
              lossBlocks(X, n, p, y, sw, K, fitIntercept, w, 0, nb, a);
              wasmLossBlocks(X, n, p, y, sw, K, fitIntercept, w, 0, nb, b);
              sameBits(a, b, `n=${n} p=${p} K=${K} intercept=${fitIntercept} weighted=${weighted}`);
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 500);
  });

  it('the WebAssembly prediction scores are the twin of linearScores', () => {
    let cases = 0;
    for (const n of [1, 3, 4, 7, SCORE_CHUNK - 1, SCORE_CHUNK + 5]) {
      for (const p of [1, 2, 5, 20]) {
        for (const K of [1, 2, 3, 7]) {
          const { X, rng } = problem(n, p, 1, 2, 100 + cases);
          const W = Float64Array.from({ length: K * p }, () => rng.normal());
          const b = Float64Array.from({ length: K }, () => rng.normal());
          const a = new Float64Array(n * K);
          const c = new Float64Array(n * K + 3);
          linearScores(X, n, p, W, b, K, a);
          wasmScoreRows(X, 0, n, p, W, b, K, c, 3);
          sameBits(a, c.subarray(3), `n=${n} p=${p} K=${K}`);
          cases++;
        }
      }
    }
    assert.equal(cases, 96);
  });

  it('the WebAssembly probabilities and predicted classes are the twins of links.ts', () => {
    let cases = 0;
    for (const n of [1, 2, 3, 4, 7, SCORE_CHUNK - 1, SCORE_CHUNK + 5]) {
      for (const p of [1, 2, 5]) {
        for (const K of [1, 2, 3, 7]) {
          for (const link of [LINK_LOGISTIC, LINK_SOFTMAX] as const) {
            // Scale 40: scores far beyond exp's floor and on both sides of every range.
            const { X, rng } = problem(n, p, 1, 40, 300 + cases);
            const W = Float64Array.from({ length: K * p }, () => rng.normal());
            const b = Float64Array.from({ length: K }, () => rng.normal());
            const C = K === 1 ? 2 : K;
            const z = new Float64Array(n * K);
            linearScores(X, n, p, W, b, K, z);
            const expected = new Float64Array(n * C);
            // A chunk at a time, as the kernels go (the sums of the scores are added chunk by chunk).
            let sum = 0;
            for (let c0 = 0; c0 < n; c0 += SCORE_CHUNK) {
              const rows = Math.min(SCORE_CHUNK, n - c0);
              sum += probaFromScores(z, c0 * K, rows, K, link, expected, c0 * C);
            }
            const got = new Float64Array(n * C + 2);
            const gotSum = wasmProbaRows(X, 0, n, p, W, b, K, link, got, 2);
            sameBits(got.subarray(2), expected, `proba n=${n} p=${p} K=${K} link=${link}`);
            assert.ok(Object.is(gotSum, sum), 'the sums of the scores');
            const codes = new Int32Array(n);
            let codeSum = 0;
            for (let c0 = 0; c0 < n; c0 += SCORE_CHUNK) {
              codeSum += argmaxCodes(z, c0 * K, Math.min(SCORE_CHUNK, n - c0), K, codes, c0);
            }
            const gotCodes = new Int32Array(n);
            const gotCodeSum = wasmArgmaxRows(X, 0, n, p, W, b, K, (c, first) => gotCodes.set(c, first));
            assert.deepEqual(gotCodes, codes, `codes n=${n} p=${p} K=${K}`);
            assert.ok(Object.is(gotCodeSum, codeSum));
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 168);
  });

  it('the WebAssembly L-BFGS is the twin of minimizeLbfgs (every iterate, evaluation and status)', () => {
    // Rosenbrock's valley in n dimensions (curved, every branch of the line search's step
    // choice), an objective whose gradient lies (the line search fails, the solver restarts, then
    // gives up) and a quadratic already at its minimum.
    const rosenbrock: Objective = (x, g) => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i + 1 < x.length; i++) {
        const a = x[i + 1] - x[i] * x[i];
        const b = 1 - x[i];
        f += 100 * a * a + b * b;
        g[i] += -400 * a * x[i] - 2 * b;
        g[i + 1] += 200 * a;
      }
      return f;
    };
    const liar: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        f += Math.abs(x[i] - 1) + 0.1 * x[i] * x[i];
        g[i] = -(i + 1); // always says "increase me"
      }
      return f;
    };
    const bowl: Objective = (x, g) => {
      for (let i = 0; i < x.length; i++) g[i] = 2 * x[i];
      return x.reduce((s, v) => s + v * v, 0);
    };
    const rng = new Rng(77);
    let cases = 0;
    for (const [name, fg] of [
      ['rosenbrock', rosenbrock],
      ['liar', liar],
      ['bowl', bowl],
    ] as const) {
      for (const n of [2, 5, 12]) {
        for (const maxIter of [3, 200]) {
          for (const pgtol of [1e-5, 1e-12]) {
            const x0 = Float64Array.from({ length: n }, () => (name === 'bowl' ? 0 : rng.normal() * 1.5));
            const a = minimizeLbfgs(fg, x0, { maxIter, pgtol });
            const b = wasmMinimizeLbfgs(fg, x0, { maxIter, pgtol }, 3, 1);
            const what = `${name} n=${n} maxIter=${maxIter} pgtol=${pgtol}`;
            sameBits(b.x, a.x, `${what}: x`);
            sameBits(b.grad, a.grad, `${what}: grad`);
            assert.ok(Object.is(b.f, a.f), `${what}: f`);
            assert.deepEqual(
              [b.nIter, b.nFev, b.status, b.converged],
              [a.nIter, a.nFev, a.status, a.converged],
              what,
            );
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 36);
    // Every ending was reached.
    const endings = new Set<string>();
    for (const [fg, x0, pgtol, maxIter] of [
      [rosenbrock, [-1.2, 1], 1e-5, 200],
      [rosenbrock, [-1.2, 1], 1e-5, 3],
      [rosenbrock, [-1.2, 1], 0, 500],
      [liar, [0, 0], 1e-5, 200],
      [bowl, [0, 0], 1e-5, 200],
    ] as const) {
      endings.add(wasmMinimizeLbfgs(fg, Float64Array.from(x0), { maxIter, pgtol }, 3, 1).status);
    }
    assert.deepEqual([...endings].sort(), ['ftol', 'lineSearch', 'maxIter', 'pgtol']);
  });

  it('a fit with either kernel gives the same coefficients', () => {
    const { X, y } = problem(3000, 7, 3, 1, 9);
    const Xm = matrix(X, 3000, 7);
    const fit = (kernel: string) => {
      const before = process.env.LATHE_LINEAR_KERNEL;
      process.env.LATHE_LINEAR_KERNEL = kernel;
      try {
        return new LogisticRegression({ nThreads: 1, C: 0.3 }).fit(Xm, y);
      } finally {
        if (before === undefined) delete process.env.LATHE_LINEAR_KERNEL;
        else process.env.LATHE_LINEAR_KERNEL = before;
      }
    };
    const a = fit('ts');
    const b = fit('wasm');
    for (let k = 0; k < 3; k++) sameBits(a.coef_![k], b.coef_![k], `class ${k}`);
    sameBits(a.intercept_!, b.intercept_!, 'intercepts');
    assert.deepEqual(a.nIter_, b.nIter_);
    // Predictions with either kernel (b's fitted state scored with the TypeScript kernels).
    const before = process.env.LATHE_LINEAR_KERNEL;
    process.env.LATHE_LINEAR_KERNEL = 'ts';
    const probaTs = b.predictProba(Xm).data;
    const predTs = b.predict(Xm);
    if (before === undefined) delete process.env.LATHE_LINEAR_KERNEL;
    else process.env.LATHE_LINEAR_KERNEL = before;
    sameBits(b.predictProba(Xm).data, probaTs, 'predictProba');
    assert.deepEqual(b.predict(Xm), predTs);
  });
});

describe('logistic regression gives the same bits on any number of threads', () => {
  const pool = new ThreadExecutor(2);
  after(() => pool.close());

  for (const kernel of ['ts', 'wasm'] as const) {
    it(`the loss and gradient are identical inline and on the pool (${kernel} kernels)`, {
      skip: kernel === 'wasm' && noWasm,
    }, () => {
      for (const K of [1, 3]) {
        const n = 20_000;
        const p = 5;
        const { X, y } = problem(n, p, K, 1, 3 + K);
        const data: LogisticData = {
          X: sharedCopy(X),
          n,
          p,
          y,
          sw: null,
          nClasses: K,
          fitIntercept: true,
        };
        const w = Float64Array.from({ length: K * (p + 1) }, (_, i) => Math.sin(i + 1) * 0.4);
        const g1 = new Float64Array(w.length);
        const g2 = new Float64Array(w.length);
        const inline = new LogisticObjective(data, 0.5, new InlineExecutor(), 0, kernel);
        const threaded = new LogisticObjective(data, 0.5, pool, 0, kernel);
        assert.equal(inline.threaded, false);
        assert.equal(threaded.threaded, true);
        assert.equal(inline.evaluate(w, g1), threaded.evaluate(w, g2));
        sameBits(g1, g2, `K=${K} gradient`);
      }
    });
  }

  it('X outside shared memory is not copied: the objective runs on the calling thread', () => {
    const { X, y } = problem(20_000, 5, 1, 1, 4);
    const data: LogisticData = { X, n: 20_000, p: 5, y, sw: null, nClasses: 1, fitIntercept: true };
    assert.equal(new LogisticObjective(data, 1, pool, 0).threaded, false);
  });

  it('fits on one and two threads agree exactly', () => {
    const n = 30_000;
    const { X, y } = problem(n, 8, 1, 1, 21);
    const Xs = matrix(sharedCopy(X), n, 8);
    const one = new LogisticRegression({ nThreads: 1 }).fit(Xs, y);
    const two = new LogisticRegression({ nThreads: 2 }).fit(Xs, y);
    sameBits(one.coef_![0], two.coef_![0], 'coef');
    sameBits(one.intercept_!, two.intercept_!, 'intercept');
  });
});

/**
 * The scores X·Wᵀ + b, one row at a time, as plainly as possible, in the documented order: the
 * even features summed, the odd ones summed (an odd p's last feature with the even ones), the two
 * added, then the intercept.
 */
function referenceScores(model: LogisticRegression, X: Matrix): Float64Array {
  const coef = model.coef_!;
  const out = new Float64Array(X.rows * coef.length);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < coef.length; k++) {
      let even = 0;
      let odd = 0;
      for (let j = 0; j < X.cols; j++) {
        const v = X.data[i * X.cols + j] * coef[k][j];
        if (j % 2 === 0 || j === X.cols - 1) even += v;
        else odd += v;
      }
      out[i * coef.length + k] = even + odd + model.intercept_![k];
    }
  }
  return out;
}

/** σ(d) as links.ts documents it: e = exp(−|d|), 1/(1 + e) for d > 0, else e/(1 + e). */
function sigma(d: number): number {
  const e = expNonPositive(-Math.abs(d));
  return d > 0 ? 1 / (1 + e) : e * (1 / (1 + e));
}

/** |a − b| relative to |b| (0 when equal). */
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('logistic regression predictions', () => {
  const settings = [
    { K: 2, multiClass: 'ovr' as const },
    { K: 2, multiClass: 'multinomial' as const },
    { K: 4, multiClass: 'ovr' as const },
    { K: 4, multiClass: 'multinomial' as const },
  ];
  for (const { K, multiClass } of settings) {
    it(`predict, predictCodes, predictProba and decisionFunction agree with the scores (${K} classes, ${multiClass})`, () => {
      const n = 1001; // not a multiple of the 4-row blocks nor of predict's chunks
      const { X, y } = problem(n, 7, K, 1, 30 + K); // odd p: the last feature joins the even sum
      const labels = Array.from(y, (v) => `c${v}`);
      const Xm = matrix(X, n, 7);
      const model = new LogisticRegression({ multiClass }).fit(Xm, labels);
      const z = referenceScores(model, Xm);
      const D = model.decisionFunction(Xm);
      sameBits(D.data, z, 'decisionFunction');
      const rowsK = model.coef_!.length;
      const proba = model.predictProba(Xm);
      const pred = model.predict(Xm);
      const codes = model.predictCodes(Xm);
      assert.ok(codes instanceof Int32Array);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        // The link functions row by row, as documented (the bits), and as plainly as the
        // mathematics writes them with Math.exp (within a few ulps).
        const expected = new Float64Array(K);
        const plain = new Float64Array(K);
        if (rowsK === 1) {
          const d = z[i];
          if (multiClass === 'multinomial') {
            const e0 = expNonPositive(-d - Math.abs(d));
            const e1 = expNonPositive(d - Math.abs(d));
            expected[0] = e0 / (e0 + e1);
            expected[1] = e1 / (e0 + e1);
            plain[1] = Math.exp(d) / (Math.exp(-d) + Math.exp(d));
          } else {
            expected[1] = sigma(d);
            expected[0] = 1 - expected[1];
            plain[1] = 1 / (1 + Math.exp(-d));
          }
          plain[0] = 1 - plain[1];
        } else {
          let sum = 0;
          let plainSum = 0;
          const m = Math.max(...z.subarray(i * K, i * K + K));
          for (let k = 0; k < K; k++) {
            const zk = z[i * K + k];
            const v = multiClass === 'multinomial' ? expNonPositive(zk - m) : sigma(zk);
            const w = multiClass === 'multinomial' ? Math.exp(zk) : 1 / (1 + Math.exp(-zk));
            expected[k] = v;
            plain[k] = w;
            sum += v;
            plainSum += w;
          }
          for (let k = 0; k < K; k++) {
            expected[k] /= sum;
            plain[k] /= plainSum;
          }
        }
        sameBits(proba.data.subarray(i * K, i * K + K), expected, `predictProba row ${i}`);
        for (let k = 0; k < K; k++) worst = Math.max(worst, rel(proba.data[i * K + k], plain[k]));
        let best = 0;
        for (let k = 1; k < rowsK; k++) if (z[i * rowsK + k] > z[i * rowsK + best]) best = k;
        const cls = rowsK === 1 ? (z[i] > 0 ? 1 : 0) : best;
        assert.equal(codes[i], cls, `predictCodes row ${i}`);
        assert.equal(pred[i], model.classes_![cls], `predict row ${i}`);
      }
      assert.ok(worst < 1e-14, `largest relative difference from the plain formulas: ${worst}`);
      assert.deepEqual(proba.columns, model.classes_!.map(String));
    });
  }

  for (const kernel of ['wasm', 'ts'] as const) {
    it(`numeric classes: predict writes classes_[predictCodes] as a Float64Array (${kernel} kernel)`, () => {
      const before = process.env.LATHE_LINEAR_KERNEL;
      process.env.LATHE_LINEAR_KERNEL = kernel;
      try {
        for (const K of [2, 4]) {
          const n = 2 * SCORE_CHUNK + 77; // chunks, and a short last one
          const { X, y } = problem(n, 5, K, 1, 60 + K);
          const values = Array.from(y, (v) => -2.5 + 10 * v); // not the codes themselves
          const Xm = matrix(X, n, 5);
          const model = new LogisticRegression({ maxIter: 30 }).fit(Xm, values);
          const pred = model.predict(Xm);
          const codes = model.predictCodes(Xm);
          assert.ok(pred instanceof Float64Array, 'a Float64Array for numeric classes');
          assert.equal(pred.length, n);
          const expected = Float64Array.from(codes, (c) => model.classes_![c] as number);
          assert.deepEqual(pred, expected);
          assert.ok(new Set(pred).size > 1, 'more than one class predicted');
        }
      } finally {
        if (before === undefined) delete process.env.LATHE_LINEAR_KERNEL;
        else process.env.LATHE_LINEAR_KERNEL = before;
      }
    });
  }

  it('ties go to the first class, as scikit-learn’s predict (argmax of the scores; > 0 for binary)', () => {
    const { X, y } = problem(200, 3, 3, 1, 50);
    const Xm = matrix(X, 200, 3);
    // Three classes, the last two with identical coefficients and intercepts: every row ties
    // between them wherever they lead, and the first of the two (class 1) must win.
    const multi = new LogisticRegression().fit(Xm, y);
    multi.coef_![2] = multi.coef_![1].slice();
    multi.intercept_![2] = multi.intercept_![1];
    const z = multi.decisionFunction(Xm).data;
    const P = multi.predictProba(Xm).data;
    const codes = multi.predictCodes(Xm);
    let tied = 0;
    for (let i = 0; i < 200; i++) {
      const expected = z[i * 3 + 1] > z[i * 3] ? 1 : 0;
      assert.equal(codes[i], expected, `row ${i}`);
      assert.equal(P[i * 3 + 1], P[i * 3 + 2], 'tied scores, tied probabilities');
      if (expected === 1) tied++;
    }
    assert.ok(tied > 20, 'the tie decided some rows');
    // Binary: a score of exactly 0 (all coefficients and the intercept 0) is the first class, and
    // its probabilities tie at ½.
    const binary = new LogisticRegression().fit(
      Xm,
      Float64Array.from(y, (v) => (v > 0 ? 1 : 0)),
    );
    binary.coef_![0].fill(0);
    binary.intercept_![0] = 0;
    assert.deepEqual(Array.from(binary.predictCodes(Xm)), new Array(200).fill(0));
    assert.deepEqual(binary.predict(Xm), new Float64Array(200));
    const Pb = binary.predictProba(Xm).data;
    assert.ok(Pb.every((v) => v === 0.5));
  });

  it('NaN or ±∞ in X is an error at every prediction method, naming the column', () => {
    for (const K of [2, 3]) {
      const { X, y } = problem(300, 4, K === 2 ? 1 : K, 1, 60 + K);
      const model = new LogisticRegression().fit(matrix(X, 300, 4), y);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const Xb = matrix(X.slice(), 300, 4);
        Xb.data[123 * 4 + 2] = bad;
        for (const method of ['predict', 'predictCodes', 'predictProba', 'decisionFunction'] as const) {
          assert.throws(() => model[method](Xb), /column 'x2'/, `${method}, K=${K}, ${bad}`);
        }
      }
    }
  });

  it('large shared inputs are scored on the pool exactly as on one thread', () => {
    // 36 000 rows × 60 features × 8 classes ≥ 2^24 multiply-adds: the pool threshold.
    const train = problem(2000, 60, 8, 1, 41);
    const test = problem(36_000, 60, 8, 1, 42);
    const Xs = matrix(sharedCopy(test.X), 36_000, 60);
    const one = new LogisticRegression({ nThreads: 1 }).fit(matrix(train.X, 2000, 60), train.y);
    const two = estimatorFromTwo(one);
    const a = one.predictProba(Xs);
    const b = two.predictProba(Xs);
    assert.ok(b.data.buffer instanceof SharedArrayBuffer, 'the pool wrote a shared output');
    sameBits(a.data, b.data, 'predictProba');
    sameBits(one.decisionFunction(Xs).data, two.decisionFunction(Xs).data, 'decisionFunction');
    assert.deepEqual(two.predict(Xs), one.predict(Xs));
  });
});

/** The same fitted model, set to predict on two threads. */
function estimatorFromTwo(model: LogisticRegression): LogisticRegression {
  return estimatorFromJSON<LogisticRegression>(model.toJSON()).setParams({ nThreads: 2 });
}
