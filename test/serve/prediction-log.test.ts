import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  looksLikePredictionLog,
  PredictionLog,
  type PredictionLogEntry,
  readPredictionLog,
} from '../../src/serve/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function entry(over: Partial<PredictionLogEntry>): PredictionLogEntry {
  return {
    time: '2026-11-01T10:00:00.000Z',
    model: 'churn',
    version: '1',
    id: 'x',
    status: 200,
    rows: 2,
    latencyMs: 1,
    inputs: { age: [30, 40], plan: ['pro', null] },
    outputs: { prediction: ['no', 'yes'] },
    ...over,
  };
}

function writeLog(name: string, entries: PredictionLogEntry[]): string {
  const path = join(dir, name);
  const log = PredictionLog.open(path);
  for (const e of entries) log.write(e);
  log.close();
  return path;
}

describe('readPredictionLog', () => {
  it('concatenates the inputs of answered requests in log order, typed by their values', () => {
    const path = writeLog('a.ndjson', [
      entry({ id: 'a' }),
      entry({ id: 'b', status: 400, rows: 0, inputs: undefined, outputs: undefined, error: 'bad' }),
      entry({
        id: 'c',
        time: '2026-11-02T10:00:00.000Z',
        rows: 1,
        version: '2',
        inputs: { age: [55], plan: ['team'] },
      }),
    ]);
    const r = readPredictionLog(path);
    assert.equal(r.model, 'churn');
    assert.deepEqual(r.versions, ['1', '2']);
    assert.equal(r.lines, 3);
    assert.equal(r.requests, 2);
    assert.equal(r.first, '2026-11-01T10:00:00.000Z');
    assert.equal(r.last, '2026-11-02T10:00:00.000Z');
    assert.deepEqual(r.table.values('age'), [30, 40, 55]);
    assert.deepEqual(r.table.values('plan'), ['pro', null, 'team']);
    assert.equal(r.table.column('age').type, 'numeric');
  });

  it('takes only the requests of a time span', () => {
    const path = writeLog('b.ndjson', [
      entry({}),
      entry({ time: '2026-11-05T00:00:00.000Z', rows: 1, inputs: { age: [70], plan: ['x'] } }),
    ]);
    assert.deepEqual(
      readPredictionLog(path, { since: '2026-11-03T00:00:00.000Z' }).table.values('age'),
      [70],
    );
    assert.deepEqual(
      readPredictionLog(path, { until: '2026-11-03T00:00:00.000Z' }).table.values('age'),
      [30, 40],
    );
    assert.equal(readPredictionLog(path, { since: '2027-01-01T00:00:00.000Z' }).table.nRows, 0);
  });

  it('needs --served-as for a log of several models, and names a line that is not JSON', () => {
    const path = writeLog('c.ndjson', [entry({}), entry({ model: 'spend' })]);
    assert.throws(
      () => readPredictionLog(path),
      /holds the predictions of 2 models \(churn, spend\).*--served-as NAME/,
    );
    assert.equal(readPredictionLog(path, { model: 'spend' }).requests, 1);
    const broken = join(dir, 'd.ndjson');
    writeFileSync(broken, `${JSON.stringify(entry({}))}\n{"time": "2026`);
    assert.throws(() => readPredictionLog(broken), /d\.ndjson, line 2: this line is not JSON/);
  });

  it('names a line that is JSON but no entry (null, a number, a list), instead of failing inside', () => {
    for (const line of ['null', '5', '[1]', '"x"']) {
      const path = join(dir, 'e.ndjson');
      writeFileSync(path, `${JSON.stringify(entry({}))}\n${line}\n`);
      assert.throws(
        () => readPredictionLog(path),
        (e: Error) =>
          e.name === 'DataError' && /e\.ndjson, line 2: this line is not a JSON object/.test(e.message),
        line,
      );
    }
  });

  it('reads a log in chunks: the same rows whatever the chunk size, lines cut anywhere', () => {
    // Multi-byte values (cut by small chunks), CRLF line ends, a last line without a newline.
    const lines = [
      entry({ inputs: { age: [30, 40], plan: ['prö', '€uro'] } }),
      entry({ id: 'b', status: 400, rows: 0, inputs: undefined, outputs: undefined, error: 'bad' }),
      entry({ time: '2026-11-02T10:00:00.000Z', version: '2', rows: 1, inputs: { age: [55], plan: ['𝄞'] } }),
      entry({
        time: '2026-11-03T10:00:00.000Z',
        rows: 3,
        inputs: { plan: ['日本', null, 'x'], extra: [1, 2, 3] },
      }),
    ].map((e) => JSON.stringify(e));
    const path = join(dir, 'chunks.ndjson');
    writeFileSync(path, lines.join('\r\n'));
    const whole = readPredictionLog(path);
    assert.equal(whole.lines, 4);
    assert.equal(whole.requests, 3);
    assert.deepEqual(whole.versions, ['1', '2']);
    assert.deepEqual(whole.table.columnNames, ['age', 'plan', 'extra']);
    assert.deepEqual(whole.table.values('age'), [30, 40, 55, null, null, null]);
    assert.deepEqual(whole.table.values('plan'), ['prö', '€uro', '𝄞', '日本', null, 'x']);
    assert.deepEqual(whole.table.values('extra'), [null, null, null, 1, 2, 3]);
    const shape = (r: ReturnType<typeof readPredictionLog>) => ({
      ...r,
      table: r.table.columnNames.map((c) => [c, r.table.column(c).type, r.table.values(c)]),
    });
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 100]) {
      assert.deepEqual(
        shape(readPredictionLog(path, {}, { chunkBytes })),
        shape(whole),
        `chunk ${chunkBytes}`,
      );
      assert.deepEqual(
        readPredictionLog(path, { since: '2026-11-02T00:00:00.000Z' }, { chunkBytes }).table.values('plan'),
        ['𝄞', '日本', null, 'x'],
      );
    }
  });

  it('names a bad line by its number when read in small chunks, and a partial last line as not JSON', () => {
    const path = join(dir, 'f.ndjson');
    const good = JSON.stringify(entry({ inputs: { age: [30, 40], plan: ['ü', 'é'] } }));
    writeFileSync(path, `${good}\r\n${good}\r\nnull\r\n${good}\n`);
    for (const chunkBytes of [1, 3, 1024]) {
      assert.throws(
        () => readPredictionLog(path, {}, { chunkBytes }),
        (e: Error) =>
          e.name === 'DataError' &&
          /f\.ndjson, line 3: this line is not a JSON object \(it is null\),/.test(e.message),
      );
    }
    // A crash mid-write leaves a last line cut short: it is named, as before (not silently dropped).
    writeFileSync(path, `${good}\n${good.slice(0, 50)}`);
    for (const chunkBytes of [1, 7, 1024]) {
      assert.throws(
        () => readPredictionLog(path, {}, { chunkBytes }),
        /f\.ndjson, line 2: this line is not JSON/,
      );
    }
  });

  it('skips a byte order mark and blank lines before the first entry, and numbers lines as an editor does', () => {
    const path = join(dir, 'g.ndjson');
    const good = JSON.stringify(entry({}));
    writeFileSync(path, `\uFEFF\n  \r\n${good}\n`);
    for (const chunkBytes of [1, 2, 1024]) {
      const r = readPredictionLog(path, {}, { chunkBytes });
      assert.equal(r.requests, 1);
      assert.equal(r.lines, 1);
      assert.deepEqual(r.table.values('age'), [30, 40]);
    }
    // A blank line after the first entry is still named (a server never writes one).
    writeFileSync(path, `\n${good}\n\n${good}\n`);
    assert.throws(() => readPredictionLog(path), /g\.ndjson, line 3: this line is not JSON/);
  });

  it('tells a prediction log from a data file by its first line', () => {
    assert.equal(looksLikePredictionLog(JSON.stringify(entry({}))), true);
    assert.equal(looksLikePredictionLog('{"age": 30, "plan": "pro"}'), false);
    assert.equal(looksLikePredictionLog('age,plan'), false);
    // What comes before the first line: a byte order mark, blank lines (LF or CRLF).
    const line = JSON.stringify(entry({}));
    assert.equal(looksLikePredictionLog(`\uFEFF${line}\n`), true);
    assert.equal(looksLikePredictionLog(`\n\r\n  \n${line}\r\n${line}\n`), true);
    assert.equal(looksLikePredictionLog(`\uFEFF\n\n${line}`), true);
    assert.equal(looksLikePredictionLog('\uFEFF\n{"age": 30, "plan": "pro"}\n'), false);
    assert.equal(looksLikePredictionLog('\n\n'), false);
    assert.equal(looksLikePredictionLog(''), false);
    // lathe monitor reads the first 64 KB: a log whose first request was large is cut inside it.
    const rows = 8000;
    const big = JSON.stringify(
      entry({ rows, inputs: { age: Array(rows).fill(30.5), plan: Array(rows).fill('pro') } }),
    );
    assert.ok(big.length > 65536);
    assert.equal(looksLikePredictionLog(big.slice(0, 65536)), true);
    assert.equal(looksLikePredictionLog(`{"time": "2026-11-01", "age": [${'1,'.repeat(40000)}`), false);
  });
});

describe('PredictionLog.reopen (log rotation)', () => {
  it('writes to a new file at its path once the old one was moved, leaving the moved lines there', () => {
    const path = join(dir, 'rotated.ndjson');
    const log = PredictionLog.open(path);
    log.write(entry({ id: 'before' }));
    renameSync(path, `${path}.1`);
    log.write(entry({ id: 'still-old' })); // written to the moved file until reopened
    log.reopen();
    log.write(entry({ id: 'after' }));
    log.close();
    const ids = (f: string) =>
      readFileSync(f, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id);
    assert.deepEqual(ids(`${path}.1`), ['before', 'still-old']);
    assert.deepEqual(ids(path), ['after']);
  });

  it('keeps writing to the file it has when the path cannot be opened again, and says why', () => {
    const folder = join(dir, 'rotating');
    mkdirSync(folder);
    const path = join(folder, 'log.ndjson');
    const log = PredictionLog.open(path);
    renameSync(path, `${path}.1`);
    mkdirSync(path); // something else took the name
    assert.throws(
      () => log.reopen(),
      /prediction log .*log\.ndjson cannot be opened for writing \(it is a folder\)/,
    );
    log.write(entry({ id: 'kept' }));
    log.close();
    assert.equal(JSON.parse(readFileSync(`${path}.1`, 'utf8')).id, 'kept');
    assert.doesNotThrow(() => log.reopen(), 'a closed log is not opened again');
  });
});
