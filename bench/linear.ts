// LogisticRegression: Lathe vs scikit-learn, side by side in one invocation.
//
//   node --import tsx bench/linear.ts [--rows 100000,1000000] [--reps 3] [--threads 2] [--no-real]
//   LATHE_BENCH_ROWS=20000 node --import tsx bench/linear.ts     (quick check on small data)
//
// For each dataset (synthetic binary classification, 20 features, at each row count; and the real
// breast-cancer and digits sets, standardised) the data are written once to a temp directory as raw
// float64, then each repetition runs Lathe and scikit-learn — alternately, each in a fresh process
// that loads the same file — and reports fit time, predict time (predictProba on the held-out 20%)
// and throughput, held-out accuracy, and the process's peak RSS (data included, same data on both
// sides). Each process fits and predicts twice: the first ("cold") run includes V8's JIT warm-up on
// Lathe's side; the second shows steady-state speed (what repeated fits, e.g. cross-validation,
// see). scikit-learn runs with OMP_NUM_THREADS / OPENBLAS_NUM_THREADS = --threads; Lathe with
// nThreads = --threads. Prints one JSON line per dataset and a summary table; medians with
// min–max, ratio = Lathe median / scikit-learn median (≤ 1 means Lathe is at least as fast).
//
// Lathe's side loads the data into a SharedArrayBuffer (so a multi-threaded fit need not copy X
// into shared memory) and starts its worker pool before the timed fit — a once-per-process cost,
// reported separately as poolStartMs. JIT warm-up is inside the first timed fit.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matrix } from '../src/core/matrix.ts';
import { executorFor } from '../src/core/pool.ts';
import { Rng } from '../src/core/rng.ts';
import { LogisticRegression } from '../src/models/linear/index.ts';
import { LOSS_BLOCK, LogisticObjective } from '../src/models/linear/logistic-loss.ts';

interface Side {
  /** Lathe only: starting the worker pool before the timed fit (once per process). */
  poolStartMs?: number;
  /** First fit in a fresh process (Lathe: JIT warm-up included). */
  fitMs: number;
  /** Second fit of the same data in the same process. */
  fitWarmMs: number;
  predictMs: number;
  predictWarmMs: number;
  accuracy: number;
  nIter: number;
  peakRssMb: number;
}

interface DatasetSpec {
  name: string;
  dir: string;
  n: number;
  p: number;
}

const PYTHON = '/usr/bin/python3';
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

// ---------------------------------------------------------------------------------------------
// Child mode: one fit + predict on a dataset directory, result as JSON on stdout.

/**
 * Reads raw float64 straight into shared memory (as a worker-ready data layer would), so a
 * multi-threaded fit need not copy X, and no second copy of the file is held (fair peak RSS).
 */
function loadF64(path: string): Float64Array {
  const size = statSync(path).size;
  const out = new Float64Array(new SharedArrayBuffer(size));
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < size) read += readSync(fd, bytes, read, size - read, read);
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * Peak resident memory of this process in MB, from /proc (VmHWM). Not `resourceUsage().maxRSS`:
 * on Linux that high-water mark survives exec, so a child spawned from a big parent would report
 * the parent's size.
 */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Starts the worker pool and loads the loss module in the workers; returns the time it took. */
function warmPool(threads: number): number {
  if (threads <= 1) return 0;
  const t0 = performance.now();
  const n = 4 * LOSS_BLOCK;
  const data = {
    X: new Float64Array(n),
    n,
    p: 1,
    y: new Float64Array(n),
    sw: null,
    nClasses: 1,
    fitIntercept: true,
  };
  new LogisticObjective(data, 1, executorFor(threads), 0).evaluate(new Float64Array(2), new Float64Array(2));
  return performance.now() - t0;
}

function runLatheChild(dir: string, threads: number): void {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    n: number;
    p: number;
    nTrain: number;
  };
  const X = loadF64(join(dir, 'X.f64'));
  const y = loadF64(join(dir, 'y.f64'));
  const { n, p, nTrain } = meta;
  const Xtr = matrix(X.subarray(0, nTrain * p), nTrain, p);
  const Xte = matrix(X.subarray(nTrain * p), n - nTrain, p);
  const ytr = y.subarray(0, nTrain);
  const poolStartMs = warmPool(threads);
  const t0 = performance.now();
  const model = new LogisticRegression({ nThreads: threads }).fit(Xtr, ytr);
  const t1 = performance.now();
  const proba = model.predictProba(Xte);
  const t2 = performance.now();
  new LogisticRegression({ nThreads: threads }).fit(Xtr, ytr);
  const t3 = performance.now();
  model.predictProba(Xte);
  const t4 = performance.now();
  const K = proba.cols;
  let hit = 0;
  for (let i = 0; i < Xte.rows; i++) {
    let best = 0;
    for (let c = 1; c < K; c++) if (proba.data[i * K + c] > proba.data[i * K + best]) best = c;
    if (Number(model.classes_![best]) === y[nTrain + i]) hit++;
  }
  const out: Side = {
    fitMs: t1 - t0,
    fitWarmMs: t3 - t2,
    predictMs: t2 - t1,
    predictWarmMs: t4 - t3,
    accuracy: hit / Xte.rows,
    nIter: model.nIter_![0],
    peakRssMb: peakRssMb(),
    poolStartMs,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

const ANCHOR = `
import json, re, sys, time, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
warnings.simplefilter("ignore")
d = sys.argv[1]
meta = json.load(open(d + "/meta.json"))
n, p, nt = meta["n"], meta["p"], meta["nTrain"]
X = np.fromfile(d + "/X.f64").reshape(n, p)
y = np.fromfile(d + "/y.f64")
Xtr, Xte, ytr = X[:nt], X[nt:], y[:nt]
t0 = time.perf_counter()
m = LogisticRegression().fit(Xtr, ytr)
t1 = time.perf_counter()
P = m.predict_proba(Xte)
t2 = time.perf_counter()
LogisticRegression().fit(Xtr, ytr)
t3 = time.perf_counter()
m.predict_proba(Xte)
t4 = time.perf_counter()
acc = float(np.mean(m.classes_[P.argmax(axis=1)] == y[nt:]))
print(json.dumps({"fitMs": (t1 - t0) * 1e3, "predictMs": (t2 - t1) * 1e3, "accuracy": acc,
                  "fitWarmMs": (t3 - t2) * 1e3, "predictWarmMs": (t4 - t3) * 1e3,
                  "nIter": int(m.n_iter_[0]),
                  "peakRssMb": int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) / 1024}))
`;

// ---------------------------------------------------------------------------------------------
// Parent mode.

function writeDataset(dir: string, X: Float64Array, y: Float64Array, n: number, p: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
  writeFileSync(join(dir, 'y.f64'), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n, p, nTrain: Math.floor(n * 0.8) }));
}

/** Synthetic binary classification: 20 features (12 informative, some correlated), logistic labels. */
function synthetic(n: number, root: string): DatasetSpec {
  const p = 20;
  const rng = new Rng(2024);
  const X = new Float64Array(n * p);
  const w = Array.from({ length: p }, (_, j) => (j < 12 ? rng.normal() : 0));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const shared = rng.normal();
    for (let j = 0; j < p; j++)
      X[o + j] = rng.normal() + (j % 4 === 0 ? 0.5 * shared : 0) + (j === 3 ? 2 : 0);
    let z = -0.3;
    for (let j = 0; j < p; j++) z += w[j] * X[o + j];
    y[i] = rng.random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const dir = join(root, `synthetic-${n}`);
  writeDataset(dir, X, y, n, p);
  return { name: `synthetic ${n.toLocaleString('en')} × ${p}, binary`, dir, n, p };
}

/**
 * A real set bundled with scikit-learn (no download): digits (1,797 × 64, 10 classes) or breast
 * cancer (569 × 30, binary), standardised, rows shuffled with a fixed seed.
 */
function realDataset(root: string, which: 'digits' | 'breast_cancer'): DatasetSpec {
  const dir = join(root, which);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(
    PYTHON,
    [
      '-c',
      `import json, numpy as np
from sklearn.datasets import load_${which}
from sklearn.preprocessing import StandardScaler
X, y = load_${which}(return_X_y=True)
idx = np.random.RandomState(0).permutation(len(y))
X = StandardScaler().fit_transform(X[idx]); y = y[idx].astype(float)
d = ${JSON.stringify(dir)}
np.ascontiguousarray(X).tofile(d + "/X.f64"); y.tofile(d + "/y.f64")
json.dump({"n": int(X.shape[0]), "p": int(X.shape[1]), "nTrain": int(X.shape[0] * 0.8)}, open(d + "/meta.json", "w"))`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`preparing ${which} failed: ${r.stderr}`);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { n: number; p: number };
  const what = which === 'digits' ? '10 classes' : 'binary';
  return {
    name: `${which} ${meta.n.toLocaleString('en')} × ${meta.p}, ${what} (real)`,
    dir,
    n: meta.n,
    p: meta.p,
  };
}

function runSide(kind: 'lathe' | 'sklearn', dir: string, threads: number): Side {
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    LATHE_QUIET_WARNINGS: '1',
  };
  const r =
    kind === 'lathe'
      ? spawnSync(
          process.execPath,
          [...process.execArgv, import.meta.filename, '--child', dir, '--threads', String(threads)],
          {
            encoding: 'utf8',
            env,
            maxBuffer: 1 << 20,
          },
        )
      : spawnSync(PYTHON, ['-c', ANCHOR, dir], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${kind} run failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Side;
}

function stats(v: number[]): { median: number; min: number; max: number } {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

function fmt(x: { median: number; min: number; max: number }, digits = 0): string {
  return `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
}

function main(): void {
  if (flag('child')) {
    runLatheChild(flag('child')!, Number(flag('threads') ?? 1));
    return;
  }
  const rows = (process.env.LATHE_BENCH_ROWS ?? flag('rows') ?? '100000,1000000').split(',').map(Number);
  const reps = Number(flag('reps') ?? 3);
  const threads = Number(flag('threads') ?? 2);
  const root = join(tmpdir(), 'lathe-bench-linear');
  const specs: DatasetSpec[] = rows.map((n) => synthetic(n, root));
  if (!args.includes('--no-real'))
    specs.push(realDataset(root, 'breast_cancer'), realDataset(root, 'digits'));

  console.error(
    `LogisticRegression (lbfgs, C=1, tol=1e-4, maxIter=100), ${threads} thread(s), ${reps} repetitions`,
  );
  for (const spec of specs) {
    const lathe: Side[] = [];
    const sk: Side[] = [];
    for (let r = 0; r < reps; r++) {
      // Alternate which side goes first.
      if (r % 2 === 0) {
        lathe.push(runSide('lathe', spec.dir, threads));
        sk.push(runSide('sklearn', spec.dir, threads));
      } else {
        sk.push(runSide('sklearn', spec.dir, threads));
        lathe.push(runSide('lathe', spec.dir, threads));
      }
    }
    const nTest = spec.n - Math.floor(spec.n * 0.8);
    const lf = stats(lathe.map((s) => s.fitMs));
    const sf = stats(sk.map((s) => s.fitMs));
    const lfw = stats(lathe.map((s) => s.fitWarmMs));
    const sfw = stats(sk.map((s) => s.fitWarmMs));
    const lp = stats(lathe.map((s) => s.predictMs));
    const sp = stats(sk.map((s) => s.predictMs));
    const lpw = stats(lathe.map((s) => s.predictWarmMs));
    const spw = stats(sk.map((s) => s.predictWarmMs));
    const result = {
      bench: 'linear/logistic-regression',
      dataset: spec.name,
      rows: spec.n,
      features: spec.p,
      threads,
      reps,
      lathe: {
        fitMs: lf,
        fitWarmMs: lfw,
        predictMs: lp,
        predictWarmMs: lpw,
        predictRowsPerSec: nTest / (lpw.median / 1000),
        accuracy: lathe[0].accuracy,
        nIter: lathe[0].nIter,
        peakRssMb: stats(lathe.map((s) => s.peakRssMb)),
        poolStartMs: stats(lathe.map((s) => s.poolStartMs ?? 0)),
      },
      sklearn: {
        fitMs: sf,
        fitWarmMs: sfw,
        predictMs: sp,
        predictWarmMs: spw,
        predictRowsPerSec: nTest / (spw.median / 1000),
        accuracy: sk[0].accuracy,
        nIter: sk[0].nIter,
        peakRssMb: stats(sk.map((s) => s.peakRssMb)),
      },
      fitRatio: lf.median / sf.median,
      fitWarmRatio: lfw.median / sfw.median,
      predictRatio: lp.median / sp.median,
      predictWarmRatio: lpw.median / spw.median,
      accuracyDiff: lathe[0].accuracy - sk[0].accuracy,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    console.error(`\n${spec.name}`);
    const line = (what: string, l: ReturnType<typeof stats>, k: ReturnType<typeof stats>, d = 0) =>
      console.error(
        `  ${what.padEnd(15)}Lathe ${fmt(l, d)}   scikit-learn ${fmt(k, d)}   ratio ${(l.median / k.median).toFixed(2)}`,
      );
    line('fit ms', lf, sf);
    line('  2nd fit', lfw, sfw);
    line('predict ms', lp, sp, 1);
    line('  2nd predict', lpw, spw, 1);
    console.error(
      `  accuracy     Lathe ${result.lathe.accuracy.toFixed(4)}   scikit-learn ${result.sklearn.accuracy.toFixed(4)}   iterations ${result.lathe.nIter} / ${result.sklearn.nIter}`,
    );
    console.error(
      `  peak RSS MB  Lathe ${fmt(result.lathe.peakRssMb)}   scikit-learn ${fmt(result.sklearn.peakRssMb)}`,
    );
    console.error(`  Lathe worker pool start (not in fit) ${fmt(result.lathe.poolStartMs)} ms`);
  }
}

main();
