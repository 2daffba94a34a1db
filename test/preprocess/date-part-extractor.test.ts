import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { column, matrix } from '../../src/core/matrix.ts';
import { categoricalColumn, datetimeColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { DATE_PARTS, DatePartExtractor } from '../../src/preprocess/date-part-extractor.ts';
import { assertClose, fixture } from './helpers.ts';

const fx = fixture<{
  ms: (number | null)[];
  parts: Record<string, (number | null)[]>;
  cyclic: Record<string, { sin: (number | null)[]; cos: (number | null)[] }>;
}>('date-parts.json');

describe('DatePartExtractor against pandas 1.5.3 (1899–2100, leap days, before 1970, NaT)', () => {
  const t = new Table([
    datetimeColumn(
      't',
      fx.ms.map((x) => (x === null ? null : x)),
    ),
  ]);

  it('extracts year, month, day, weekday (Monday 0), hour and dayofyear as pandas does', () => {
    const m = new DatePartExtractor({ parts: [...DATE_PARTS] }).fitTransform(t);
    assert.deepEqual(
      m.columns,
      DATE_PARTS.map((p) => `t.${p}`),
    );
    DATE_PARTS.forEach((p, j) => assertClose(column(m, j), fx.parts[p], p, 0));
  });

  it('encodes periodic parts as sin/cos of 2π(value − start)/period (1e-9)', () => {
    const parts = ['month', 'day', 'weekday', 'hour', 'dayofyear'] as const;
    const m = new DatePartExtractor({ parts: [...parts], cyclic: true }).fitTransform(t);
    parts.forEach((p, k) => {
      assert.equal(m.columns[2 * k], `t.${p}.sin`);
      assertClose(column(m, 2 * k), fx.cyclic[p].sin, `${p}.sin`);
      assertClose(column(m, 2 * k + 1), fx.cyclic[p].cos, `${p}.cos`);
    });
  });
});

describe('DatePartExtractor', () => {
  it("'auto' adds the hour only for columns with times other than midnight", () => {
    const t = new Table([
      datetimeColumn('day', ['2024-01-01', '2024-05-02']),
      datetimeColumn('at', ['2024-01-01T10:15:00Z', '2024-05-02T00:00:00Z']),
      numericColumn('n', [1, 2]),
    ]);
    const d = new DatePartExtractor().fit(t);
    assert.deepEqual(d.getFeatureNamesOut(), [
      'day.year',
      'day.month',
      'day.day',
      'day.weekday',
      'at.year',
      'at.month',
      'at.day',
      'at.weekday',
      'at.hour',
    ]);
    assert.deepEqual(Array.from(d.transform(t).data.subarray(0, 9)), [2024, 1, 1, 0, 2024, 1, 1, 0, 10]);
  });

  it('reads a Matrix as epoch milliseconds, and named numeric columns of a Table too', () => {
    const ms = Date.UTC(2021, 6, 4, 5);
    const m = new DatePartExtractor({ parts: ['year', 'hour'] }).fitTransform(
      matrix(Float64Array.of(ms), 1, 1, ['ts']),
    );
    assert.deepEqual(Array.from(m.data), [2021, 5]);
    const t = new Table([numericColumn('ts', [ms]), categoricalColumn('c', ['x'])]);
    const d = new DatePartExtractor({ parts: ['month'], columns: ['ts'] }).fitTransform(t);
    assert.deepEqual(Array.from(d.data), [7]);
  });

  it('gives NaN in every part of a missing datetime', () => {
    const t = new Table([datetimeColumn('d', [null, '2020-02-29'])]);
    const m = new DatePartExtractor({ parts: ['year', 'dayofyear'], cyclic: true }).fitTransform(t);
    assert.ok(Number.isNaN(m.data[0]) && Number.isNaN(m.data[1]) && Number.isNaN(m.data[2]));
    assert.deepEqual(Array.from(m.data.subarray(3, 4)), [2020]);
  });

  it('explains a table without datetime columns and a named column of the wrong type', () => {
    const t = new Table([categoricalColumn('city', ['x'])]);
    assert.throws(
      () => new DatePartExtractor().fit(t),
      (e: unknown) => e instanceof ValidationError && /no datetime column/.test(e.message),
    );
    assert.throws(
      () => new DatePartExtractor({ columns: ['city'] }).fit(t),
      (e: unknown) => e instanceof ValidationError && e.field === 'city' && /is categorical/.test(e.message),
    );
    assert.throws(() => new DatePartExtractor({ columns: ['nope'] }).fit(t), /no column 'nope'/);
  });

  it('parses an ISO text column at transform time when fit saw datetimes', () => {
    const d = new DatePartExtractor({ parts: ['month'] }).fit(
      new Table([datetimeColumn('d', ['2024-03-01'])]),
    );
    const m = d.transform(new Table([categoricalColumn('d', ['2024-11-05', null])]));
    assert.equal(m.data[0], 11);
    assert.ok(Number.isNaN(m.data[1]));
    assert.throws(
      () => d.transform(new Table([categoricalColumn('d', ['soon'])])),
      (e: unknown) =>
        e instanceof ValidationError &&
        /'d' is categorical \(e.g. "soon"\), but it was datetime/.test(e.message),
    );
  });
});

describe('date strings without a zone are UTC whatever the machine is set to', () => {
  it('in datetimeColumn and when text dates are converted at transform', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York'; // Node applies a TZ change at once
    try {
      // Date.parse would read this as New York time: 2024-03-17 03:15 UTC, another day.
      assert.equal(datetimeColumn('d', ['2024-03-16T23:15:00']).values[0], Date.UTC(2024, 2, 16, 23, 15));
      assert.equal(datetimeColumn('d', ['2024-03-16 23:15']).values[0], Date.UTC(2024, 2, 16, 23, 15));
      assert.equal(
        datetimeColumn('d', ['2024-03-16T23:15:00+01:00']).values[0],
        Date.UTC(2024, 2, 16, 22, 15),
      );
      const fitted = new DatePartExtractor({ parts: ['day', 'hour'] }).fit(
        new Table([datetimeColumn('d', [Date.UTC(2024, 2, 15, 10, 30), Date.UTC(2024, 2, 16, 23, 15)])]),
      );
      const asText = new Table([categoricalColumn('d', ['2024-03-16T23:15:00'])]);
      assert.deepEqual(Array.from(fitted.transform(asText).data), [16, 23]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
