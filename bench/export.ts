// ONNX export: how long exporting takes and how fast the exported graph scores in onnxruntime-node
// compared with Lathe's own predictProba — same fitted pipeline, same rows, outputs checked.
//
//   node --import tsx bench/export.ts [--rows 100000] [--reps 3] [--models logistic,random-forest,gbdt]
//   LATHE_BENCH_ROWS=5000 node --import tsx bench/export.ts      (quick check on small data)
//
// There is no Python anchor here: the side-by-side scikit-learn exporter (skl2onnx) and Python's
// onnxruntime are not installed. The comparison is the one a deployment faces — score with Lathe,
// or with onnxruntime from the exported file — in one process, alternating, `--reps` times each;
// medians with min–max. ratio = onnxruntime median / Lathe median (< 1: the graph is faster).
// Data: a synthetic table of numeric (with missing values), categorical, boolean and datetime
// columns, preprocessed as `lathe train` does (autoPreprocessor), fitted on the first 20 000 rows
// (or all rows if fewer), scored on all rows.
import * as ort from 'onnxruntime-node';
import type { Estimator } from '../src/core/estimator.ts';
import { Rng } from '../src/core/rng.ts';
import { booleanColumn, categoricalColumn, datetimeColumn, numericColumn } from '../src/data/column.ts';
import { inferSchema } from '../src/data/schema-infer.ts';
import { Table } from '../src/data/table.ts';
import { exportOnnxModel } from '../src/export/index.ts';
import { HistGradientBoostingClassifier, RandomForestClassifier } from '../src/models/ensemble/index.ts';
import { LogisticRegression } from '../src/models/linear/index.ts';
import { autoPreprocessor, Pipeline, type PreprocessFor } from '../src/preprocess/index.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rows = Number(flag('rows') ?? process.env.LATHE_BENCH_ROWS ?? 100_000);
const reps = Number(flag('reps') ?? 3);
const models = (flag('models') ?? 'logistic,random-forest,gbdt').split(',');

function syntheticTable(n: number, seed: number): { X: Table; y: string[] } {
  const rng = new Rng(seed);
  const num = (miss: number) =>
    Array.from({ length: n }, () => (rng.random() < miss ? null : rng.normal(0, 1)));
  const a = num(0.05);
  const b = num(0);
  const c = num(0.1);
  const cities = ['Paris', 'Lyon', 'Nice', 'Lille', 'Nantes', 'Brest', 'Metz', 'Dijon'];
  const city = Array.from({ length: n }, () => (rng.random() < 0.03 ? null : cities[rng.int(cities.length)]));
  const plan = Array.from({ length: n }, () => ['basic', 'plus', 'gold'][rng.int(3)]);
  const flag2 = Array.from({ length: n }, () => rng.random() < 0.4);
  const day = Array.from({ length: n }, () => Date.UTC(2018, 0, 1) + rng.int(2000) * 86_400_000);
  const y = Array.from({ length: n }, (_, i) => {
    const s =
      (a[i] ?? 0) * 1.5 - b[i]! + (city[i] === 'Paris' ? 1 : 0) + (flag2[i] ? 0.5 : -0.5) + rng.normal(0, 1);
    return s > 0 ? 'yes' : 'no';
  });
  const X = new Table([
    numericColumn('a', a),
    numericColumn('b', b),
    numericColumn('c', c),
    categoricalColumn('city', city),
    categoricalColumn('plan', plan),
    booleanColumn('flag', flag2),
    datetimeColumn('day', day),
  ]);
  return { X, y };
}

function feeds(t: Table, inputs: ReturnType<typeof exportOnnxModel>['inputs']): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const inp of inputs) {
    const c = t.column(inp.name);
    if (inp.type === 'string') {
      out[inp.name] = new ort.Tensor(
        'string',
        t.values(inp.name).map((v) => (v === null ? '' : String(v))),
        [t.nRows, 1],
      );
    } else {
      const v =
        c.type === 'boolean'
          ? Float64Array.from(c.values, (x) => (x < 0 ? Number.NaN : x))
          : (c as { values: Float64Array }).values;
      out[inp.name] = new ort.Tensor('float64', Float64Array.from(v), [t.nRows, 1]);
    }
  }
  return out;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (x: { median: number; min: number; max: number }) =>
  `${x.median.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;

const CASES: Record<string, [PreprocessFor, () => Estimator]> = {
  logistic: ['linear', () => new LogisticRegression()],
  'random-forest': [
    'tree',
    () => new RandomForestClassifier({ nEstimators: 100, maxDepth: 12, nThreads: 1 }),
  ],
  gbdt: [
    'tree',
    () => new HistGradientBoostingClassifier({ maxIter: 100, earlyStopping: false, nThreads: 1 }),
  ],
};

const { X, y } = syntheticTable(rows, 1);
const nFit = Math.min(rows, 20_000);
const Xfit = X.slice(0, nFit);
const summary: string[] = [];
for (const name of models) {
  const spec = CASES[name];
  if (!spec) throw new Error(`unknown model '${name}'; use ${Object.keys(CASES).join(', ')}`);
  const [kind, make] = spec;
  const pipe = new Pipeline({
    steps: [
      ['preprocess', autoPreprocessor(inferSchema(Xfit), { forModel: kind })],
      ['model', make()],
    ],
  }).fit(Xfit, y.slice(0, nFit));
  let t0 = performance.now();
  const ex = exportOnnxModel(pipe);
  const exportMs = performance.now() - t0;
  t0 = performance.now();
  const session = await ort.InferenceSession.create(ex.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const sessionMs = performance.now() - t0;
  const f = feeds(X, ex.inputs);
  const ortMs: number[] = [];
  const latheMs: number[] = [];
  let maxDiff = 0;
  for (let r = 0; r < reps; r++) {
    t0 = performance.now();
    const out = await session.run(f);
    ortMs.push(performance.now() - t0);
    t0 = performance.now();
    const P = pipe.predictProba(X);
    latheMs.push(performance.now() - t0);
    const p = out.probabilities.data as Float64Array;
    for (let i = 0; i < p.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i] - P.data[i]));
  }
  const o = stats(ortMs);
  const l = stats(latheMs);
  const line = {
    bench: 'export',
    model: name,
    rows,
    exportMs: Math.round(exportMs),
    bytes: ex.bytes.length,
    sessionMs: Math.round(sessionMs),
    onnxruntimeMs: o,
    latheMs: l,
    ratio: o.median / l.median,
    maxProbaDiff: maxDiff,
  };
  console.log(JSON.stringify(line));
  summary.push(
    `${name.padEnd(14)} export ${String(line.exportMs).padStart(6)} ms ${(line.bytes / 1024).toFixed(0).padStart(7)} KB | onnxruntime ${fmt(o)} ms | Lathe ${fmt(l)} ms | ratio ${line.ratio.toFixed(2)} | max |Δp| ${maxDiff.toExponential(1)}`,
  );
}
console.log(`\n${rows} rows, ${reps} reps (medians, min–max); single-threaded on both sides`);
for (const s of summary) console.log(s);
