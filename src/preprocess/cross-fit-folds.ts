/**
 * Fold assignment for cross fitting inside preprocessing (TargetEncoder): scikit-learn's `KFold`
 * and `StratifiedKFold` algorithms, shuffled with Lathe's seeded {@link Rng} (so the folds are
 * reproducible from the seed, but not the same rows as NumPy's generator would pick).
 *
 * (Model selection has its own splitters in `src/select`; preprocessing cannot import them, as
 * imports point inward.)
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { warn } from '../core/warnings.ts';

/**
 * The test fold of each of `n` rows for k-fold splitting: the (optionally shuffled) rows cut into
 * `k` consecutive runs, the first `n mod k` one row longer (as `KFold`).
 */
export function kFoldAssignment(
  n: number,
  k: number,
  shuffle: boolean,
  seed: number,
  who: string,
): Int32Array {
  if (k > n) {
    throw new ValidationError(`${who}: cannot split ${n} rows into cv=${k} folds.`, {
      field: 'cv',
      fix: `use cv ≤ ${n}`,
    });
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) new Rng(seed).shuffle(order);
  const folds = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let r = start; r < start + size; r++) folds[order[r]] = f;
    start += size;
  }
  return folds;
}

/**
 * The test fold of each row for stratified k-fold splitting (`StratifiedKFold`): classes are
 * dealt round-robin over the folds in sorted order so each fold gets nearly the same share of each
 * class; with `shuffle`, which rows of a class land in which fold is random.
 *
 * @param codes - class code of each row (0..nClasses-1).
 */
export function stratifiedFoldAssignment(
  codes: Int32Array,
  nClasses: number,
  k: number,
  shuffle: boolean,
  seed: number,
  who: string,
): Int32Array {
  const n = codes.length;
  // Classes renumbered by order of first appearance, as scikit-learn does.
  const firstSeen = new Int32Array(nClasses).fill(-1);
  let next = 0;
  const enc = new Int32Array(n);
  const perm = new Int32Array(nClasses).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (firstSeen[c] < 0) {
      firstSeen[c] = i;
      perm[c] = next++;
    }
    enc[i] = perm[c];
  }
  const m = next;
  const counts = new Int32Array(m);
  for (let i = 0; i < n; i++) counts[enc[i]]++;
  let minCount = n;
  let maxCount = 0;
  for (let c = 0; c < m; c++) {
    minCount = Math.min(minCount, counts[c]);
    maxCount = Math.max(maxCount, counts[c]);
  }
  if (k > maxCount) {
    throw new ValidationError(
      `${who}: cv=${k} folds is more than the number of rows of every class (the largest class has ${maxCount}).`,
      { field: 'cv', fix: `use cv ≤ ${maxCount}` },
    );
  }
  if (k > minCount) {
    warn(
      'UserWarning',
      `${who}: the least populated class has only ${minCount} rows, fewer than cv=${k} folds.`,
    );
  }
  // allocation[f][c]: rows of class c in fold f — round-robin over the classes in sorted order.
  const sorted = Int32Array.from(enc).sort();
  const allocation = new Int32Array(k * m);
  for (let i = 0; i < n; i++) allocation[(i % k) * m + sorted[i]]++;
  const rng = new Rng(seed);
  // The folds of each class's rows, in row order: class c's slice starts at start[c].
  const start = new Int32Array(m + 1);
  for (let c = 0; c < m; c++) start[c + 1] = start[c] + counts[c];
  const forClass = new Int32Array(n);
  for (let c = 0; c < m; c++) {
    let r = start[c];
    for (let f = 0; f < k; f++) for (let a = 0; a < allocation[f * m + c]; a++) forClass[r++] = f;
    if (shuffle) rng.shuffle(forClass.subarray(start[c], start[c + 1]));
  }
  const cursor = start.slice(0, m);
  const folds = new Int32Array(n);
  for (let i = 0; i < n; i++) folds[i] = forClass[cursor[enc[i]]++];
  return folds;
}
