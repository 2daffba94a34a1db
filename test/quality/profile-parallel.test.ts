// The profile on worker threads is the profile on one thread: the same report, number for
// number, for tables in shared memory (as readTable makes them) and in ordinary memory.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sharedPool, toShared } from '../../src/core/pool.ts';
import { Rng } from '../../src/core/rng.ts';
import {
  booleanColumn,
  type Column,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import {
  PARALLEL_PROFILE_MIN_ROWS,
  type ProfileOptions,
  profileTable,
  profileTableAsync,
} from '../../src/quality/profile.ts';

after(() => Promise.all([sharedPool(2).close(), sharedPool(3).close()]));

const N = PARALLEL_PROFILE_MIN_ROWS + 1234;

function table(seed: number, opts: { text: boolean; shared: boolean }): Table {
  const rng = new Rng(seed);
  const miss = (p: number) => rng.random() < p;
  const base = Array.from({ length: N }, () => rng.normal());
  const cols: Column[] = [
    numericColumn(
      'x',
      base.map((v) => (miss(0.05) ? null : v)),
    ),
    numericColumn(
      'x_twin',
      base.map((v) => (miss(0.05) ? null : 2 * v + 0.01 * rng.normal())),
    ),
    numericColumn(
      'counts',
      Array.from({ length: N }, () => (miss(0.1) ? null : rng.int(12))),
    ),
    numericColumn(
      'heavy',
      Array.from({ length: N }, () =>
        miss(0.02) ? null : rng.random() < 0.001 ? 1e9 : Math.exp(3 * rng.normal()),
      ),
    ),
    numericColumn(
      'odd',
      Array.from({ length: N }, () => [0, -0, Number.POSITIVE_INFINITY, -1, 2.5][rng.int(5)]),
    ),
    numericColumn(
      'row_id',
      Array.from({ length: N }, (_, i) => i + 1),
    ),
    numericColumn(
      'constant',
      Array.from({ length: N }, () => 7),
    ),
    numericColumn(
      'empty',
      Array.from({ length: N }, () => null),
    ),
    datetimeColumn(
      'when',
      Array.from({ length: N }, () => (miss(0.03) ? null : Date.UTC(2020, 0, 1) + rng.int(5000) * 3_600_000)),
    ),
    booleanColumn(
      'flag',
      Array.from({ length: N }, () => (miss(0.04) ? null : rng.random() < 0.3)),
    ),
    categoricalColumn(
      'city',
      Array.from({ length: N }, () =>
        miss(0.05) ? null : ['Lyon', 'Paris', 'Nice', '007', ' ', 'n/a'][rng.int(6)],
      ),
    ),
    numericColumn(
      'label',
      Array.from({ length: N }, () => rng.int(2)),
    ),
  ];
  if (opts.text) {
    cols.push(
      textColumn(
        'note',
        Array.from({ length: N }, (_, i) => (miss(0.1) ? null : `note ${i % 40_000}`)),
      ),
    );
  }
  // A block of exact duplicate rows.
  const t = new Table(cols);
  const idx = Int32Array.from({ length: N }, (_, i) => (i % 997 === 5 ? i - 3 : i));
  const dup = t.take(idx);
  if (!opts.shared) return dup;
  return new Table(
    dup.columns.map((c): Column => {
      if (c.type === 'categorical') return { ...c, codes: toShared(c.codes) };
      if (c.type === 'boolean') {
        const v = new Int8Array(new SharedArrayBuffer(c.values.length));
        v.set(c.values);
        return { ...c, values: v };
      }
      if (c.type === 'text') return c;
      return { ...c, values: toShared(c.values) } as Column;
    }),
  );
}

describe('profileTable on worker threads', () => {
  for (const opts of [
    { text: false, shared: true },
    { text: true, shared: false },
  ]) {
    it(`gives the report of one thread (${opts.shared ? 'shared' : 'ordinary'} memory${opts.text ? ', a text column' : ''})`, async () => {
      const t = table(3, opts);
      const one = profileTable(t, { target: 'label' });
      const two = await profileTableAsync(t, { threads: 2, target: 'label' });
      assert.deepEqual(two, one);
      // The table exercises what the workers compute: duplicates, correlations, odd values.
      assert.ok(one.table.duplicateRows > 0);
      assert.ok(one.correlations.highPairs.some((p) => p.a === 'x' && p.b === 'x_twin'));
      assert.deepEqual(one.correlations.excluded.map((e) => e.column).sort(), ['constant', 'empty']);
    });
  }

  it('a sample smaller than the table (drawn and ranked on a worker), with and without a target', async () => {
    const cases: [boolean, ProfileOptions][] = [
      [true, { sample: 20_000 }],
      [true, { sample: 20_000, seed: 3, target: 'x' }],
      [false, { sample: 20_000, target: 'label' }],
    ];
    for (const [shared, options] of cases) {
      const t = table(5, { text: false, shared });
      const one = profileTable(t, options);
      assert.equal(one.correlations.rows, 20_000);
      assert.deepEqual(
        await profileTableAsync(t, { threads: 2, ...options }),
        one,
        JSON.stringify({ shared, options }),
      );
    }
  });

  it('every row (sample: null), an odd row count, categorical-only and numeric-only tables', async () => {
    const n = N + 1;
    const cat = categoricalColumn(
      'c',
      Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `v${i % 13}`)),
    );
    const num = numericColumn(
      'x',
      Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : Math.sin(i))),
    );
    const num2 = numericColumn(
      'y',
      Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 97)),
    );
    const onlyCat = new Table([{ ...cat, codes: toShared(cat.codes) }]);
    const onlyNum = new Table([num, num2]);
    for (const t of [onlyCat, onlyNum]) {
      const options = { sample: null };
      assert.deepEqual(await profileTableAsync(t, { threads: 2, ...options }), profileTable(t, options));
    }
  });

  it('three threads, and a bad thread count', async () => {
    const t = table(4, { text: false, shared: true });
    assert.deepEqual(await profileTableAsync(t, { threads: 3 }), profileTable(t));
    // More numeric columns than the matrices keep: they are computed once the choice is made.
    const few = { thresholds: { maxCorrelationColumns: 3 } };
    assert.deepEqual(await profileTableAsync(t, { threads: 2, ...few }), profileTable(t, few));
    await assert.rejects(profileTableAsync(t, { threads: 0 }), /threads must be/);
  });
});
