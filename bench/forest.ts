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
//                                     [--cart-rows N (default --ml-rows)] [--only-ml] [--ml-cases rf,cart,digits]
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
// Only the npm-package comparisons (skips the scikit-learn sizes and digits).
const onlyMl = process.argv.includes('--only-ml');
// Which npm-package comparisons: rf (ml-random-forest on the synthetic set), cart (ml-cart),
// digits (ml-random-forest on digits: over ten minutes).
const mlCases = new Set(flag('ml-cases', 'rf,cart,digits').split(','));

buildOnce();

interface RunResult {
  fit: number;
  predictRowsPerSec: number;
  accuracy: number;
  peakRssMB: number;
}

function run(who: string, prefix: string, rows?: number): RunResult {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), LATHE_THREADS: String(threads) };
  const extra = rows ? [String(rows)] : [];
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

function compare(
  title: string,
  prefix: string,
  who: string[],
  base: string,
  rows?: number,
  reps = repeats,
): void {
  const results = new Map<string, RunResult[]>(who.map((w) => [w, []]));
  for (let r = 0; r < reps; r++) for (const w of who) results.get(w)!.push(run(w, prefix, rows));
  const summary: Record<string, unknown> = { bench: 'forest', title, threads, repeats: reps };
  console.log(`\n${title}, ${threads} thread(s), ${reps} repeats`);
  console.log('                   fit median [min, max] s     predict rows/s   accuracy   peak RSS MB');
  for (const w of who) {
    const rs = results.get(w)!;
    const fits = rs.map((x) => x.fit);
    const s = {
      fitMedian: median(fits),
      fitMin: Math.min(...fits),
      fitMax: Math.max(...fits),
      predictRowsPerSec: median(rs.map((x) => x.predictRowsPerSec)),
      accuracy: median(rs.map((x) => x.accuracy)),
      peakRssMB: median(rs.map((x) => x.peakRssMB)),
    };
    summary[w] = s;
    console.log(
      `${w.padEnd(18)} ${f(s.fitMedian, 3).padStart(8)} [${f(s.fitMin, 3)}, ${f(s.fitMax, 3)}]`.padEnd(46) +
        `${Math.round(s.predictRowsPerSec).toString().padStart(12)}   ${f(s.accuracy, 4)}   ${f(s.peakRssMB, 0).padStart(8)}`,
    );
  }
  const l = summary[base] as {
    fitMedian: number;
    predictRowsPerSec: number;
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
    summary[`accuracyDiff_${w}`] = l.accuracy - s.accuracy;
    console.log(
      `ratio ${base}/${w}: fit ${f(fitRatio, 3)} (${f(1 / fitRatio, 1)}× faster), predict time ${f(predictRatio, 3)}, ` +
        `accuracy ${l.accuracy >= s.accuracy ? '+' : ''}${f(100 * (l.accuracy - s.accuracy), 2)} points, peak RSS ${f(l.peakRssMB / s.peakRssMB)}`,
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
  const prefix = writeDataset('synthetic', Math.max(mlRows, cartRows, sizes[0]));
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
    compare(
      `synthetic ${cartRows} × 20, one tree vs ml-cart`,
      prefix,
      ['lathe-tree', 'ml-cart', 'sklearn-tree'],
      'lathe-tree',
      cartRows,
      mlRepeats,
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
