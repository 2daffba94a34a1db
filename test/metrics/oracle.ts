// Runs the scikit-learn oracle cases of test/fixtures/metrics/*.json (written by
// scripts/oracles/metrics.py) against the Lathe metrics: same inputs and options, results equal to
// 1e-9 relative tolerance (integers exactly), the same warnings (category and message, with
// scikit-learn's option names mapped to Lathe's), and a ValidationError naming the same argument
// wherever scikit-learn raises.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import * as metrics from '../../src/metrics/index.ts';

/** One oracle case as the Python script writes it. */
export interface OracleCase {
  id: string;
  fn: string;
  args: unknown[];
  options: Record<string, unknown>;
  expect?: unknown;
  error?: { type: string; message: string; field: string };
  warnings: [string, string][];
}

interface Fixture {
  sklearn: string;
  data: Record<string, Record<string, unknown[]>>;
  cases: OracleCase[];
}

/** Relative tolerance of every comparison with scikit-learn. */
export const RTOL = 1e-9;

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/metrics/${name}.json`, import.meta.url), 'utf8'));
}

function special(v: unknown): unknown {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v;
}

function specials(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(specials);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, specials(x)]));
  return special(v);
}

/** Resolves "@set.key" references and the JSON spellings of NaN/±Infinity. */
export function decode(fx: Fixture, v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('@')) {
    const [set, key] = v.slice(1).split('.');
    const arr = fx.data[set]?.[key];
    assert.ok(arr, `fixture data ${v} missing`);
    return decode(fx, arr);
  }
  if (Array.isArray(v)) return v.map((x) => decode(fx, x));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(fx, x)]));
  }
  return special(v);
}

/** scikit-learn's warning text with its option names spelled as Lathe's. */
export function latheMessage(msg: string): string {
  return msg
    .replace(/zero_division/g, 'zeroDivision')
    .replace(/pos_label/g, 'posLabel')
    .replace(/\(got None\)/g, '(got null)');
}

/** Plain arrays and objects from typed arrays, matrices and reports, to compare with the oracle. */
function plain(fn: string, r: unknown): unknown {
  if (fn === 'confusionMatrix') {
    const m = r as metrics.ConfusionMatrix;
    return Array.from({ length: m.rows }, (_, i) =>
      Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
    );
  }
  if (fn === 'classificationReport') {
    const rep = r as metrics.ClassificationReport;
    const row = (x: metrics.ClassificationReportRow) => ({
      precision: x.precision,
      recall: x.recall,
      'f1-score': x.f1Score,
      support: x.support,
    });
    const dict: Record<string, unknown> = {};
    for (const c of rep.classes) dict[c.name] = row(c);
    if (rep.accuracy !== null) dict.accuracy = rep.accuracy;
    if (rep.microAvg) dict['micro avg'] = row(rep.microAvg);
    dict['macro avg'] = row(rep.macroAvg);
    dict['weighted avg'] = row(rep.weightedAvg);
    return { dict, text: rep.text };
  }
  if (ArrayBuffer.isView(r)) return Array.from(r as Float64Array);
  if (r && typeof r === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === 'labels' && fn === 'precisionRecallFscoreSupport') continue;
      out[k] = ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v;
    }
    return out;
  }
  return r;
}

/** Deep comparison: numbers to {@link RTOL} (exactly when both are integers), NaN equals NaN. */
export function assertClose(actual: unknown, expected: unknown, path = 'result'): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number, got ${typeof actual}`);
    const a = actual as number;
    if (Number.isNaN(expected)) {
      assert.ok(Number.isNaN(a), `${path}: expected NaN, got ${a}`);
      return;
    }
    if (!Number.isFinite(expected)) {
      assert.equal(a, expected, `${path}`);
      return;
    }
    if (Number.isInteger(expected) && Number.isInteger(a)) {
      assert.equal(a, expected, `${path}: expected exactly ${expected}, got ${a}`);
      return;
    }
    const tol = RTOL * Math.max(Math.abs(a), Math.abs(expected));
    assert.ok(
      Math.abs(a - expected) <= tol,
      `${path}: expected ${expected}, got ${a} (|Δ| = ${Math.abs(a - expected)})`,
    );
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${typeof actual}`);
    const arr = actual as unknown[];
    assert.equal(arr.length, expected.length, `${path}: length ${arr.length}, expected ${expected.length}`);
    expected.forEach((e, i) => assertClose(arr[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path}: expected an object`);
    const act = actual as Record<string, unknown>;
    assert.deepEqual(Object.keys(act).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const [k, v] of Object.entries(expected)) assertClose(act[k], v, `${path}.${k}`);
    return;
  }
  assert.equal(actual, expected, path);
}

type AnyMetric = (...args: unknown[]) => unknown;

/** Runs one case and checks result, warnings or error against scikit-learn's. */
export function runCase(fx: Fixture, c: OracleCase): void {
  const fn = (metrics as unknown as Record<string, AnyMetric>)[c.fn];
  assert.equal(typeof fn, 'function', `no metric named ${c.fn}`);
  const args = c.args.map((a) => decode(fx, a));
  const options = decode(fx, c.options) as Record<string, unknown>;
  const call = () => fn(...args, options);
  const expected = c.error;
  if (expected) {
    captureWarnings(() => {
      assert.throws(
        call,
        (e: unknown) => {
          assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
          assert.equal(e.field, expected.field, `error field (message: ${e.message})`);
          assert.ok(
            e.message.length > 20 && e.message.includes(c.fn),
            `message names the metric: ${e.message}`,
          );
          return true;
        },
        `scikit-learn raised ${expected.type}: ${expected.message}`,
      );
    });
    return;
  }
  const { result, warnings } = captureWarnings(call);
  assertClose(plain(c.fn, result), specials(c.expect));
  assert.deepEqual(
    warnings.map((w) => [w.category, w.message]),
    c.warnings.map(([cat, msg]) => [cat, latheMessage(msg)]),
    'warnings',
  );
}

/** Registers one `it` per case of a fixture, grouped by metric. */
export function oracleSuite(name: string): void {
  const fx = loadFixture(name);
  const byFn = new Map<string, OracleCase[]>();
  for (const c of fx.cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  describe(`${name} oracle (scikit-learn ${fx.sklearn})`, () => {
    for (const [fn, cases] of byFn) {
      describe(fn, () => {
        for (const c of cases) it(c.id.slice(c.id.indexOf('/') + 1), () => runCase(fx, c));
      });
    }
  });
}
