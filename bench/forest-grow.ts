// Growth-only CPU time of forest trees, for tuning the grower (not a side-by-side benchmark; see
// bench/forest.ts for that). Lays the data out once, then grows trees on this thread, alternating
// between the configurations asked for, and prints the minimum and median CPU time per tree of
// each (the minimum is the least disturbed figure on a shared machine).
//
//   node --import tsx bench/forest-grow.ts [--data synthetic|digits] [--rows 100000] [--trees 5]
//        [--repeats 3] [--max-features sqrt] [--sort-max 0,Infinity] [--criterion gini]
//
// --sort-max lists values of LATHE_TREE_SORT_MAX to compare (node sizes at or below which the
// grower sorts on the spot; 0 = sorted lists everywhere, Infinity = sorting everywhere).
import { readFileSync } from 'node:fs';
import { matrix } from '../src/core/matrix.ts';
import { Rng } from '../src/core/rng.ts';
import { bootstrapCounts } from '../src/models/ensemble/forest/fit-task.ts';
import { growTree } from '../src/models/tree/grower.ts';
import { growLayout, prepareGrowData } from '../src/models/tree/presort.ts';
import { type MaxFeatures, resolveGrowOptions } from '../src/models/tree/tree-params.ts';
import { flag, median, writeDataset } from './forest-data.ts';

const which = flag('data', 'synthetic') as 'synthetic' | 'digits';
const rowsWanted = Number(flag('rows', '100000'));
const trees = Number(flag('trees', '5'));
const repeats = Number(flag('repeats', '3'));
const mfFlag = flag('max-features', 'sqrt');
const maxFeatures: MaxFeatures =
  mfFlag === 'all' ? null : Number.isNaN(Number(mfFlag)) ? (mfFlag as 'sqrt') : Number(mfFlag);
const sortMax = flag('sort-max', '0,Infinity').split(',');
const criterion = flag('criterion', 'gini');

const prefix = writeDataset(which, which === 'digits' ? 0 : rowsWanted);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as {
  rows: number;
  cols: number;
  trainRows: number;
};
const read = (file: string) => {
  const b = readFileSync(file);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
const n = head.trainRows;
const d = head.cols;
const X = matrix(read(`${prefix}.X.f64`).subarray(0, n * d), n, d);
const y = read(`${prefix}.y.f64`).subarray(0, n);
let k = 0;
const yCode = new Int32Array(n);
for (let i = 0; i < n; i++) {
  yCode[i] = y[i];
  if (y[i] + 1 > k) k = y[i] + 1;
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const params = {
  criterion,
  maxFeatures,
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  minWeightFractionLeaf: 0,
  maxLeafNodes: null,
  minImpurityDecrease: 0,
  ccpAlpha: 0,
};
const opts = resolveGrowOptions(params as never, 'best', n, d, 'bench');
const results = new Map<string, { prep: number[]; perTree: number[]; nodes: number }>();
for (let r = 0; r <= repeats; r++) {
  for (const s of sortMax) {
    process.env.LATHE_TREE_SORT_MAX = s;
    let t = cpu();
    const data = prepareGrowData(
      X,
      { yCode, yValue: null, nClasses: k },
      growLayout('best', n, d, opts.maxFeatures, { columns: false, shared: false }),
    );
    const prep = cpu() - t;
    t = cpu();
    let nodes = 0;
    for (let tr = 0; tr < trees; tr++) {
      const rng = new Rng(r).derive(tr);
      const w = bootstrapCounts(rng, n, n);
      nodes += growTree(data, w, opts, rng).nodeCount;
    }
    const grow = (cpu() - t) / trees;
    if (r === 0) continue; // warm-up
    const e = results.get(s) ?? { prep: [], perTree: [], nodes };
    e.prep.push(prep);
    e.perTree.push(grow);
    results.set(s, e);
  }
}
console.log(`${which} ${n} × ${d}, ${k} classes, maxFeatures ${opts.maxFeatures}, ${criterion}; CPU seconds`);
for (const [s, e] of results) {
  console.log(
    `sortMax ${s.padEnd(9)} prep min ${Math.min(...e.prep).toFixed(3)} median ${median(e.prep).toFixed(3)}   ` +
      `per tree min ${Math.min(...e.perTree).toFixed(4)} median ${median(e.perTree).toFixed(4)}   (${e.nodes} nodes)`,
  );
}
