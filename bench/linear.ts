// LogisticRegression: Lathe vs scikit-learn, side by side in one invocation.
//
//   node --import tsx bench/linear.ts [--rows 100000,1000000] [--reps 3] [--warm 2] [--threads 2]
//                                     [--input plain|shared] [--no-hugepages] [--no-real]
//   LATHE_BENCH_ROWS=20000 node --import tsx bench/linear.ts --reps 1     (quick check on small data)
//
// Run `npm run build` first: Lathe's side runs the TypeScript sources (through tsx) with the
// WebAssembly kernels that the build compiles to build/wasm/linear.wasm (without them it falls back
// to the slower TypeScript kernels, and says so below).
//
// For each dataset (synthetic binary classification, 20 features, at each row count; and the real
// breast-cancer and digits sets, standardised) the data are written once to a temp directory as raw
// float64; then each repetition runs Lathe and scikit-learn (bench/linear-anchor.py) — alternately,
// which side goes first swapping each time — each in a fresh process that loads the same file and:
//
// - fits once: the "cold" fit, what a user running `lathe train` sees (Lathe's first fit in a
//   process also pays for compiling whatever code is not yet compiled);
// - scores the held-out 20% with predictProba / predict_proba, then predict (cold), then (Lathe
//   only) predictCodes — the class indices as an Int32Array, compared with scikit-learn's predict
//   (the classes here are numbers, so Lathe's predict returns a Float64Array, as scikit-learn a
//   NumPy array; before 2026-11-28 it returned a JavaScript array of labels, made in fresh memory
//   every call);
// - repeats fit, predictProba, predict (and predictCodes) --warm times: "warm" is the fastest of
//   them (what repeated fits, e.g. cross-validation, see);
// - then "steady": predictProba, predict (and predictCodes) each called the same number of times
//   on both sides (enough calls for 256 MB of 8-byte results, at least 20 and at most 500; the
//   parent passes the count), then the median of 10 more — the throughput of a long-running
//   process such as a server, once the code is optimised and (for typed arrays) V8 has collected
//   enough dropped results that their memory is reused. A few warm calls say little about that in
//   JavaScript: V8 optimises a function only after it has run a while, and frees a dropped typed
//   array's memory only at a garbage collection (NumPy frees it at once), so early results land in
//   fresh pages. (A JavaScript array of more than 16 384 elements — what Lathe's predict returned
//   before 2026-11-28 — is mapped afresh every call, steady or not.)
//
// Every figure is measured twice: wall time and CPU time of the whole process, all threads
// (process.cpuUsage / time.process_time). On a shared machine the CPU times are the figures to
// compare; wall times are only meaningful when `uptime` shows a low load (the load average is
// printed beside each dataset). Also printed: held-out accuracy, iterations, the largest
// coefficient difference between the two sides, and each process's resident memory after loading
// the data and at its peak (VmHWM).
//
// --input plain (default) hands Lathe X in ordinary memory, as `lathe train` does: its fit then
// runs on the calling thread (the pool is used only when X already lives in shared memory, see
// docs/models/linear.md). --input shared loads X straight into a SharedArrayBuffer, so a fit with
// --threads > 1 uses the worker pool; the pool is started before the timed fit (its start-up, a
// once-per-process cost, is printed separately). scikit-learn runs with OMP_NUM_THREADS /
// OPENBLAS_NUM_THREADS = --threads, Lathe with nThreads = --threads.
//
// Memory pages: on the machines this was written on (virtual machines where the first touch of a
// 4 KB page costs 7–20 µs), NumPy's arrays get transparent huge pages (NumPy madvises every large
// allocation), Node's do not — so without help the first pass over freshly read data costs Node
// ≈ 0.3 s per 160 MB more than Python, and every fresh output array costs it page faults NumPy
// avoids. Both children therefore run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which makes
// glibc's malloc (behind Node's ArrayBuffers) madvise large blocks the way NumPy does;
// --no-hugepages measures without it.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { matrix } from '../src/core/matrix.ts';
import { executorFor } from '../src/core/pool.ts';
import { Rng } from '../src/core/rng.ts';
import { LogisticRegression } from '../src/models/linear/index.ts';
import { LOSS_BLOCK, LogisticObjective } from '../src/models/linear/logistic-loss.ts';
import { lossWasmAvailable } from '../src/models/linear/loss-wasm.ts';

/** Wall and CPU milliseconds of one call. */
interface Cost {
  wall: number;
  cpu: number;
}

/** What one side's process reports. */
interface Side {
  fit: { cold: Cost; warm: Cost };
  proba: { cold: Cost; warm: Cost; steady: Cost };
  predict: { cold: Cost; warm: Cost; steady: Cost };
  /** Lathe only: predictCodes (scikit-learn's side reports its predict here). */
  codes?: { cold: Cost; warm: Cost; steady: Cost };
  accuracy: number;
  nIter: number;
  /** Coefficients then intercepts, scikit-learn's layout. */
  coef: number[];
  rssLoadedMb: number;
  peakRssMb: number;
  /** Lathe with --input shared and several threads: starting the pool before the timed fit. */
  poolStart?: Cost;
}

interface DatasetSpec {
  name: string;
  dir: string;
  n: number;
  p: number;
}

const PYTHON = '/usr/bin/python3';
const ANCHOR = new URL('./linear-anchor.py', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

// ---------------------------------------------------------------------------------------------
// Child mode: Lathe's side on one dataset, result as JSON on stdout.

/** Reads raw float64 into ordinary or shared memory (no second copy of the file is held). */
function loadF64(path: string, shared: boolean): Float64Array {
  const size = statSync(path).size;
  const out = new Float64Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
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
 * A field of /proc/self/status in MB (VmHWM: peak resident memory; VmRSS: current). Not
 * `resourceUsage().maxRSS`: on Linux that high-water mark survives exec, so a child spawned from a
 * big parent would report the parent's size.
 */
function statusMb(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function timed<T>(f: () => T): [T, Cost] {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const out = f();
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  return [out, { wall, cpu: (c.user + c.system) / 1000 }];
}

/** Starts the worker pool and loads the loss module in the workers. */
function warmPool(threads: number): void {
  const n = 4 * LOSS_BLOCK;
  const data = {
    X: new Float64Array(new SharedArrayBuffer(n * 8)),
    n,
    p: 1,
    y: new Float64Array(n),
    sw: null,
    nClasses: 1,
    fitIntercept: true,
  };
  new LogisticObjective(data, 1, executorFor(threads), 0).evaluate(new Float64Array(2), new Float64Array(2));
}

/**
 * Calls before the steady figure: enough for 256 MB of results at 8 bytes per row (at least 20,
 * at most 500); the same on both sides.
 */
function steadyCalls(nTest: number): number {
  return Math.max(20, Math.min(500, Math.ceil(2 ** 28 / (8 * Math.max(nTest, 1)))));
}

/** After `calls` untimed calls, the median wall and CPU time of 10 more. */
function steady(fn: () => unknown, calls: number): Cost {
  for (let i = 0; i < calls; i++) fn();
  const t = Array.from({ length: 10 }, () => timed(fn)[1]);
  const mid = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  return { wall: mid(t.map((c) => c.wall)), cpu: mid(t.map((c) => c.cpu)) };
}

const fastest = (runs: Cost[]): Cost => ({
  wall: Math.min(...runs.map((r) => r.wall)),
  cpu: Math.min(...runs.map((r) => r.cpu)),
});

function runLatheChild(
  dir: string,
  threads: number,
  warmReps: number,
  shared: boolean,
  laterCalls: number,
): void {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    n: number;
    p: number;
    nTrain: number;
  };
  const X = loadF64(join(dir, 'X.f64'), shared);
  const y = loadF64(join(dir, 'y.f64'), false);
  const { n, p, nTrain } = meta;
  const Xtr = matrix(X.subarray(0, nTrain * p), nTrain, p);
  const Xte = matrix(X.subarray(nTrain * p), n - nTrain, p);
  const ytr = y.subarray(0, nTrain);
  const rssLoadedMb = statusMb('VmRSS');
  const poolStart = shared && threads > 1 ? timed(() => warmPool(threads))[1] : undefined;
  const fit = () => new LogisticRegression({ nThreads: threads }).fit(Xtr, ytr);
  const [model, fitCold] = timed(fit);
  const [, probaCold] = timed(() => model.predictProba(Xte));
  const [pred, predictCold] = timed(() => model.predict(Xte));
  const [codes, codesCold] = timed(() => model.predictCodes(Xte));
  const warm: Record<'fit' | 'proba' | 'predict' | 'codes', Cost[]> = {
    fit: [],
    proba: [],
    predict: [],
    codes: [],
  };
  for (let r = 0; r < warmReps; r++) {
    warm.fit.push(timed(fit)[1]);
    warm.proba.push(timed(() => model.predictProba(Xte))[1]);
    warm.predict.push(timed(() => model.predict(Xte))[1]);
    warm.codes.push(timed(() => model.predictCodes(Xte))[1]);
  }
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] !== model.classes_![codes[i]])
      throw new Error(`predictCodes disagrees with predict at row ${i}`);
  }
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[nTrain + i]) hit++;
  const peakRssMb = statusMb('VmHWM'); // before the later calls: their garbage is not the model's
  const out: Side = {
    fit: { cold: fitCold, warm: fastest(warm.fit) },
    proba: {
      cold: probaCold,
      warm: fastest(warm.proba),
      steady: steady(() => model.predictProba(Xte), laterCalls),
    },
    predict: {
      cold: predictCold,
      warm: fastest(warm.predict),
      steady: steady(() => model.predict(Xte), laterCalls),
    },
    codes: {
      cold: codesCold,
      warm: fastest(warm.codes),
      steady: steady(() => model.predictCodes(Xte), laterCalls),
    },
    accuracy: hit / pred.length,
    nIter: model.nIter_![0],
    coef: [...model.coef_!.flatMap((c) => [...c]), ...model.intercept_!],
    rssLoadedMb,
    peakRssMb,
    poolStart,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

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

interface RunOptions {
  threads: number;
  warm: number;
  /** Untimed calls before the steady figure (see steadyCalls). */
  laterCalls: number;
  input: 'plain' | 'shared';
  hugepages: boolean;
}

function runSide(kind: 'lathe' | 'sklearn', dir: string, o: RunOptions): Side {
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(o.threads),
    OPENBLAS_NUM_THREADS: String(o.threads),
    LATHE_QUIET_WARNINGS: '1',
    // Transparent huge pages for large allocations on both sides: NumPy asks for them itself
    // (madvise) for every array of 4 MB or more; Node's allocations go through glibc's malloc,
    // which asks for them with this setting. See the header.
    ...(o.hugepages ? { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } : {}),
  };
  const r =
    kind === 'lathe'
      ? spawnSync(
          process.execPath,
          [
            ...process.execArgv,
            import.meta.filename,
            '--child',
            dir,
            '--threads',
            String(o.threads),
            '--warm',
            String(o.warm),
            '--input',
            o.input,
            '--later-calls',
            String(o.laterCalls),
          ],
          { encoding: 'utf8', env, maxBuffer: 1 << 24 },
        )
      : spawnSync(PYTHON, [ANCHOR, dir, String(o.warm), String(o.laterCalls)], {
          encoding: 'utf8',
          env,
          maxBuffer: 1 << 24,
        });
  if (r.status !== 0) throw new Error(`${kind} run failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Side;
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

function stats(v: number[]): Stat {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

function fmt(x: Stat, digits: number): string {
  return `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
}

type Phase = 'fit' | 'proba' | 'predict' | 'codes';
type Temp = 'cold' | 'warm' | 'steady';
type Clock = 'wall' | 'cpu';

/** Median (min–max) of one figure over the repetitions, both sides, and the ratio of medians. */
function compare(lathe: Side[], sk: Side[], pick: (s: Side) => number) {
  const l = stats(lathe.map(pick));
  const k = stats(sk.map(pick));
  return { lathe: l, sklearn: k, ratio: l.median / k.median };
}

/** The largest |Lathe − scikit-learn| over the coefficients, relative to max(1, |scikit-learn|). */
function coefDiff(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = Math.abs((a[i] ?? Number.NaN) - (b[i] ?? Number.NaN)) / Math.max(1, Math.abs(b[i] ?? 0));
    worst = Math.max(worst, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
  }
  return worst;
}

function main(): void {
  const o: RunOptions = {
    threads: Number(flag('threads') ?? 2),
    warm: Number(flag('warm') ?? 2),
    laterCalls: Number(flag('later-calls') ?? 20),
    input: flag('input') === 'shared' ? 'shared' : 'plain',
    hugepages: !args.includes('--no-hugepages'),
  };
  if (flag('child')) {
    runLatheChild(flag('child')!, o.threads, o.warm, o.input === 'shared', o.laterCalls);
    return;
  }
  const rows = (process.env.LATHE_BENCH_ROWS ?? flag('rows') ?? '100000,1000000').split(',').map(Number);
  const reps = Number(flag('reps') ?? 3);
  const root = join(tmpdir(), 'lathe-bench-linear');
  const specs: DatasetSpec[] = rows.map((n) => synthetic(n, root));
  if (!args.includes('--no-real'))
    specs.push(realDataset(root, 'breast_cancer'), realDataset(root, 'digits'));

  if (!lossWasmAvailable())
    console.error('build/wasm/linear.wasm is missing: Lathe runs its TypeScript kernels');
  console.error(
    `LogisticRegression (lbfgs, C=1, tol=1e-4, maxIter=100), ${o.threads} thread(s), input ${o.input}, ` +
      `huge pages ${o.hugepages ? 'on' : 'off'}, ` +
      `${reps} repetition(s) of: a fresh process per side, 1 cold + ${o.warm} warm fits (warm = fastest), ` +
      'then steady predictions (median of 10 after the same number of calls on both sides); ' +
      "'codes' = Lathe's predictCodes (Int32Array) against scikit-learn's predict",
  );
  for (const spec of specs) {
    const lathe: Side[] = [];
    const sk: Side[] = [];
    const loads: number[] = [];
    const nTest = spec.n - Math.floor(spec.n * 0.8);
    const run = { ...o, laterCalls: steadyCalls(nTest) };
    for (let r = 0; r < reps; r++) {
      // Alternate which side goes first.
      for (const kind of r % 2 === 0 ? (['lathe', 'sklearn'] as const) : (['sklearn', 'lathe'] as const)) {
        loads.push(loadavg()[0]);
        (kind === 'lathe' ? lathe : sk).push(runSide(kind, spec.dir, run));
      }
    }
    const figures: Record<string, ReturnType<typeof compare>> = {};
    for (const phase of ['fit', 'proba', 'predict', 'codes'] as Phase[]) {
      for (const temp of (phase === 'fit' ? ['cold', 'warm'] : ['cold', 'warm', 'steady']) as Temp[]) {
        for (const clock of ['cpu', 'wall'] as Clock[]) {
          // predictCodes against scikit-learn's predict (it has no other).
          figures[`${phase}.${temp}.${clock}`] = compare(lathe, sk, (s) =>
            phase === 'codes'
              ? (s.codes ?? s.predict)[temp as 'steady'][clock]
              : (s[phase] as Record<Temp, Cost>)[temp][clock],
          );
        }
      }
    }
    const rss = {
      loaded: compare(lathe, sk, (s) => s.rssLoadedMb),
      peak: compare(lathe, sk, (s) => s.peakRssMb),
    };
    const result = {
      bench: 'linear/logistic-regression',
      dataset: spec.name,
      rows: spec.n,
      features: spec.p,
      threads: o.threads,
      input: o.input,
      hugepages: o.hugepages,
      reps,
      warmReps: o.warm,
      laterCalls: run.laterCalls,
      loadAverage: stats(loads),
      figures,
      predictRowsPerSecWarm: {
        lathe: nTest / (figures['proba.warm.wall'].lathe.median / 1000),
        sklearn: nTest / (figures['proba.warm.wall'].sklearn.median / 1000),
      },
      predictRowsPerSecSteady: {
        lathe: nTest / (figures['proba.steady.wall'].lathe.median / 1000),
        sklearn: nTest / (figures['proba.steady.wall'].sklearn.median / 1000),
      },
      rssMb: rss,
      poolStart: lathe[0].poolStart ? stats(lathe.map((s) => s.poolStart!.wall)) : null,
      accuracy: { lathe: lathe[0].accuracy, sklearn: sk[0].accuracy },
      nIter: { lathe: lathe[0].nIter, sklearn: sk[0].nIter },
      maxCoefDiff: coefDiff(lathe[0].coef, sk[0].coef),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    console.error(`\n${spec.name}   (load average during the runs ${fmt(result.loadAverage, 1)})`);
    console.error(
      `  ${''.padEnd(17)}${'Lathe ms'.padEnd(26)}${'scikit-learn ms'.padEnd(26)}ratio   (CPU time, all threads; wall time below)`,
    );
    for (const key of Object.keys(figures)) {
      const [phase, temp, clock] = key.split('.');
      const f = figures[key];
      const d = phase === 'fit' ? 0 : temp === 'steady' ? 3 : 1;
      const name = phase === 'codes' ? 'codes' : phase;
      const label = clock === 'cpu' ? `${name} ${temp}` : '  wall';
      console.error(
        `  ${label.padEnd(17)}${fmt(f.lathe, d).padEnd(26)}${fmt(f.sklearn, d).padEnd(26)}${f.ratio.toFixed(2)}`,
      );
    }
    console.error(
      `  accuracy         Lathe ${result.accuracy.lathe.toFixed(4)}   scikit-learn ${result.accuracy.sklearn.toFixed(4)}   iterations ${result.nIter.lathe} / ${result.nIter.sklearn}   max coefficient difference ${result.maxCoefDiff.toExponential(1)}`,
    );
    console.error(
      `  RSS MB, loaded   Lathe ${fmt(rss.loaded.lathe, 0)}   scikit-learn ${fmt(rss.loaded.sklearn, 0)}`,
    );
    console.error(
      `  RSS MB, peak     Lathe ${fmt(rss.peak.lathe, 0)}   scikit-learn ${fmt(rss.peak.sklearn, 0)}`,
    );
    if (result.poolStart)
      console.error(`  Lathe worker pool start (not in fit) ${fmt(result.poolStart, 0)} ms wall`);
  }
}

main();
