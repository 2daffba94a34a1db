// Bootstrap intervals of `evaluateModel` (what `lathe evaluate` and `lathe run` print): seconds to
// evaluate a 10 000-row holdout with 1000 resamples (percentile intervals), for a binary and a
// 5-class logistic model, and (with --regression) a linear regression.
//
//   node --import tsx bench/bootstrap.ts [--rows 10000] [--resamples 1000] [--regression]
//
// Prints one line per task: total seconds, and the seconds of each metric's bootstrap.
import '../src/index.ts';
import { evaluateModel } from '../src/automl/evaluate.ts';
import type { LearningTask } from '../src/automl/families.ts';
import { trainModel } from '../src/automl/train.ts';
import type { Progress } from '../src/core/progress.ts';
import { Rng } from '../src/core/rng.ts';
import { tableFromObjects } from '../src/data/from-rows.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '10000'));
const nResamples = Number(flag('resamples', '1000'));

/** `n` rows of two numeric features and a target: binary, k classes, or a number. */
function data(n: number, k: number, seed: number) {
  const rng = new Rng(seed);
  return tableFromObjects(
    Array.from({ length: n }, () => {
      const a = rng.normal();
      const b = rng.normal();
      const z = a + 0.5 * b + rng.normal();
      const y =
        k === 0
          ? 3 * a - b + rng.normal()
          : k === 2
            ? z > 0
              ? 'yes'
              : 'no'
            : `c${Math.min(k - 1, Math.max(0, Math.floor(z + k / 2)))}`;
      return { a, b, y };
    }),
  );
}

function bench(task: LearningTask, k: number): void {
  const train = data(2000, k, 1);
  const fit = trainModel(train, { family: k === 0 ? 'linear' : 'logistic', target: 'y', holdout: 0 });
  const holdout = data(rows, k, 2);
  const times: string[] = [];
  let label = '';
  let last = 0;
  // Each metric's bootstrap starts with label() and ends with tick(): time between them.
  const progress: Progress = {
    label(text) {
      label = text.replace(/^evaluate: bootstrap of /, '').replace(/ \(\d+ resamples\)$/, '');
    },
    tick() {
      const now = performance.now();
      times.push(`${label} ${((now - last) / 1000).toFixed(2)}`);
      last = now;
    },
    update() {},
    finish() {},
  };
  const t0 = performance.now();
  last = t0;
  evaluateModel(fit.model, fit.inputSchema, task, holdout, 'y', { nResamples, progress });
  const total = (performance.now() - t0) / 1000;
  console.log(`${task} (${rows} rows, ${nResamples} resamples): ${total.toFixed(2)} s`);
  console.log(`  ${times.join(', ')}`);
}

bench('binary', 2);
bench('multiclass', 5);
if (args.includes('--regression')) bench('regression', 0);
