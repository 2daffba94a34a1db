// Forest variants on a small real set, Lathe vs scikit-learn side by side in one invocation: the
// defaults the forest bench (bench/forest.ts) does not cover — entropy, every feature per split,
// the regressor, extra trees — each fitted --fits times in one fresh process per side, so the
// first fit (what `lathe train` sees: a fresh process, its code not yet compiled) and the later
// ones (repeated fits, e.g. cross-validation) are both reported.
//
//   node --import tsx bench/forest-variants.ts [--fits 4] [--threads 2] [--variants a,b,...]
//
// Data: digits (1 797 × 64, 80% to fit), written by bench/forest-data.ts. The Lathe side runs the
// built package (dist/, rebuilt first). Variants, 100 trees each, seed 0:
//   rf-gini      RandomForestClassifier()                       (the forest bench's digits case)
//   rf-entropy   RandomForestClassifier(criterion='entropy')
//   rf-all       RandomForestClassifier(max_features=None)      (every node keeps sorted lists)
//   rf-reg       RandomForestRegressor()                        (the class as a number)
//   et           ExtraTreesClassifier()
//   et-reg       ExtraTreesRegressor()
import { execFileSync } from 'node:child_process';
import { buildOnce, flag, median, root, writeDataset } from './forest-data.ts';

const fits = Number(flag('fits', '4'));
const threads = Number(flag('threads', '2'));
const variants = flag('variants', 'rf-gini,rf-entropy,rf-all,rf-reg,et,et-reg').split(',');

buildOnce();
const prefix = writeDataset('digits', 0);

/** Fit times (seconds) of one side, one process. */
function run(side: 'lathe' | 'sklearn', variant: string): number[] {
  const out =
    side === 'lathe'
      ? execFileSync(
          process.execPath,
          [`${root}bench/forest-variants-run.mjs`, variant, prefix, String(fits), String(threads)],
          {
            encoding: 'utf8',
          },
        )
      : execFileSync(
          '/usr/bin/python3',
          [`${root}bench/forest-variants-anchor.py`, variant, prefix, String(fits), String(threads)],
          {
            encoding: 'utf8',
            env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
          },
        );
  return (JSON.parse(out.trim().split('\n').pop()!) as { fits: number[] }).fits;
}

const ms = (s: number) => (s * 1000).toFixed(0).padStart(6);
console.log(`digits 1797 × 64, 100 trees, ${threads} thread(s), ${fits} fits per fresh process; ms`);
console.log('variant       lathe first  later (median)   sklearn first  later (median)   ratio first  later');
for (const v of variants) {
  // Alternate which side goes first, so neither always meets a freshly idle machine.
  const first = variants.indexOf(v) % 2 === 0;
  const a = first ? run('lathe', v) : null;
  const s = run('sklearn', v);
  const l = a ?? run('lathe', v);
  const lLater = median(l.slice(1));
  const sLater = median(s.slice(1));
  console.log(
    `${v.padEnd(12)} ${ms(l[0])}      ${ms(lLater)}           ${ms(s[0])}         ${ms(sLater)}          ${(l[0] / s[0]).toFixed(2).padStart(5)}     ${(lLater / sLater).toFixed(2).padStart(5)}`,
  );
  console.log(JSON.stringify({ bench: 'forest-variants', variant: v, threads, lathe: l, sklearn: s }));
}
