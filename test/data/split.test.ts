import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import {
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  splitIndices,
  Table,
  trainTestSplitTable,
} from '../../src/data/index.ts';

const oracle = JSON.parse(readFileSync(new URL('../fixtures/data/split.json', import.meta.url), 'utf8')) as {
  stratified: { counts: number[]; test_size: number; outcomes: { train: number[]; test: number[] }[] }[];
  shuffle: { n: number; test_size: number; n_train: number; n_test: number }[];
};

function assertPartition(train: Int32Array, test: Int32Array, n: number): void {
  const seen = new Uint8Array(n);
  for (const i of [...train, ...test]) {
    assert.equal(seen[i], 0, `row ${i} appears twice`);
    seen[i] = 1;
  }
  assert.equal(train.length + test.length, n, 'every row is in train or test');
  for (let i = 1; i < train.length; i++) assert.ok(train[i] > train[i - 1]);
  for (let i = 1; i < test.length; i++) assert.ok(test[i] > test[i - 1]);
}

describe('splits', () => {
  it('random: sizes as scikit-learn ShuffleSplit; disjoint and complete; same seed → same split', () => {
    for (const c of oracle.shuffle) {
      const s = splitIndices(c.n, { testSize: c.test_size, seed: 3 });
      assert.equal(s.test.length, c.n_test);
      assert.equal(s.train.length, c.n_train);
      assertPartition(s.train, s.test, c.n);
    }
    const a = splitIndices(500, { testSize: 0.2, seed: 11 });
    const b = splitIndices(500, { testSize: 0.2, seed: 11 });
    const c = splitIndices(500, { testSize: 0.2, seed: 12 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
  });

  it('stratified: per-class counts as scikit-learn StratifiedShuffleSplit', () => {
    for (const c of oracle.stratified) {
      const labels = c.counts.flatMap((k, cls) => Array<string>(k).fill(`class_${cls}`));
      for (const seed of [0, 1, 2]) {
        const s = splitIndices(labels.length, { method: 'stratified', labels, testSize: c.test_size, seed });
        assertPartition(s.train, s.test, labels.length);
        const count = (idx: Int32Array) =>
          c.counts.map((_, cls) => [...idx].filter((i) => labels[i] === `class_${cls}`).length);
        const got = { train: count(s.train), test: count(s.test) };
        assert.ok(
          c.outcomes.some((o) => JSON.stringify(o) === JSON.stringify(got)),
          `counts ${JSON.stringify(c.counts)} @ ${c.test_size}: got ${JSON.stringify(got)}, scikit-learn ${JSON.stringify(c.outcomes)}`,
        );
      }
    }
  });

  it('group: every group entirely in train or in test', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `g${i % 37}`);
    const s = splitIndices(300, { method: 'group', groups, testSize: 0.25, seed: 5 });
    assertPartition(s.train, s.test, 300);
    const testGroups = new Set([...s.test].map((i) => groups[i]));
    for (const i of s.train) assert.ok(!testGroups.has(groups[i]), `group ${groups[i]} is on both sides`);
    assert.equal(testGroups.size, Math.ceil(0.25 * 37));
  });

  it('time: the latest rows are the test set', () => {
    const t = Array.from({ length: 100 }, (_, i) => Date.UTC(2024, 0, 1) + ((i * 37) % 100) * 86_400_000);
    const table = new Table([
      datetimeColumn('when', t),
      numericColumn(
        'x',
        t.map((_, i) => i),
      ),
    ]);
    const s = trainTestSplitTable(table, { method: 'time', by: 'when', testSize: 0.2 });
    assertPartition(s.train, s.test, 100);
    const maxTrain = Math.max(...[...s.train].map((i) => t[i]));
    const minTest = Math.min(...[...s.test].map((i) => t[i]));
    assert.ok(maxTrain < minTest);
    assert.equal(s.testTable.nRows, 20);
  });

  it('trainTestSplitTable: stratified on a column keeps proportions', () => {
    const y = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 'yes' : 'no'));
    const table = new Table([
      categoricalColumn('churned', y),
      numericColumn(
        'x',
        y.map((_, i) => i),
      ),
    ]);
    const s = trainTestSplitTable(table, { method: 'stratified', by: 'churned', testSize: 0.2, seed: 9 });
    assert.equal(s.testTable.nRows, 200);
    assert.equal(s.testTable.values('churned').filter((v) => v === 'yes').length, 60);
    assert.deepEqual(s.trainTable.values('x'), [...s.train]);
  });

  it('errors: testSize out of range, a one-member class, unknown or missing `by`', () => {
    assert.throws(
      () => splitIndices(10, { testSize: 0 }),
      /testSize must be a fraction in \(0, 1\) or a whole number of rows ≥ 1; got 0/,
    );
    assert.throws(() => splitIndices(10, { testSize: 1.5 }), ValidationError);
    assert.throws(() => splitIndices(10, { testSize: 10 }), /leaves no rows for training/);
    assert.throws(
      () => splitIndices(5, { method: 'stratified', labels: ['a', 'a', 'b', 'b', 'c'], testSize: 0.4 }),
      /class "c" has only 1 member; a stratified split needs at least 2 per class/,
    );
    const table = new Table([numericColumn('age', [1, 2, 3, 4])]);
    assert.throws(
      () => trainTestSplitTable(table, { method: 'stratified', by: 'agee' }),
      /no column named 'agee'.*did you mean 'age'/,
    );
    assert.throws(() => trainTestSplitTable(table, { method: 'group' }), /a group split needs `by`/);
    assert.throws(
      () => splitIndices(4, { method: 'time', times: [1, Number.NaN, 3, 4] }),
      /row 1 has no time/,
    );
  });
});
