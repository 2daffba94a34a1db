// The CSV reader's WebAssembly record kernel (assembly/csv.ts) against the TypeScript paths it
// stands in for (LATHE_CSV_KERNEL=ts): the same tables bit for bit — numbers by their exact
// bits (-0, NaN), dictionaries in the same order, the same line numbers, rejected rows and
// errors — on random files of numeric and string columns (the ones the kernel takes), random
// numeric strings, and with the kernel's blocks and copied bytes made tiny so that they end
// inside records. Every number the reader accepts is also checked against `parseNumber`.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { sharedPool } from '../../src/core/pool.ts';
import type { Column } from '../../src/data/column.ts';
import { BadRows } from '../../src/data/read/bad-rows.ts';
import { type CsvTuning, parseCsv } from '../../src/data/read/csv.ts';
import { csvKernelAvailable, csvKernelStats } from '../../src/data/read/csv-kernel.ts';
import { MissingTokens, parseNumber } from '../../src/data/read/values.ts';
import type { ReadOptions } from '../../src/data/read-types.ts';
import type { ColumnSchema } from '../../src/data/schema.ts';
import { tmpFile } from './helpers.ts';

// Worker threads copy the environment when the pool starts: these settings make the workers'
// kernels use tiny blocks too (the main thread's are set per read below).
process.env.LATHE_CSV_KERNEL = 'wasm';
process.env.LATHE_CSV_KERNEL_ROWS = '3';
process.env.LATHE_CSV_KERNEL_BYTES = '97';
// The kernel is tried again on the record after each one it leaves (no backoff after short runs).
process.env.LATHE_CSV_KERNEL_BACKOFF = '1';
after(() => sharedPool(2).close());

/** A column as plain data: numbers by their exact bits. */
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

interface Setting {
  kernel: 'wasm' | 'ts';
  /** Records per kernel block and bytes per copy (undefined: the defaults). */
  rows?: number;
  bytes?: number;
  tuning?: CsvTuning;
}

/** Everything a read gives (or the error it throws), with the kernel set as asked. */
async function read(
  file: string,
  options: ReadOptions,
  overrides: Map<string, ColumnSchema>,
  s: Setting,
): Promise<unknown> {
  const env = process.env;
  const saved = [env.LATHE_CSV_KERNEL, env.LATHE_CSV_KERNEL_ROWS, env.LATHE_CSV_KERNEL_BYTES];
  env.LATHE_CSV_KERNEL = s.kernel;
  if (s.rows === undefined) delete env.LATHE_CSV_KERNEL_ROWS;
  else env.LATHE_CSV_KERNEL_ROWS = String(s.rows);
  if (s.bytes === undefined) delete env.LATHE_CSV_KERNEL_BYTES;
  else env.LATHE_CSV_KERNEL_BYTES = String(s.bytes);
  const bad = new BadRows(file, options.onBadRows ?? 'error');
  try {
    const r = await parseCsv(file, options, bad, overrides, undefined, s.tuning ?? { threads: 1 });
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
    return { error: err.message, name: err.name, line: err.line, column: err.column, rejected: bad.rows };
  } finally {
    [env.LATHE_CSV_KERNEL, env.LATHE_CSV_KERNEL_ROWS, env.LATHE_CSV_KERNEL_BYTES] = saved;
  }
}

/**
 * Reads `file` with the TypeScript paths and with the kernel: the same outcome (which must be a
 * table unless `mayFail`). Returns the records the kernel took.
 */
async function same(
  file: string,
  options: ReadOptions,
  overrides: Map<string, ColumnSchema>,
  kernel: Omit<Setting, 'kernel'> = {},
  mayFail = false,
): Promise<number> {
  const want = await read(file, options, overrides, { kernel: 'ts' });
  if (!mayFail) assert.ok(!('error' in (want as object)), JSON.stringify(want));
  const before = csvKernelStats.records;
  const got = await read(file, options, overrides, { kernel: 'wasm', ...kernel });
  assert.deepEqual(got, want);
  return csvKernelStats.records - before;
}

// ---- random numbers and files

const digitRun = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
/** Numeric-looking text: sign, digits, point, digits, exponent — each part optional — and some spice. */
const numericText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '', '-', '+'),
        digitRun(18),
        fc.constantFrom('', '.', '.', '.'),
        digitRun(18),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('') },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digitRun(4))
              .map((t) => t.join('')),
          },
        ),
      )
      .map((t) => t.join('')),
  },
  { weight: 3, arbitrary: fc.double({ noNaN: true }).map(String) },
  { weight: 3, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }).map((v) => v.toFixed(4)) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '-0',
      '+5',
      '.5',
      '5.',
      '-.5',
      '.',
      '-',
      '+',
      'e5',
      '1e',
      '1e+',
      '0e500',
      '1e400',
      '1e-400',
      '1e22',
      '1e23',
      '1.5e-22',
      '123456789012345',
      '1234567890123456',
      '0.000000000000000000001',
      '0.0000000000000000000001',
      '000000000000000000001.5',
      '9007199254740993',
      ' 7',
      '7 ',
      '0x10',
      'inf',
      'Infinity',
      'NA',
      'nan',
      '1_000',
      '"3.25"',
    ),
  },
);

const word = fc.constantFrom('Lyon', 'Paris', 'Nice', 'Zürich', 'a😀b', 'x y', 'NA', 'None', '', 'Lyon ');
const stringCell = fc.oneof(
  { weight: 8, arbitrary: word },
  { weight: 2, arbitrary: word.map((w) => `"${w}"`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((s) => `"${s.replace(/"/g, '""')}"`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '"a,b"',
      '"two\nlines"',
      '"crlf\r\nin"',
      '"say ""hi"""',
      'a"b',
      '"a"b',
      'z'.repeat(1100),
    ),
  },
);

const boolCell = fc.constantFrom(
  'true',
  'false',
  'TRUE',
  'False',
  'yes',
  '',
  'NA',
  'maybe',
  '"true"',
  '"no"',
);
const dateCell = fc.constantFrom(
  '2024-02-29',
  '2023-01-05',
  '2021-12-31T10:20:30Z',
  '',
  '1999-07-04 08:00',
  '2023-02-30',
  'soon',
  '"2022-06-01"',
);

type Kind = 'num' | 'str' | 'bool' | 'date';
const cellOf: Record<Kind, fc.Arbitrary<string>> = {
  num: numericText,
  str: stringCell,
  bool: boolCell,
  date: dateCell,
};

const fileArb = fc
  .record({
    kinds: fc.array(fc.constantFrom<Kind>('num', 'num', 'str', 'str', 'bool', 'date'), {
      minLength: 1,
      maxLength: 5,
    }),
    rows: fc.integer({ min: 0, max: 40 }),
    dirt: fc.constantFrom(0, 0, 0.05, 0.2),
    eol: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    delimiter: fc.constantFrom(',', ',', ';', '\t', '|'),
    trailingEol: fc.boolean(),
    blankLines: fc.boolean(),
  })
  .chain((spec) =>
    fc
      .array(
        fc.tuple(
          fc.tuple(...spec.kinds.map((k) => cellOf[k])),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: 9 }),
        ),
        { minLength: spec.rows, maxLength: spec.rows },
      )
      .map((rows) => ({ spec, rows })),
  )
  .map(({ spec, rows }) => {
    const d = spec.delimiter;
    const lines = [spec.kinds.map((k, j) => `${k}${j}`).join(d)];
    for (const [cells, u, junk] of rows) {
      let fields = cells.map((c) => (d !== ',' ? c.replace(/,/g, d) : c));
      if (u < spec.dirt / 2) fields = fields.slice(0, -1);
      else if (u < spec.dirt) fields = [...fields, String(junk)];
      lines.push(fields.join(d));
      if (spec.blankLines && u > 0.9) lines.push('');
    }
    return { text: lines.join(spec.eol) + (spec.trailingEol ? spec.eol : ''), kinds: spec.kinds };
  });

/** Schema overrides fixing each column's type (so the kernel applies however the sample looks). */
function fixed(kinds: readonly Kind[]): Map<string, ColumnSchema> {
  return new Map(
    kinds.map((k, j): [string, ColumnSchema] => [
      `${k}${j}`,
      {
        name: `${k}${j}`,
        type: 'numeric',
        storage:
          k === 'num' ? 'numeric' : k === 'bool' ? 'boolean' : k === 'date' ? 'datetime' : 'categorical',
        nullable: true,
      },
    ]),
  );
}

const noWasm = csvKernelAvailable() ? false : 'build/wasm/csv.wasm is not built (npm run build)';

describe('CSV reader: the WebAssembly kernel = the TypeScript paths', { skip: noWasm }, () => {
  it('random files of numeric and string columns, dialects and policies, with blocks and copies ending inside records', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.constantFrom(1, 2, 3, 7, undefined),
        fc.constantFrom(7, 16, 40, 97, 300, undefined),
        fc.constantFrom<'quarantine' | 'error'>('quarantine', 'quarantine', 'error'),
        fc.constantFrom<string | undefined>(undefined, undefined, "'", ''),
        fc.constantFrom<number | undefined>(undefined, 1024),
        fc.boolean(),
        async (f, rows, bytes, onBadRows, quote, maxRecordChars, schema) => {
          const p = tmpFile('k.csv', f.text);
          const options: ReadOptions = {
            onBadRows,
            sampleRows: 3,
            ...(quote !== undefined ? { quote } : {}),
            ...(maxRecordChars !== undefined ? { maxRecordChars } : {}),
          };
          taken += await same(p, options, schema ? fixed(f.kinds) : new Map(), { rows, bytes }, true);
        },
      ),
      { numRuns: 400, seed: 7 },
    );
    assert.ok(taken > 1000, `records taken by the kernel: ${taken}`);
  });

  it('random numeric strings: the same doubles as the TypeScript path and as parseNumber', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(numericText, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom(1, 5, undefined),
        fc.constantFrom(12, 64, undefined),
        async (cells, eol, trailing, rows, bytes) => {
          const text =
            ['num0,str1', ...cells.map((c, i) => `${c},w${i % 3}`)].join(eol) + (trailing ? eol : '');
          const p = tmpFile('n.csv', text);
          const overrides = fixed(['num', 'str']);
          const options: ReadOptions = { onBadRows: 'quarantine', sampleRows: 2 };
          taken += await same(p, { ...options }, overrides, { rows, bytes });
          // Each accepted value is parseNumber's double (NaN for missing), bit for bit.
          const bad = new BadRows(p, 'quarantine');
          const r = await parseCsv(p, options, bad, overrides, undefined, { threads: 1 });
          const x = r.columns[0];
          assert.ok(x.type === 'numeric');
          const missing = new MissingTokens();
          let k = 0;
          cells.forEach((c, i) => {
            const t = c.replace(/^"(.*)"$/, '$1');
            const v = missing.has(t) ? Number.NaN : parseNumber(t);
            if (v === undefined) return; // rejected
            assert.equal(r.rowLines[k], i + 2);
            assert.ok(Object.is(x.values[k], v), `${JSON.stringify(c)}: ${x.values[k]} instead of ${v}`);
            k++;
          });
          assert.equal(k, x.values.length);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
    assert.ok(taken > 600, `records taken by the kernel: ${taken}`);
  });

  it('the edge cases one by one, each at every position of a block', async () => {
    const cases = [
      '-0',
      '+5',
      '.5',
      '5.',
      '-.5',
      '0',
      '-0.0',
      '123456789012345',
      '1234567890123456',
      '0.12345678901234567',
      '1e22',
      '1e23',
      '4.5e-22',
      '1e-23',
      '1e400',
      '1e-400',
      '0e999',
      '18446744073709551617',
      '1844674407370955.1617',
      '1e4294967297',
      '1e-4294967297',
      '1e',
      '.',
      ' 1',
      '1 ',
      '"2"',
    ];
    for (const c of cases) {
      const body = Array.from({ length: 9 }, (_, i) => (i % 4 === 1 ? `${c},a` : `${i}.25,b${i % 2}`));
      for (const eol of ['\n', '\r\n']) {
        for (const trailing of [true, false]) {
          const p = tmpFile('e.csv', ['num0,str1', ...body].join(eol) + (trailing ? eol : ''));
          for (const rows of [1, 2, 4, undefined]) {
            await same(p, { onBadRows: 'quarantine' }, fixed(['num', 'str']), { rows, bytes: 23 });
            await same(p, { onBadRows: 'quarantine' }, fixed(['num', 'str']), { rows });
          }
        }
      }
    }
  });

  it('a quote character that can start a number (the TypeScript path reads such a field as quoted)', async () => {
    const body = ['num0,str1', '-5-,a', '3,-b-', '-7,c', '--,d', '4.5,e'];
    const p = tmpFile('q.csv', `${body.join('\n')}\n`);
    for (const rows of [1, 2, undefined])
      await same(p, { quote: '-', onBadRows: 'quarantine' }, fixed(['num', 'str']), { rows });
  });

  it('a file like the benchmark (5% empty numbers, categoricals): the kernel takes every data row', async () => {
    const lines = ['a,b,c,cat,d,label'];
    let seed = 1;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20_000; i++) {
      const num = () => (rnd() < 0.05 ? '' : ((rnd() - 0.3) * 10 ** Math.floor(rnd() * 4)).toFixed(4));
      lines.push(
        [num(), num(), num(), `cat_${Math.floor(rnd() * 40)}`, num(), rnd() < 0.5 ? 0 : 1].join(','),
      );
    }
    const p = tmpFile('bench.csv', `${lines.join('\n')}\n`);
    const taken = await same(p, {}, new Map());
    assert.equal(taken, 20_000);
  });

  it('boolean and datetime columns: the kernel delimits them, the reader parses them, a bad value stops the block there', async () => {
    const lines = ['x,when,flag,cat'];
    for (let i = 0; i < 5000; i++) {
      const when =
        i === 1234 || i === 4321
          ? 'not a date'
          : `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const flag = i === 2500 ? 'perhaps' : i % 7 === 0 ? '' : i % 2 === 0 ? 'true' : '"false"';
      lines.push(`${(i * 0.5).toFixed(1)},${when},${flag},c${i % 4}`);
    }
    const p = tmpFile('dates.csv', `${lines.join('\n')}\n`);
    for (const rows of [1, 7, undefined]) {
      const taken = await same(p, { onBadRows: 'quarantine' }, new Map(), { rows });
      if (rows === undefined) assert.equal(taken, 4997);
    }
  });

  it('string columns with more distinct values than the kernel caches hold (entries and bytes)', async () => {
    const lines = ['id,many,long,few'];
    for (let i = 0; i < 12_000; i++) {
      const many = `v${(i * 7919) % 3000}`; // 3,000 distinct values, each seen four times
      const long = `${'x'.repeat(20 + (i % 37))}${(i * 31) % 900}`; // ~45 KB of distinct bytes
      lines.push(`${i},${many},${i % 13 === 0 ? '' : long},${i % 5 === 0 ? 'NA' : `f${i % 3}`}`);
    }
    const p = tmpFile('many.csv', `${lines.join('\n')}\n`);
    const taken = await same(p, {}, new Map());
    assert.equal(taken, 12_000);
  });

  it('parts read on worker threads with the kernel (tiny blocks) = one pass of the TypeScript path', async () => {
    const rows = ['id,name,score,note'];
    for (let i = 0; i < 3000; i++) {
      const name = i % 17 === 0 ? `"Name, ${i % 50}"` : `n${i % 300}`;
      const score = i % 11 === 0 ? '' : i % 97 === 0 ? '1e400' : (i * 0.37).toFixed(3);
      rows.push(`${i},${name},${score},${i % 501 === 0 ? '"two\nlines"' : 'x'}`);
      if (i % 777 === 0) rows.push(`${i},ragged`);
    }
    const p = tmpFile('parts.csv', `${rows.join('\n')}\n`);
    const options: ReadOptions = { onBadRows: 'quarantine', sampleRows: 5 };
    const want = await read(p, options, new Map(), { kernel: 'ts' });
    const got = await read(p, options, new Map(), {
      kernel: 'wasm',
      rows: 3,
      bytes: 97,
      tuning: { threads: 2, minParallelBytes: 0, mainTakesParts: false },
    });
    assert.deepEqual(got, want);
    // 4 ragged rows and 28 scores of 1e400, beyond the double range: not a number.
    assert.equal((want as { rejected: unknown[] }).rejected.length, 32);
  });
});
