import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { matrix } from '../../src/core/matrix.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import {
  checkCv,
  type Fold,
  GroupKFold,
  KFold,
  PredefinedFolds,
  RepeatedKFold,
  RepeatedStratifiedKFold,
  StratifiedKFold,
  TimeSeriesSplit,
} from '../../src/select/splitters.ts';

interface Case {
  kind: 'KFold' | 'StratifiedKFold' | 'GroupKFold' | 'TimeSeriesSplit';
  n: number;
  nSplits?: number;
  y?: (string | number)[];
  groups?: (string | number)[];
  options?: { nSplits: number; testSize: number | null; gap: number; maxTrainSize: number | null };
  folds: { train: number[]; test: number[] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/select/splitters.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

function plain(folds: Fold[]): { train: number[]; test: number[] }[] {
  return folds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) }));
}

/** Every row is in exactly one test fold, and train is its complement. */
function assertPartition(folds: Fold[], n: number): void {
  const seen = new Int32Array(n);
  for (const f of folds) {
    for (const i of f.test) seen[i]++;
    const inTest = new Set(f.test);
    assert.equal(f.train.length + f.test.length, n);
    for (const i of f.train) assert.ok(!inTest.has(i));
  }
  assert.deepEqual(Array.from(seen), new Array(n).fill(1));
}

describe('splitters match scikit-learn 1.2 index for index (unshuffled)', () => {
  for (const c of fixture.cases) {
    const label = `${c.kind} n=${c.n} ${JSON.stringify(c.options ?? { nSplits: c.nSplits })}${c.y ? ` y=${c.y.slice(0, 6).join(',')}…` : ''}${c.groups ? ` groups=${c.groups.slice(0, 6).join(',')}…` : ''}`;
    it(label, () => {
      let got: Fold[];
      if (c.kind === 'KFold') got = new KFold({ nSplits: c.nSplits }).split(c.n);
      else if (c.kind === 'StratifiedKFold') {
        got = captureWarnings(() => new StratifiedKFold({ nSplits: c.nSplits }).split(c.n, c.y)).result;
      } else if (c.kind === 'GroupKFold')
        got = new GroupKFold({ nSplits: c.nSplits }).split(c.n, undefined, c.groups);
      else got = new TimeSeriesSplit(c.options!).split(c.n);
      assert.deepEqual(plain(got), c.folds);
    });
  }
});

describe('shuffled splitters', () => {
  it('KFold with shuffle: same fold sizes as unshuffled, a partition, reproducible by seed', () => {
    const a = new KFold({ nSplits: 4, shuffle: true, seed: 3 }).split(23);
    const b = new KFold({ nSplits: 4, shuffle: true, seed: 3 }).split(23);
    const c = new KFold({ nSplits: 4, shuffle: true, seed: 4 }).split(23);
    assert.deepEqual(plain(a), plain(b));
    assert.notDeepEqual(plain(a), plain(c));
    assert.deepEqual(
      a.map((f) => f.test.length),
      [6, 6, 6, 5],
    );
    assertPartition(a, 23);
    // Not contiguous any more.
    assert.notDeepEqual(plain(a), plain(new KFold({ nSplits: 4 }).split(23)));
  });

  it('StratifiedKFold with shuffle keeps the per-fold class counts of the unshuffled folds', () => {
    const y = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? 'rare' : i % 2 ? 'odd' : 'even'));
    const plainFolds = new StratifiedKFold({ nSplits: 4 }).split(60, y);
    const shuffled = new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 9 }).split(60, y);
    assertPartition(shuffled, 60);
    const counts = (f: Fold) => {
      const m: Record<string, number> = {};
      for (const i of f.test) m[y[i]] = (m[y[i]] ?? 0) + 1;
      return m;
    };
    assert.deepEqual(shuffled.map(counts), plainFolds.map(counts));
    assert.notDeepEqual(plain(shuffled), plain(plainFolds));
  });

  it('RepeatedKFold: nSplits × nRepeats folds, each repetition a partition, repetitions differ', () => {
    const r = new RepeatedKFold({ nSplits: 3, nRepeats: 4, seed: 1 });
    const folds = r.split(17);
    assert.equal(folds.length, 12);
    assert.equal(r.getNSplits(), 12);
    for (let k = 0; k < 4; k++) assertPartition(folds.slice(3 * k, 3 * k + 3), 17);
    assert.notDeepEqual(plain(folds.slice(0, 3)), plain(folds.slice(3, 6)));
    assert.deepEqual(plain(folds), plain(new RepeatedKFold({ nSplits: 3, nRepeats: 4, seed: 1 }).split(17)));
  });

  it('RepeatedStratifiedKFold: each repetition stratified like StratifiedKFold', () => {
    const y = Array.from({ length: 30 }, (_, i) => i % 3);
    const folds = new RepeatedStratifiedKFold({ nSplits: 5, nRepeats: 2, seed: 7 }).split(30, y);
    assert.equal(folds.length, 10);
    for (const f of folds) {
      const c = [0, 0, 0];
      for (const i of f.test) c[y[i]]++;
      assert.deepEqual(c, [2, 2, 2]);
    }
    assertPartition(folds.slice(0, 5), 30);
    assertPartition(folds.slice(5), 30);
  });
});

describe('splitter inputs and errors', () => {
  it('takes a Matrix, a Table, an array of rows or a count', () => {
    const m = matrix(new Float64Array(10), 10, 1);
    const t = new Table([numericColumn('a', new Float64Array(10))]);
    const k = new KFold({ nSplits: 2 });
    const ref = plain(k.split(10));
    assert.deepEqual(plain(k.split(m)), ref);
    assert.deepEqual(plain(k.split(t)), ref);
    assert.deepEqual(plain(k.split(Array.from({ length: 10 }, () => [0]))), ref);
  });

  it('rejects bad nSplits, too many folds, continuous targets and missing groups', () => {
    assert.throws(() => new KFold({ nSplits: 1 }), /nSplits must be an integer ≥ 2/);
    assert.throws(
      () => new KFold({ nSplits: 5 }).split(3),
      /nSplits=5 greater than the number of rows \(3\)/,
    );
    assert.throws(
      () => new StratifiedKFold({ nSplits: 2 }).split(4, [0.5, 1.5, 2.5, 3.5]),
      /looks continuous.*use KFold/s,
    );
    assert.throws(
      () => new StratifiedKFold().split(4),
      (e: unknown) => e instanceof ValidationError && e.field === 'y',
    );
    assert.throws(
      () => new StratifiedKFold({ nSplits: 3 }).split(4, ['a', 'a', 'b', 'b']),
      /cannot be greater than the number of members in each class/,
    );
    assert.throws(() => new GroupKFold({ nSplits: 2 }).split(4), /groups are required/);
    assert.throws(
      () => new GroupKFold({ nSplits: 3 }).split(4, undefined, [1, 1, 2, 2]),
      /number of groups \(2\)/,
    );
    assert.throws(() => new GroupKFold().split(3, undefined, [1, null, 2]), /groups\[1\] is missing/);
    assert.throws(() => new TimeSeriesSplit({ nSplits: 5 }).split(5), /nSplits \+ 1 = 6 folds/);
    assert.throws(
      () => new TimeSeriesSplit({ nSplits: 3, testSize: 4, gap: 2 }).split(12),
      /too many splits/,
    );
    assert.throws(() => new TimeSeriesSplit({ gap: -1 }), /gap must be an integer ≥ 0/);
  });

  it('warns when the smallest class has fewer members than folds', () => {
    const { warnings } = captureWarnings(() =>
      new StratifiedKFold({ nSplits: 3 }).split(7, ['a', 'a', 'a', 'a', 'a', 'b', 'b']),
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /least populated class in y has only 2 members/);
  });

  it('checkCv: numbers become StratifiedKFold for classifiers and KFold otherwise', () => {
    assert.ok(checkCv(3, true) instanceof StratifiedKFold);
    assert.ok(checkCv(3, false) instanceof KFold);
    assert.equal((checkCv(undefined, false) as KFold).nSplits, 5);
    const s = new GroupKFold();
    assert.equal(checkCv(s, true), s);
    const pre = checkCv([{ train: [0, 1], test: [2] } as unknown as Fold], false);
    assert.ok(pre instanceof PredefinedFolds);
    assert.deepEqual(plain(pre.split(3)), [{ train: [0, 1], test: [2] }]);
    assert.throws(() => pre.split(2), /names row 2, outside 0..1/);
    assert.throws(() => checkCv('five' as never, false), /cv must be a number of folds/);
  });
});
