import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('tells a prediction log from a data file by its first line', () => {
    assert.equal(looksLikePredictionLog(JSON.stringify(entry({}))), true);
    assert.equal(looksLikePredictionLog('{"age": 30, "plan": "pro"}'), false);
    assert.equal(looksLikePredictionLog('age,plan'), false);
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
