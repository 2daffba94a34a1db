// Random forests side by side (DESIGN.md, "Performance"): Lathe's RandomForestClassifier vs
// scikit-learn's (100 trees, both on the same thread count; OMP_NUM_THREADS and LATHE_THREADS set),
// on a synthetic N × 20 set at each size in --sizes and on the real digits set; then Lathe vs the
// npm packages ml-random-forest (100 trees) and ml-cart (one tree, against Lathe's
// DecisionTreeClassifier) at --ml-rows rows, a size they finish at — measured, not extrapolated
// (they take minutes per forest, so --ml-repeats defaults to 1).
// Each run is a child process (its own peak RSS); runs alternate between the sides.
//
//   node --import tsx bench/forest.ts [--sizes 100000,1000000] [--repeats 3] [--threads 2]
//                                     [--ml-rows 2000] [--ml-repeats 1] [--skip-ml]
//                                     [--cart-rows N (default --ml-rows)] [--cart-chunks 8] [--only-ml]
//                                     [--ml-cases rf,cart,digits] [--cart-columns both|generated|shuffled]
//                                     [--cart-holdout 40000]
// Prints a table and one JSON line per configuration (medians, min, max, ratios). The Lathe side
// runs the built package (dist/, rebuilt first); LATHE_BENCH_SRC=1 runs the TypeScript sources.
import { execFileSync } from 'node:child_process';
import { buildOnce, flag, median, root, writeDataset } from './forest-data.ts';

const sizes = flag('sizes', '100000,1000000').split(',').map(Number);
const repeats = Number(flag('repeats', '3'));
const threads = Number(flag('threads', '2'));
const mlRows = Number(flag('ml-rows', '2000'));
// The npm packages take minutes per forest: one repetition unless asked for more.
const mlRepeats = Number(flag('ml-repeats', '1'));
const skipMl = process.argv.includes('--skip-ml');
// ml-cart grows one tree, so it finishes at sizes where ml-random-forest takes many minutes.
const cartRows = Number(flag('cart-rows', String(mlRows)));
// The one-tree comparison runs on this many disjoint windows of --cart-rows rows (mean accuracy).
const cartChunks = Number(flag('cart-chunks', '8'));
// Only the npm-package comparisons (skips the scikit-learn sizes and digits).
const onlyMl = process.argv.includes('--only-ml');
// Which npm-package comparisons: rf (ml-random-forest on the synthetic set), cart (ml-cart),
// digits (ml-random-forest on digits: over ten minutes).
const mlCases = new Set(flag('ml-cases', 'rf,cart,digits').split(','));
// The one-tree comparison's column order: as generated (the informative columns first, the noise
// columns last), shuffled per window (every side sees the same shuffle), or both. ml-cart breaks
// ties between columns of equal gain by the lowest index, Lathe and scikit-learn by a seeded random
// order; in small nodes a third of the splits tie, so with the noise columns last the lowest index
// is the better guess on this data — and the worse one with the columns reversed.
const cartColumns = flag('cart-columns', 'both');
// Each window's tree is also scored on the same --cart-holdout rows after the windows (no tree
// trains on them): a window's own 2 000 test rows move one small tree's accuracy by a point or
// two, the shared held-out rows much less, and every side is scored on the same rows (paired).
const cartHoldout = Number(flag('cart-holdout', '40000'));

buildOnce();

interface RunResult {
  fit: number;
  /** Process CPU time of the fit (every thread), s. */
  fitCpu: number;
  /** The first predict call after fit (cold). */
  predictRowsPerSec: number;
  predictCpu: number;
  /** The faster of the two calls after it (null for the npm packages: minutes per call). */
  predictWarmRowsPerSec: number | null;
  predictWarmCpu: number | null;
  accuracy: number;
  /** Accuracy on the shared held-out rows (BENCH_HOLDOUT), when asked for. */
  holdoutAccuracy?: number;
  peakRssAfterFitMB: number;
  peakRssMB: number;
}

function run(
  who: string,
  prefix: string,
  rows?: number,
  offset = 0,
  columns?: number[],
  holdout?: [number, number],
): RunResult {
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    LATHE_THREADS: String(threads),
    ...(holdout ? { BENCH_HOLDOUT: holdout.join(':') } : {}),
  };
  const extra = rows ? [String(rows), String(offset), ...(columns ? [columns.join(',')] : [])] : [];
  const out = who.startsWith('sklearn')
    ? execFileSync(
        '/usr/bin/python3',
        [
          `${root}bench/forest-anchor.py`,
          who === 'sklearn-tree' ? 'tree' : 'forest',
          prefix,
          String(threads),
          ...extra,
        ],
        { env, encoding: 'utf8', maxBuffer: 1 << 24 },
      )
    : execFileSync(
        process.execPath,
        ['--import', 'tsx', `${root}bench/forest-run.ts`, who, prefix, String(threads), ...extra],
        {
          env,
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      );
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

const f = (x: number, d = 2) => x.toFixed(d);

/** 0…n−1 in a random order (Fisher–Yates on a seeded LCG: the same for every side of a window). */
function shuffled(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * Runs every side `reps` times on the same rows — or, with `chunks` > 1, once on each of `chunks`
 * disjoint windows of `rows` rows (a different train/test split each), which the one-tree
 * comparison needs: one small tree's test accuracy moves by a point or two with the split.
 */
function compare(
  title: string,
  prefix: string,
  who: string[],
  base: string,
  rows?: number,
  reps = repeats,
  chunks = 1,
  shuffleColumns = false,
  holdout?: [number, number],
): void {
  const results = new Map<string, RunResult[]>(who.map((w) => [w, []]));
  const runs = chunks > 1 ? chunks : reps;
  for (let r = 0; r < runs; r++) {
    const columns = shuffleColumns ? shuffled(20, r + 1) : undefined;
    for (const w of who)
      results.get(w)!.push(run(w, prefix, rows, chunks > 1 ? r * rows! : 0, columns, holdout));
  }
  const summary: Record<string, unknown> = { bench: 'forest', title, threads, repeats: reps, chunks };
  console.log(
    `\n${title}, ${threads} thread(s), ${chunks > 1 ? `${chunks} disjoint ${rows}-row windows` : `${reps} repeats`}`,
  );
  console.log(
    `                   fit median [min, max] s  (CPU s)     predict rows/s cold (CPU s)  warm (CPU s)      accuracy${holdout ? ' (test / held-out)' : ''}   peak RSS MB (after fit)`,
  );
  const med = (rs: RunResult[], k: keyof RunResult) =>
    rs[0][k] === null || rs[0][k] === undefined ? null : median(rs.map((x) => x[k] as number));
  const opt = (x: number | null, d: number) => (x === null ? '-' : f(x, d));
  for (const w of who) {
    const rs = results.get(w)!;
    const fits = rs.map((x) => x.fit);
    const s = {
      fitMedian: median(fits),
      fitMin: Math.min(...fits),
      fitMax: Math.max(...fits),
      fitCpu: med(rs, 'fitCpu'),
      predictRowsPerSec: median(rs.map((x) => x.predictRowsPerSec)),
      predictCpu: med(rs, 'predictCpu'),
      predictWarmRowsPerSec: med(rs, 'predictWarmRowsPerSec'),
      predictWarmCpu: med(rs, 'predictWarmCpu'),
      // The mean over windows (one window or repeats of the same rows: the same as the median).
      accuracy: chunks > 1 ? mean(rs.map((x) => x.accuracy)) : median(rs.map((x) => x.accuracy)),
      holdoutAccuracy: holdout ? mean(rs.map((x) => x.holdoutAccuracy!)) : null,
      peakRssAfterFitMB: med(rs, 'peakRssAfterFitMB'),
      peakRssMB: median(rs.map((x) => x.peakRssMB)),
    };
    summary[w] = s;
    console.log(
      `${w.padEnd(18)} ${f(s.fitMedian, 3).padStart(8)} [${f(s.fitMin, 3)}, ${f(s.fitMax, 3)}] (${opt(s.fitCpu, 3)})`.padEnd(
        56,
      ) +
        `${Math.round(s.predictRowsPerSec).toString().padStart(10)} (${opt(s.predictCpu, 3)})`.padEnd(28) +
        `${s.predictWarmRowsPerSec === null ? '-' : Math.round(s.predictWarmRowsPerSec)} (${opt(s.predictWarmCpu, 3)})`.padEnd(
          22,
        ) +
        `${f(s.accuracy, 4)}${s.holdoutAccuracy === null ? '' : ` / ${f(s.holdoutAccuracy, 4)}`}   ${f(s.peakRssMB, 0).padStart(8)} (${opt(s.peakRssAfterFitMB, 0)})`,
    );
  }
  const l = summary[base] as {
    fitMedian: number;
    fitCpu: number | null;
    predictRowsPerSec: number;
    predictCpu: number | null;
    predictWarmRowsPerSec: number | null;
    predictWarmCpu: number | null;
    accuracy: number;
    peakRssMB: number;
  };
  for (const w of who) {
    if (w === base) continue;
    const s = summary[w] as typeof l;
    const fitRatio = l.fitMedian / s.fitMedian;
    const predictRatio = s.predictRowsPerSec / l.predictRowsPerSec;
    summary[`fitRatio_${w}`] = fitRatio;
    summary[`predictTimeRatio_${w}`] = predictRatio;
    // CPU-time and warm-call ratios, where both sides have them (they hold on a busy machine).
    const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : a / b);
    const extra = {
      fitCpuRatio: ratio(l.fitCpu, s.fitCpu),
      predictCpuRatio: ratio(l.predictCpu, s.predictCpu),
      predictWarmTimeRatio: ratio(s.predictWarmRowsPerSec, l.predictWarmRowsPerSec),
      predictWarmCpuRatio: ratio(l.predictWarmCpu, s.predictWarmCpu),
    };
    for (const [k, v] of Object.entries(extra)) summary[`${k}_${w}`] = v;
    summary[`accuracyDiff_${w}`] = l.accuracy - s.accuracy;
    let spread = '';
    let held = '';
    if (chunks > 1) {
      // Paired by window: the standard error of the mean accuracy difference.
      const b = results.get(base)!;
      const pairedSe = (k: 'accuracy' | 'holdoutAccuracy') => {
        const d = results.get(w)!.map((x, i) => b[i][k]! - x[k]!);
        const m = mean(d);
        return [m, Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / (d.length - 1) / d.length)];
      };
      const [, se] = pairedSe('accuracy');
      summary[`accuracyDiffSe_${w}`] = se;
      spread = ` ± ${f(100 * se, 2)} (s.e. over ${chunks} windows)`;
      if (holdout) {
        const [m, hse] = pairedSe('holdoutAccuracy');
        summary[`holdoutAccuracyDiff_${w}`] = m;
        summary[`holdoutAccuracyDiffSe_${w}`] = hse;
        held = `; on the ${holdout[1] - holdout[0]} held-out rows ${m >= 0 ? '+' : ''}${f(100 * m, 2)} ± ${f(100 * hse, 2)}`;
      }
    }
    console.log(
      `ratio ${base}/${w}: fit ${f(fitRatio, 3)} (${f(1 / fitRatio, 1)}× faster; CPU ${opt(extra.fitCpuRatio, 3)}), ` +
        `predict time cold ${f(predictRatio, 3)} (CPU ${opt(extra.predictCpuRatio, 3)}), warm ${opt(extra.predictWarmTimeRatio, 3)} (CPU ${opt(extra.predictWarmCpuRatio, 3)}), ` +
        `accuracy ${l.accuracy >= s.accuracy ? '+' : ''}${f(100 * (l.accuracy - s.accuracy), 2)}${spread}${held} points, peak RSS ${f(l.peakRssMB / s.peakRssMB)}`,
    );
  }
  console.log(JSON.stringify(summary));
}

for (const rows of onlyMl ? [] : sizes) {
  compare(
    `synthetic ${rows} × 20, RandomForest 100 trees`,
    writeDataset('synthetic', rows),
    ['lathe', 'sklearn'],
    'lathe',
  );
}
if (!onlyMl) {
  compare(
    'digits 1797 × 64 (real), RandomForest 100 trees',
    writeDataset('digits', 0),
    ['lathe', 'sklearn'],
    'lathe',
  );
}
if (!skipMl) {
  const cartEnd = cartRows * cartChunks;
  const prefix = writeDataset('synthetic', Math.max(mlRows, cartEnd + cartHoldout, sizes[0]));
  if (mlCases.has('rf'))
    compare(
      `synthetic ${mlRows} × 20, RandomForest 100 trees vs ml-random-forest`,
      prefix,
      ['lathe', 'ml-random-forest', 'sklearn'],
      'lathe',
      mlRows,
      mlRepeats,
    );
  if (mlCases.has('cart'))
    for (const shuffle of cartColumns === 'both' ? [false, true] : [cartColumns === 'shuffled'])
      compare(
        `synthetic ${cartRows} × 20, one tree vs ml-cart, columns ${shuffle ? 'shuffled per window' : 'as generated'}`,
        prefix,
        // ml-cart by the same growth rule as the other two, and at its defaults (which prune: see
        // bench/forest-run.ts).
        ['lathe-tree', 'ml-cart', 'ml-cart-default', 'sklearn-tree'],
        'lathe-tree',
        cartRows,
        mlRepeats,
        cartChunks,
        shuffle,
        cartHoldout > 0 ? [cartEnd, cartEnd + cartHoldout] : undefined,
      );
  if (mlCases.has('digits'))
    compare(
      'digits (real), RandomForest 100 trees vs ml-random-forest',
      writeDataset('digits', 0),
      ['lathe', 'ml-random-forest'],
      'lathe',
      undefined,
      mlRepeats,
    );
}
