// One Lathe process for bench/forest-variants.ts: fits a forest variant `fits` times on the
// digits data and prints {"fits": [seconds, ...]}. Plain JavaScript on the built package (dist/),
// as a user's program runs it.
// Usage: node bench/forest-variants-run.mjs <variant> <data prefix> <fits> <threads>
import { readFileSync } from 'node:fs';

const lib = await import('../dist/index.js');
const [variant, prefix, fitsArg, threadsArg] = process.argv.slice(2);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8'));
const read = (file) => {
  const b = readFileSync(file);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
const X = read(`${prefix}.X.f64`);
const y = read(`${prefix}.y.f64`);
const ntr = head.trainRows;
const Xtr = lib.matrix(X.subarray(0, ntr * head.cols), ntr, head.cols);
const labels = Array.from(y.subarray(0, ntr));
const values = Float64Array.from(labels);
const base = { nEstimators: 100, nThreads: Number(threadsArg), seed: 0 };
const make = {
  'rf-gini': () => [new lib.RandomForestClassifier(base), labels],
  'rf-entropy': () => [new lib.RandomForestClassifier({ ...base, criterion: 'entropy' }), labels],
  'rf-all': () => [new lib.RandomForestClassifier({ ...base, maxFeatures: null }), labels],
  'rf-reg': () => [new lib.RandomForestRegressor(base), values],
  et: () => [new lib.ExtraTreesClassifier(base), labels],
  'et-reg': () => [new lib.ExtraTreesRegressor(base), values],
}[variant];
if (!make) throw new Error(`unknown variant ${variant}`);
const fits = [];
for (let r = 0; r < Number(fitsArg); r++) {
  const [est, target] = make();
  const t0 = performance.now();
  est.fit(Xtr, target);
  fits.push((performance.now() - t0) / 1000);
}
console.log(JSON.stringify({ fits }));
