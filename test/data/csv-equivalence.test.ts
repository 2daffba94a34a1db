// Differential tests: the byte-level CSV reader (fast path, general path, parts read on worker
// threads) against a frozen copy of the string-based reader it replaced (test/data/reference/),
// on random clean and dirty files. Same columns bit for bit, same dictionaries and their order,
// same line numbers, same rejected rows (line, reason, raw text), same errors.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { sharedPool } from '../../src/core/pool.ts';
import type { Column } from '../../src/data/column.ts';
import { BadRows } from '../../src/data/read/bad-rows.ts';
import { type CsvTuning, parseCsv } from '../../src/data/read/csv.ts';
import type { ReadOptions } from '../../src/data/read-types.ts';
import type { ColumnSchema } from '../../src/data/schema.ts';
import { tmpFile } from './helpers.ts';
import { parseCsv as referenceParseCsv } from './reference/csv.ts';

after(() => sharedPool(3).close());

/** Everything a read produces, in a comparable form (or the error it throws). */
function outcome(run: () => unknown, bad: BadRows): unknown {
  try {
    const r = run() as {
      columns: Column[];
      formats: Record<string, string>;
      rowsRead: number;
      rowLines: Int32Array;
      dialect: unknown;
    };
    return {
      columns: r.columns.map(columnState),
      formats: r.formats,
      rowsRead: r.rowsRead,
      rowLines: Array.from(r.rowLines),
      dialect: r.dialect,
      rejected: bad.rows,
    };
  } catch (e) {
    const err = e as Error & { line?: number; column?: string };
    return { error: err.message, name: err.name, line: err.line, column: err.column };
  }
}

async function newOutcome(
  file: string,
  options: ReadOptions,
  overrides: Map<string, ColumnSchema>,
  tuning: CsvTuning,
): Promise<{ outcome: unknown; parallelParts: number }> {
  const bad = new BadRows(file, options.onBadRows ?? 'error');
  let parts = 0;
  let result: unknown;
  try {
    const r = await parseCsv(file, options, bad, overrides, undefined, tuning);
    parts = r.parallelParts;
    result = outcome(() => r, bad);
  } catch (e) {
    result = outcome(() => {
      throw e;
    }, bad);
  }
  return { outcome: result, parallelParts: parts };
}

function referenceOutcome(file: string, options: ReadOptions, overrides: Map<string, ColumnSchema>): unknown {
  const bad = new BadRows(file, options.onBadRows ?? 'error');
  return outcome(() => referenceParseCsv(file, options, bad, overrides), bad);
}

/** A column as plain data: numbers by their exact bits (NaN, -0 and all). */
function columnState(c: Column): unknown {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return {
        ...c,
        values: Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength).toString('hex'),
      };
    case 'boolean':
      return { ...c, values: Array.from(c.values) };
    case 'categorical':
      return { ...c, codes: Array.from(c.codes) };
    case 'text':
      return c;
  }
}

// ---- random files

const numberCell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toFixed(4)) },
  { weight: 3, arbitrary: fc.integer({ min: -99999, max: 99999 }).map(String) },
  { weight: 2, arbitrary: fc.double({ noNaN: true }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'NA',
      'nan',
      '-0',
      '+5',
      '.5',
      '5.',
      '1e5',
      '1E-3',
      ' 7 ',
      'inf',
      '-Infinity',
      '12345678901234567',
      '0.1000000000000000055511',
      '1e400',
      '1e-400',
      '"3.25"',
      '"NA"',
    ),
  },
);
const word = fc.constantFrom('Lyon', 'Paris', 'Nice', 'Zürich', 'Ōsaka', 'a😀b', 'x y', 'NA', 'None', '');
const stringCell = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 2, arbitrary: word.map((w) => `"${w}"`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }).map((s) => `"${s.replace(/"/g, '""')}"`) },
  { weight: 1, arbitrary: fc.constantFrom('"a,b"', '"two\nlines"', '"crlf\r\nin"', '"say ""hi"""', 'a"b') },
);
const boolCell = fc.constantFrom('true', 'false', 'TRUE', 'False', '', 'NA');
const dateCell = fc.constantFrom('2024-02-29', '2023-01-05', '2021-12-31T10:20:30Z', '', '1999-07-04 08:00');
const junkCell = fc.constantFrom(
  'oops',
  '"unterminated',
  'x"y',
  '"a"b',
  '1,2',
  '',
  '"""',
  "'single, quoted'",
  'z'.repeat(1100),
  `"${'long '.repeat(230)}"`,
);

type Kind = 'num' | 'str' | 'bool' | 'date';
const cellOf: Record<Kind, fc.Arbitrary<string>> = {
  num: numberCell,
  str: stringCell,
  bool: boolCell,
  date: dateCell,
};

const fileArb = fc
  .record({
    kinds: fc.array(fc.constantFrom<Kind>('num', 'num', 'str', 'bool', 'date'), {
      minLength: 1,
      maxLength: 5,
    }),
    rows: fc.integer({ min: 0, max: 70 }),
    dirt: fc.constantFrom(0, 0, 0.02, 0.1),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    delimiter: fc.constantFrom(',', ';', '\t', '|', '§'),
    bom: fc.boolean(),
    withHeader: fc.constantFrom(true, true, true, false),
    trailingEol: fc.boolean(),
    blankLines: fc.boolean(),
    seed: fc.integer(),
  })
  .chain((spec) =>
    fc
      .array(
        fc.tuple(
          fc.tuple(...spec.kinds.map((k) => cellOf[k])),
          fc.double({ min: 0, max: 1, noNaN: true }),
          junkCell,
          fc.integer({ min: 0, max: spec.kinds.length }),
        ),
        { minLength: spec.rows, maxLength: spec.rows },
      )
      .map((rows) => ({ spec, rows })),
  )
  .map(({ spec, rows }) => {
    const d = spec.delimiter;
    const lines = spec.withHeader ? [spec.kinds.map((k, j) => `${k}${j}`).join(d)] : [];
    for (const [cells, u, junk, at] of rows) {
      let fields = cells.map((c) => (d !== ',' ? c.replace(/,/g, d) : c));
      if (u < spec.dirt) {
        // A dirty row: junk in a field, a missing or an extra field.
        if (u < spec.dirt / 3) fields[Math.min(at, fields.length - 1)] = junk;
        else if (u < (2 * spec.dirt) / 3) fields = fields.slice(0, -1);
        else fields = [...fields, junk];
      }
      lines.push(fields.join(d));
      if (spec.blankLines && u > 0.95) lines.push('');
    }
    const text = lines.join(spec.eol) + (spec.trailingEol ? spec.eol : '');
    return { text: (spec.bom ? '\uFEFF' : '') + text, delimiter: d, header: spec.withHeader };
  });

const optionsArb = fc.record({
  sampleRows: fc.constantFrom(1, 2, 5, 20, 20_000),
  onBadRows: fc.constantFrom<'error' | 'quarantine'>('quarantine', 'quarantine', 'error'),
  giveDelimiter: fc.boolean(),
  giveHeader: fc.constantFrom(false, false, true),
  quote: fc.constantFrom<string | undefined>(undefined, undefined, undefined, '"', '', "'", '«'),
  maxRecordChars: fc.constantFrom<number | undefined>(undefined, undefined, 1024),
  schema: fc.boolean(),
});

describe('CSV reader: byte-level reader = the string-based reader it replaced', () => {
  it('random clean and dirty files, sample sizes, policies and dialects (one thread)', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, optionsArb, async (f, o) => {
        const p = tmpFile('eq.csv', f.text);
        const options: ReadOptions = {
          sampleRows: o.sampleRows,
          onBadRows: o.onBadRows,
          ...(o.giveDelimiter || f.delimiter === '§' ? { delimiter: f.delimiter } : {}),
          ...(o.giveHeader ? { header: f.header } : {}),
          ...(o.quote !== undefined && o.quote !== f.delimiter ? { quote: o.quote } : {}),
          ...(o.maxRecordChars !== undefined ? { maxRecordChars: o.maxRecordChars } : {}),
        };
        const overrides = new Map<string, ColumnSchema>(
          o.schema ? [['num0', { name: 'num0', type: 'numeric', storage: 'numeric', nullable: true }]] : [],
        );
        if (o.schema && !f.text.includes('num0')) overrides.clear();
        const want = referenceOutcome(p, options, overrides);
        const got = await newOutcome(p, options, overrides, { threads: 1 });
        assert.deepEqual(got.outcome, want);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('parts read on worker threads give the same result as one pass', async () => {
    let adopted = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, optionsArb, fc.constantFrom(2, 3), async (f, o, threads) => {
        const p = tmpFile('par.csv', f.text);
        const options: ReadOptions = {
          sampleRows: Math.min(o.sampleRows, 5),
          onBadRows: o.onBadRows,
          ...(o.maxRecordChars !== undefined ? { maxRecordChars: o.maxRecordChars } : {}),
        };
        const overrides = new Map<string, ColumnSchema>();
        const want = referenceOutcome(p, options, overrides);
        const got = await newOutcome(p, options, overrides, {
          threads,
          minParallelBytes: 0,
          mainTakesParts: false,
        });
        adopted += got.parallelParts;
        assert.deepEqual(got.outcome, want);
      }),
      { numRuns: 60, seed: 5 },
    );
    assert.ok(adopted > 20, `worker parts adopted: ${adopted}`);
  });

  it('this thread and the workers share the parts as their speeds allow: the same result', async () => {
    const rows = ['id,name,score,when'];
    for (let i = 0; i < 60_000; i++) {
      rows.push(
        `${i},${i % 7 === 0 ? `"Name, ${i % 50}"` : `n${i % 300}`},${i % 11 === 0 ? '' : (i * 0.37).toFixed(3)},2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      );
    }
    const p = tmpFile('shared.csv', `${rows.join('\n')}\n`);
    const want = referenceOutcome(p, {}, new Map());
    const got = await newOutcome(p, {}, new Map(), { threads: 2, minParallelBytes: 0 });
    assert.deepEqual(got.outcome, want);
  });

  it('a part that starts inside a quoted field is read again on the main thread', async () => {
    // Every line break of the body but one is inside a quoted field, so a cut lands in one.
    const rows = ['id,note'];
    for (let i = 0; i < 40; i++) rows.push(`${i},"line ${i}\nstill ${i}\nand ${i}"`);
    const p = tmpFile('cut.csv', `${rows.join('\n')}\n`);
    const options: ReadOptions = { sampleRows: 2 };
    const want = referenceOutcome(p, options, new Map());
    const got = await newOutcome(p, options, new Map(), {
      threads: 3,
      minParallelBytes: 0,
      mainTakesParts: false,
    });
    assert.deepEqual(got.outcome, want);
    assert.ok(got.parallelParts < 2, `parts adopted: ${got.parallelParts} of 2`);
  });

  it('a sample that spans several read chunks (its bytes are dropped as the reading goes on)', async () => {
    const rows = ['id,text,v'];
    const pad = 'é'.repeat(150); // 20,000 rows of ~310 bytes: the sample needs two chunks
    for (let i = 0; i < 24_000; i++) {
      rows.push(
        i % 50 === 7
          ? `${i},"quoted, ${pad} ""${i}""",${i / 4}`
          : `${i},${pad} ${i % 13},${i % 9 === 0 ? 'NA' : i / 8}`,
      );
    }
    rows.splice(12_345, 0, 'bad,row');
    const p = tmpFile('chunks.csv', `${rows.join('\n')}\n`);
    const options: ReadOptions = { onBadRows: 'quarantine' };
    const want = referenceOutcome(p, options, new Map());
    const got = await newOutcome(p, options, new Map(), { threads: 1 });
    assert.deepEqual(got.outcome, want);
    assert.equal((want as { rejected: unknown[] }).rejected.length, 1);
  });

  it('numeric-looking missing-value tokens are missing after the sample too', async () => {
    const rows = ['v'];
    for (let i = 0; i < 50; i++) rows.push(i % 10 === 3 ? '-999' : String(i));
    const p = tmpFile('m.csv', `${rows.join('\n')}\n`);
    const bad = new BadRows(p, 'error');
    const r = await parseCsv(p, { sampleRows: 5, missingValues: ['', '-999'] }, bad, new Map(), undefined, {
      threads: 1,
    });
    const v = r.columns[0];
    assert.ok(v.type === 'numeric');
    for (let i = 0; i < 50; i++)
      assert.ok(i % 10 === 3 ? Number.isNaN(v.values[i]) : v.values[i] === i, `row ${i}`);
  });
});
