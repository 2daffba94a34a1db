// Each check fires on data built to trip it (with the severity and evidence docs/profile.md
// promises), and stays quiet on clean data.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataError, ValidationError } from '../../src/core/errors.ts';
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
import { type ProfileOptions, profileTable } from '../../src/quality/profile.ts';
import { profileFile } from '../../src/quality/profile-file.ts';
import type { Finding, QualityCheckId, QualityReport } from '../../src/quality/report.ts';

const N = 500;
const rng = new Rng(3);
const normal = (n = N, mean = 0, sd = 1) => Array.from({ length: n }, () => rng.normal(mean, sd));

function profile(cols: Column[], options: ProfileOptions = {}): QualityReport {
  return profileTable(new Table(cols), options);
}
function findings(r: QualityReport, check: QualityCheckId): Finding[] {
  return r.findings.filter((f) => f.check === check);
}
function only(r: QualityReport, check: QualityCheckId, column?: string): Finding {
  const fs = findings(r, check).filter((f) => column === undefined || f.column === column);
  assert.equal(
    fs.length,
    1,
    `expected one '${check}' finding${column ? ` for '${column}'` : ''}, got ${fs.length}`,
  );
  return fs[0];
}

describe('quality checks', () => {
  it('clean, independent columns give no findings at all', () => {
    const r = profile([
      numericColumn('a', normal()),
      numericColumn('b', normal(N, 10, 2)),
      categoricalColumn(
        'c',
        Array.from({ length: N }, () => ['x', 'y', 'z'][rng.int(3)]),
      ),
      booleanColumn(
        'd',
        Array.from({ length: N }, () => rng.random() < 0.5),
      ),
    ]);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.counts, { critical: 0, warning: 0, info: 0 });
  });

  it('duplicate-rows: a warning with the rows and the rows they repeat', () => {
    const a = normal(100);
    const b = normal(100);
    a[50] = a[7];
    b[50] = b[7];
    a[80] = Number.NaN;
    a[90] = Number.NaN;
    b[90] = b[80];
    const r = profile([numericColumn('a', a), numericColumn('b', b)]);
    const f = only(r, 'duplicate-rows');
    assert.equal(f.severity, 'warning');
    assert.equal(f.id, 'duplicate-rows');
    assert.equal(r.table.duplicateRows, 2);
    assert.deepEqual(r.table.duplicateExamples, [
      { row: 50, sameAs: 7 },
      { row: 90, sameAs: 80 },
    ]);
    assert.match(f.evidence, /row 50 repeats row 7/);
  });

  it('empty-column, constant-column and near-constant-column', () => {
    const near = Array.from({ length: N }, (_, i) => (i < 3 ? 'rare' : 'common'));
    const r = profile([
      numericColumn('empty', new Array(N).fill(null)),
      numericColumn(
        'const',
        Array.from({ length: N }, (_, i) => (i % 10 === 0 ? null : 4)),
      ),
      categoricalColumn('near', near),
      numericColumn('ok', normal()),
    ]);
    const e = only(r, 'empty-column', 'empty');
    assert.equal(e.severity, 'warning');
    assert.ok(
      !findings(r, 'missing-values').some((f) => f.column === 'empty'),
      'an empty column is reported once, as empty',
    );
    const c = only(r, 'constant-column', 'const');
    assert.equal(c.severity, 'warning');
    assert.match(c.evidence, /is 4 \(the other 50 are missing\)/);
    assert.match(c.fix, /missing-indicator/);
    const n = only(r, 'near-constant-column', 'near');
    assert.equal(n.severity, 'info');
    assert.equal(n.measures.share, (N - 3) / N);
  });

  it('missing-values: info from 5%, warning from 50%', () => {
    const some = normal().map((v, i) => (i % 10 === 0 ? null : v));
    const most = normal().map((v, i) => (i % 10 < 6 ? null : v));
    const few = normal().map((v, i) => (i % 50 === 0 ? null : v));
    const r = profile([numericColumn('some', some), numericColumn('most', most), numericColumn('few', few)]);
    assert.equal(only(r, 'missing-values', 'some').severity, 'info');
    assert.equal(only(r, 'missing-values', 'most').severity, 'warning');
    assert.equal(findings(r, 'missing-values').length, 2, '2% missing is below the threshold');
    assert.equal(only(r, 'missing-values', 'some').measures.missingPct, 10);
    // 1,249 of 2,500 (49.96%) is an info; its title must not round it onto the 50% warning line.
    const almostHalf = Array.from({ length: 2500 }, (_, i) => (i < 1249 ? null : i));
    const r2 = profile([numericColumn('half', almostHalf)]);
    const f = only(r2, 'missing-values', 'half');
    assert.equal(f.severity, 'info');
    assert.equal(f.title, "'half' is 49.96% missing");
  });

  it('id-like-column: unique whole numbers and unique short codes, not unique measurements or free text', () => {
    const r = profile([
      numericColumn(
        'customer_id',
        Array.from({ length: N }, (_, i) => 1000 + i),
      ),
      textColumn(
        'sku',
        Array.from({ length: N }, (_, i) => `SKU-${i.toString(36)}`),
      ),
      numericColumn('measure', normal()),
      textColumn(
        'comment',
        Array.from({ length: N }, (_, i) => `the customer said thing number ${i}`),
      ),
    ]);
    assert.equal(only(r, 'id-like-column', 'customer_id').severity, 'warning');
    assert.equal(only(r, 'id-like-column', 'sku').severity, 'warning');
    assert.equal(findings(r, 'id-like-column').length, 2);
    const byName = new Map(r.columns.map((c) => [c.name, c]));
    assert.equal(byName.get('customer_id')!.type, 'id');
    assert.equal(byName.get('comment')!.type, 'text');
    assert.deepEqual(r.correlations.excluded, [{ column: 'customer_id', reason: 'ID-like' }]);
  });

  it('high-cardinality: a categorical with more than 50 levels', () => {
    const r = profile([
      categoricalColumn(
        'zip',
        Array.from({ length: N }, () => `Z${rng.int(80)}`),
      ),
    ]);
    const f = only(r, 'high-cardinality', 'zip');
    assert.equal(f.severity, 'warning');
    assert.equal(f.measures.distinct, 80);
  });

  it('numbers-as-text and disguised-missing: numbers with "?" and "n/a" among them', () => {
    const vals = normal().map((v, i) => (i % 40 === 0 ? '?' : i % 41 === 0 ? 'n/a' : v.toFixed(3)));
    const r = profile([textColumn('amount', vals)]);
    const f = only(r, 'numbers-as-text', 'amount');
    assert.equal(f.severity, 'warning');
    // lathe clean first: a schema's numeric type reads only plain numbers (not 12,570.79 or $12).
    assert.match(f.fix, /^convert 'amount' to numbers with lathe clean <data> -o <file>/);
    assert.match(f.fix, /"type": "numeric"\}\) reads only plain numbers/);
    assert.equal(r.columns[0].suggestedType, 'numeric');
    const d = only(r, 'disguised-missing', 'amount');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(new Set(d.measures.tokens as string[]), new Set(['?', 'n/a']));
    assert.equal(d.measures.count, vals.filter((v) => v === '?' || v === 'n/a').length);
    assert.equal(findings(r, 'id-like-column').length, 0, 'decimal numbers as text are not identifiers');
  });

  it("suggestedType under profileFile: the reader's inferred schema does not silence it, a declared type does", async () => {
    // profileFile hands the reader's schema (every column, types as inferred) to the profile; the
    // suggestion used to be dropped whenever a column had a schema, so `lathe profile` never made one.
    const dir = mkdtempSync(join(tmpdir(), 'lathe-quality-'));
    try {
      const path = join(dir, 'amounts.csv');
      const lines = ['amount'];
      for (let i = 0; i < 60; i++) lines.push(i % 20 === 0 ? '?' : (i * 1.25).toFixed(2));
      writeFileSync(path, `${lines.join('\n')}\n`);
      const { report } = await profileFile(path);
      assert.equal(only(report, 'numbers-as-text', 'amount').severity, 'warning');
      assert.equal(report.columns[0].suggestedType, 'numeric');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const vals = Array.from({ length: 60 }, (_, i) => (i * 1.25).toFixed(2));
    const declared = (type: 'categorical' | 'id') =>
      profile([categoricalColumn('amount', vals)], {
        schema: { version: 1, columns: [{ name: 'amount', type, storage: 'categorical', nullable: false }] },
      }).columns[0];
    assert.equal(declared('categorical').suggestedType, 'numeric');
    assert.equal(declared('id').type, 'id');
    assert.equal(declared('id').suggestedType, null, 'a schema that says what the column means stands');
  });

  it('numbers-as-text with leading zeros is only info (codes such as ZIP codes)', () => {
    const r = profile([
      categoricalColumn(
        'zip',
        Array.from({ length: N }, () => `0${1000 + rng.int(40)}`),
      ),
    ]);
    const f = only(r, 'numbers-as-text', 'zip');
    assert.equal(f.severity, 'info');
    assert.match(f.evidence, /leading zeros/);
    assert.equal(r.columns[0].suggestedType, null);
  });

  it('dates-as-text and mixed-types', () => {
    const dates = Array.from({ length: N }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const mixed = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? String(i) : `item ${i % 7}`));
    const r = profile([categoricalColumn('day', dates), categoricalColumn('mixed', mixed)]);
    assert.equal(only(r, 'dates-as-text', 'day').severity, 'info');
    assert.equal(r.columns[0].suggestedType, 'datetime');
    const m = only(r, 'mixed-types', 'mixed');
    assert.equal(m.severity, 'warning');
    assert.ok(Math.abs((m.measures.numberShare as number) - 167 / 500) < 1e-12);
    assert.match(m.evidence, /33\.4% numbers/);
  });

  it('infinite-values: inf in the target is critical (with its line), in a feature a warning', () => {
    const y = normal(200, 100, 10);
    y[3] = Number.POSITIVE_INFINITY;
    const x = normal(200);
    x[10] = Number.NEGATIVE_INFINITY;
    x[20] = Number.NEGATIVE_INFINITY;
    const lines = Int32Array.from({ length: 200 }, (_, i) => i + 2);
    const r = profile([numericColumn('x', x), numericColumn('price', y), numericColumn('z', normal(200))], {
      target: 'price',
      rowLines: lines,
    });
    const t = only(r, 'infinite-values', 'price');
    assert.equal(t.severity, 'critical');
    assert.equal(t.title, "the target 'price' has infinite values");
    assert.match(t.evidence, /^1 value of 'price' is infinite \(1 inf, 0 -inf; the first on line 5\)/);
    assert.deepEqual(t.measures, { count: 1, positive: 1, negative: 0, first: 5 });
    const f = only(r, 'infinite-values', 'x');
    assert.equal(f.severity, 'warning');
    assert.match(f.evidence, /2 values of 'x' are infinite \(0 inf, 2 -inf; the first on line 12\)/);
    assert.equal(findings(r, 'infinite-values').length, 2);
  });

  it('outliers: a few far-out values are a warning; a heavy tail is info; a normal sample is quiet', () => {
    const sentinel = normal().map((v, i) => (i < 3 ? 999 : v));
    const tail = Array.from({ length: N }, () => Math.exp(rng.normal(0, 1.5)));
    const r = profile([
      numericColumn('sentinel', sentinel),
      numericColumn('tail', tail),
      numericColumn('plain', normal()),
    ]);
    const s = only(r, 'outliers', 'sentinel');
    assert.equal(s.severity, 'warning');
    assert.equal((s.measures.examples as number[])[0], 999);
    assert.equal(s.measures.extremeCount, 3);
    assert.equal(only(r, 'outliers', 'tail').severity, 'info');
    assert.equal(findings(r, 'outliers').length, 2);
  });

  it('high-correlation: one warning per pair at |r| ≥ 0.9, with both coefficients', () => {
    const x = normal();
    const r = profile([
      numericColumn('x', x),
      numericColumn(
        'x_cubed',
        x.map((v) => v ** 3),
      ),
      numericColumn(
        'neg',
        x.map((v) => -2 * v + rng.normal(0, 0.1)),
      ),
      numericColumn('other', normal()),
    ]);
    const fs = findings(r, 'high-correlation');
    assert.deepEqual(
      fs.map((f) => f.id).sort(),
      ['high-correlation:x:neg', 'high-correlation:x:x_cubed', 'high-correlation:x_cubed:neg'].sort(),
    );
    const cubed = fs.find((f) => f.id === 'high-correlation:x:x_cubed')!;
    assert.equal(cubed.measures.spearman, 1, 'a monotone transform has Spearman 1');
    assert.ok((cubed.measures.pearson as number) < 0.95);
    assert.deepEqual(r.correlations.highPairs.length, 3);
  });

  it('class-imbalance: warning under 10%, critical under 1%', () => {
    const f = (share: number) =>
      only(
        profile(
          [
            numericColumn('x', normal()),
            categoricalColumn(
              'y',
              Array.from({ length: N }, (_, i) => (i < share * N ? 'yes' : 'no')),
            ),
          ],
          {
            target: 'y',
          },
        ),
        'class-imbalance',
      );
    assert.equal(f(0.06).severity, 'warning');
    assert.equal(f(0.004).severity, 'critical');
    const balanced = profile(
      [
        categoricalColumn(
          'y',
          Array.from({ length: N }, (_, i) => (i % 2 ? 'a' : 'b')),
        ),
      ],
      {
        target: 'y',
      },
    );
    assert.equal(findings(balanced, 'class-imbalance').length, 0);
    // Many equal classes are not imbalanced (twenty classes of 5 % each), nor nearly equal ones;
    // one rare class among many is.
    const classes = (sizes: number[]) =>
      findings(
        profile(
          [
            categoricalColumn(
              'y',
              sizes.flatMap((n, k) => Array.from({ length: n }, () => `c${k}`)),
            ),
          ],
          { target: 'y' },
        ),
        'class-imbalance',
      );
    assert.equal(classes(Array.from({ length: 20 }, () => 20)).length, 0);
    assert.equal(classes([...Array.from({ length: 19 }, () => 20), 11]).length, 0);
    assert.equal(classes([...Array.from({ length: 19 }, () => 20), 9])[0].severity, 'warning');
    // A share just under a threshold is not rounded onto it: 2 of 201 (0.995%) is critical, and
    // "(1%) … critical below 1%" would contradict it; 20 of 201 (9.95%) is not "10%" either.
    const near = (minority: number) =>
      only(
        profile(
          [
            categoricalColumn(
              'y',
              Array.from({ length: 201 }, (_, i) => (i < minority ? 'b' : 'a')),
            ),
          ],
          { target: 'y' },
        ),
        'class-imbalance',
      );
    assert.equal(near(2).severity, 'critical');
    assert.match(near(2).evidence, /has 2 rows \(0\.995%\)/);
    assert.equal(near(20).severity, 'warning');
    assert.match(near(20).evidence, /has 20 rows \(9\.95%\)/);
    assert.deepEqual(
      balanced.target!.classes!.map((c) => [c.value, c.count]),
      [
        ['a', 250],
        ['b', 250],
      ],
    );
  });

  it('target-missing and target-constant', () => {
    const y = Array.from({ length: N }, (_, i) => (i % 20 === 0 ? null : 1));
    const r = profile([numericColumn('x', normal()), numericColumn('y', y)], { target: 'y' });
    assert.equal(only(r, 'target-missing').severity, 'warning');
    assert.equal(only(r, 'target-constant').severity, 'critical');
    assert.equal(findings(r, 'missing-values').length, 0, 'the target is reported by the target checks');
    assert.equal(findings(r, 'constant-column').length, 0);
  });

  it('leakage-suspect: a copy, a threshold rule and a "missing when positive" column are caught; a real signal is not', () => {
    const x = normal();
    const label = x.map((v) => (v + rng.normal(0, 0.7) > 0 ? 'yes' : 'no'));
    const r = profile(
      [
        numericColumn('signal', x),
        numericColumn(
          'refund_amount',
          label.map((l) => (l === 'yes' ? rng.random() * 100 : null)),
        ),
        categoricalColumn(
          'status_after',
          label.map((l) => (l === 'yes' ? 'closed' : 'open')),
        ),
        numericColumn('noise', normal()),
        categoricalColumn('churn', label),
      ],
      { target: 'churn' },
    );
    const suspects = findings(r, 'leakage-suspect').map((f) => f.column);
    assert.deepEqual(suspects.sort(), ['refund_amount', 'status_after']);
    assert.ok(findings(r, 'leakage-suspect').every((f) => f.severity === 'critical'));
    const assoc = new Map(r.target!.associations.map((a) => [a.column, a.score]));
    assert.equal(assoc.get('status_after'), 1);
    assert.ok(assoc.get('signal')! > 0.2 && assoc.get('signal')! < 0.9, `signal ${assoc.get('signal')}`);
    assert.ok(assoc.get('noise')! < 0.2, `noise ${assoc.get('noise')}`);
  });

  it('leakage-suspect for regression: a monotone transform of the target; an ID is not predictive', () => {
    const y = Array.from({ length: N }, () => Math.exp(rng.normal(3, 1)));
    const r = profile(
      [
        numericColumn(
          'id',
          Array.from({ length: N }, (_, i) => i),
        ),
        numericColumn(
          'log_price',
          y.map((v) => Math.log(v)),
        ),
        numericColumn('price', y),
      ],
      { target: 'price' },
    );
    assert.equal(r.target!.task, 'regression');
    assert.deepEqual(
      findings(r, 'leakage-suspect').map((f) => f.column),
      ['log_price'],
    );
    const log = r.target!.associations.find((a) => a.column === 'log_price')!;
    assert.equal(log.rankR2, 1);
    assert.ok(r.target!.associations.find((a) => a.column === 'id')!.score < 0.2);
    assert.ok(r.target!.distribution !== null);
  });

  it('orders findings by severity, then check, then column', () => {
    const x = normal();
    const r = profile(
      [
        numericColumn('const', new Array(N).fill(1)),
        numericColumn(
          'copy',
          x.map((v) => (v > 0 ? 1 : 0)),
        ),
        numericColumn(
          'gaps',
          x.map((v, i) => (i % 8 === 0 ? null : v)),
        ),
        booleanColumn(
          'y',
          x.map((v) => v > 0),
        ),
      ],
      { target: 'y' },
    );
    const sev = r.findings.map((f) => f.severity);
    assert.deepEqual(
      sev,
      [...sev].sort(
        (a, b) => ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b),
      ),
    );
    assert.equal(r.findings[0].check, 'leakage-suspect');
    assert.equal(r.counts.critical + r.counts.warning + r.counts.info, r.findings.length);
    assert.equal(new Set(r.findings.map((f) => f.id)).size, r.findings.length, 'ids are unique');
  });
});

describe('profileTable options and shape', () => {
  const t = new Table([
    numericColumn('age', normal()),
    categoricalColumn(
      'churned',
      Array.from({ length: N }, () => (rng.random() < 0.3 ? 'yes' : 'no')),
    ),
    datetimeColumn(
      'signup',
      Array.from({ length: N }, (_, i) => Date.UTC(2023, 0, 1) + i * 86_400_000),
    ),
  ]);

  it('an unknown target is a DataError naming it, with a did-you-mean', () => {
    assert.throws(
      () => profileTable(t, { target: 'churn' }),
      (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(e.message, /no column named 'churn'.*did you mean 'churned'/);
        return true;
      },
    );
  });

  it('rejects a bad sample, seed, task or threshold, naming the field', () => {
    assert.throws(() => profileTable(t, { sample: 1 }), /sample must be an integer ≥ 2/);
    assert.throws(() => profileTable(t, { seed: -1 }), ValidationError);
    assert.throws(() => profileTable(t, { task: 'regression' }), /task was given without a target/);
    assert.throws(() => profileTable(t, { target: 'churned', task: 'regression' }), /needs a numeric target/);
    assert.throws(
      () => profileTable(t, { thresholds: { leakag: 0.9 } as never }),
      /unknown threshold 'leakag'.*did you mean 'leakage'/,
    );
    assert.throws(() => profileTable(t, { thresholds: { leakage: -1 } }), /finite number ≥ 0/);
  });

  it('is deterministic and JSON-safe (no NaN or undefined in the JSON form)', () => {
    const a = JSON.stringify(profileTable(t, { target: 'churned' }));
    const b = JSON.stringify(profileTable(t, { target: 'churned' }));
    assert.equal(a, b);
    const back = JSON.parse(a);
    assert.equal(back.version, 1);
    assert.deepEqual(Object.keys(back), [
      'version',
      'source',
      'table',
      'columns',
      'findings',
      'counts',
      'correlations',
      'target',
      'thresholds',
    ]);
  });

  it('gives a column spanning more than the largest double finite histogram edges and right counts', () => {
    const r = profileTable(new Table([numericColumn('x', [-1e308, 0, 1e308])]));
    const h = r.columns[0].histogram!;
    assert.ok(
      h.edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > h.edges[i - 1])),
      String(h.edges),
    );
    assert.equal(h.edges[0], -1e308);
    assert.equal(h.edges[h.edges.length - 1], 1e308);
    assert.deepEqual(h.counts, [1, 1, 1]);
  });

  it('summarises datetimes as ISO strings with a histogram in epoch ms', () => {
    const r = profileTable(t);
    const c = r.columns[2];
    assert.equal(c.storage, 'datetime');
    assert.deepEqual(c.datetime, {
      min: '2023-01-01T00:00:00.000Z',
      max: '2024-05-14T00:00:00.000Z',
      spanDays: 499,
    });
    assert.equal(
      c.histogram!.counts.reduce((s, x) => s + x, 0),
      N,
    );
    assert.equal(c.histogram!.edges[0], Date.UTC(2023, 0, 1));
  });

  it('samples rows for correlations and associations only when the table is larger than `sample`', () => {
    const full = profileTable(t, { target: 'churned' });
    assert.equal(full.correlations.sampled, false);
    const part = profileTable(t, { target: 'churned', sample: 200 });
    assert.equal(part.correlations.sampled, true);
    assert.equal(part.correlations.rows, 200);
    assert.equal(part.target!.rows, 200);
    assert.deepEqual(part.columns, full.columns, 'column statistics always use every row');
  });

  it('a schema overrides the inferred semantic type', () => {
    const r = profileTable(t, {
      schema: { version: 1, columns: [{ name: 'age', type: 'id', storage: 'numeric', nullable: false }] },
    });
    assert.equal(r.columns[0].type, 'id');
    assert.equal(r.table.types.id, 1);
    assert.ok(r.correlations.excluded.some((e) => e.column === 'age' && e.reason === 'ID-like'));
  });

  it('reports rows rejected while reading when given the source', () => {
    const r = profileTable(t, {
      source: {
        path: 'data.csv',
        format: 'csv',
        bytes: 100,
        rowsRead: 510,
        accepted: 500,
        rejected: 10,
        rejectsPath: 'data.csv.rejects.csv',
      },
    });
    const f = only(r, 'rejected-rows');
    assert.equal(f.severity, 'warning');
    assert.match(f.evidence, /10 of 510 rows .* data\.csv\.rejects\.csv/);
    assert.equal(r.source!.accepted, 500);
  });

  it('handles an empty table', () => {
    const r = profileTable(new Table([numericColumn('x', []), categoricalColumn('c', [])]));
    assert.equal(r.table.rows, 0);
    assert.deepEqual(r.findings, []);
    assert.equal(r.columns[0].count, 0);
  });
});
