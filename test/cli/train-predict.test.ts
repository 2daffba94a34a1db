import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN, NODE_FLAGS, ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-train-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const customers = join(ROOT, 'examples/customers.csv');

describe('lathe train / predict', () => {
  let trained: Record<string, unknown>;

  it('trains, writes a package, records a run, registers, and prints JSON', async () => {
    const r = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--out',
        'm1',
        '--register',
        'churn',
        '--alias',
        'champion',
        '--json',
      ],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    trained = JSON.parse(r.stdout);
    const model = trained.model as Record<string, unknown>;
    assert.equal(model.family, 'logistic');
    assert.equal(model.task, 'binary');
    assert.deepEqual(model.classes, ['no', 'yes']);
    assert.equal(trained.metricsOn, 'holdout');
    assert.ok((trained.metrics as Record<string, number>).rocAuc > 0.7);
    assert.match(trained.runId as string, /^[0-9a-f]{32}$/);
    assert.deepEqual(trained.registered, { name: 'churn', version: 1, alias: 'champion' });
    const rows = trained.rows as Record<string, number>;
    assert.equal(rows.train + rows.holdout + rows.missingTarget, rows.total);
  });

  it('predicts from the package path and from the registry alias, identically, rows in input order', async () => {
    const a = await runCli(['predict', 'm1', customers, '--proba', '--keep', 'customer_id'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const b = await runCli(['predict', 'churn@champion', customers, '--proba', '--keep', 'customer_id'], {
      cwd: dir,
    });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.stdout, b.stdout);
    const lines = a.stdout.trim().split('\n');
    assert.equal(lines[0], 'customer_id,prediction,proba_no,proba_yes');
    assert.equal(lines.length, 2001);
    const ids = readFileSync(customers, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      ids,
    );
    for (const l of lines.slice(1, 50)) {
      const [, , p0, p1] = l.split(',');
      assert.ok(Math.abs(Number(p0) + Number(p1) - 1) < 1e-9);
    }
    assert.match(a.stderr, /ignoring columns the model does not use: churned/);
  });

  it('refuses --keep of an output column name up front; an input column of that name is just not copied', async () => {
    const rows = readFileSync(customers, 'utf8').trim().split('\n').slice(0, 11);
    const named = join(dir, 'named.csv');
    writeFileSync(
      named,
      `${[`prediction,proba_yes,${rows[0]}`, ...rows.slice(1).map((l) => `x,0.5,${l}`)].join('\n')}\n`,
    );
    for (const [keep, re] of [
      [
        ['prediction'],
        /--keep prediction: the output already has a column of that name \('prediction', the model's prediction\).*Leave it out of --keep/,
      ],
      [['customer_id', 'proba_yes'], /--keep proba_yes: .*'proba_yes', a class probability/],
    ] as const) {
      const r = await runCli(['predict', 'm1', named, '--proba', '--keep', ...keep], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /two columns are named/);
    }
    // Not kept: no clash (the model does not read them either).
    const ok = await runCli(['predict', 'm1', named, '--proba', '--keep', 'customer_id'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], 'customer_id,prediction,proba_no,proba_yes');
    // Without --proba, proba_yes is an ordinary column to keep.
    const kp = await runCli(['predict', 'm1', named, '--keep', 'proba_yes'], { cwd: dir });
    assert.equal(kp.code, 0, kp.stderr);
    assert.equal(kp.stdout.split('\n')[0], 'proba_yes,prediction');
  });

  it('does not require the columns training dropped (the id), and still accepts and keeps them', async () => {
    // customers.csv without customer_id, which training noted as "dropped (id-like)".
    const rows = readFileSync(customers, 'utf8').trim().split('\n');
    const noId = join(dir, 'noid.csv');
    writeFileSync(noId, `${rows.map((l) => l.slice(l.indexOf(',') + 1)).join('\n')}\n`);
    const a = await runCli(['predict', 'm1', noId, '--proba'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const full = await runCli(['predict', 'm1', customers, '--proba', '--keep', 'customer_id'], { cwd: dir });
    assert.equal(full.code, 0, full.stderr);
    const strip = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => l.slice(l.indexOf(',') + 1));
    assert.deepEqual(a.stdout.trim().split('\n'), strip(full.stdout));
    // Present but unused: ignored, and named as such.
    const b = await runCli(['predict', 'm1', customers], { cwd: dir });
    assert.match(b.stderr, /ignoring columns the model does not use: customer_id, churned/);
    const e = await runCli(['evaluate', 'm1', noId, '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(e.code, 0, e.stderr);
    assert.equal(JSON.parse(e.stdout).rows.evaluated, 2000);
    // A column the model reads is still required, by name.
    const noAge = join(dir, 'noage.csv');
    writeFileSync(
      noAge,
      `${rows
        .map((l) =>
          l
            .split(',')
            .filter((_, j) => j !== 2)
            .join(','),
        )
        .join('\n')}\n`,
    );
    for (const cmd of ['predict', 'evaluate']) {
      const r = await runCli([cmd, 'm1', noAge], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /noage\.csv, column 'age': no column named 'age'/);
    }
  });

  it('train names the file line of an infinite feature value, and quarantines its row', async () => {
    const rows = readFileSync(customers, 'utf8').trim().split('\n');
    const f = rows[10].split(','); // file line 11
    f[5] = 'inf'; // monthly_charges
    rows[10] = f.join(',');
    const data = join(dir, 'cust_inf.csv');
    writeFileSync(data, `${rows.join('\n')}\n`);
    for (const model of ['logistic', 'gbdt']) {
      const e = await runCli(['train', data, '--target', 'churned', '--model', model, '--no-track'], {
        cwd: dir,
      });
      assert.equal(e.code, 2, e.stderr);
      assert.match(
        e.stderr,
        /cust_inf\.csv, line 11, column 'monthly_charges': the value inf is infinite; .*--on-bad-rows quarantine/,
      );
    }
    const q = await runCli(
      [
        'train',
        data,
        '--target',
        'churned',
        '--model',
        'gbdt',
        '--no-track',
        '--out',
        'mq',
        '--on-bad-rows',
        'quarantine',
        '--json',
      ],
      { cwd: dir },
    );
    assert.equal(q.code, 0, q.stderr);
    assert.equal(JSON.parse(q.stdout).rows.rejected, 1);
    assert.match(
      readFileSync(`${data}.rejects.csv`, 'utf8'),
      /^line,reason,raw\n11,"?column 'monthly_charges': the value inf is infinite/,
    );
  });

  it('names the file line of a value the model cannot take, whatever the batch, and quarantines it', async () => {
    const rows = readFileSync(customers, 'utf8').trim().split('\n').slice(0, 21);
    const f = rows[16].split(','); // file line 17
    f[5] = 'inf'; // monthly_charges
    rows[16] = f.join(',');
    const d = rows[3].split(','); // file line 4
    d[1] = '2023-13-45'; // signup_date
    rows[3] = d.join(',');
    const inf = join(dir, 'late_inf.csv');
    writeFileSync(inf, `${[rows[0], ...rows.slice(4)].join('\n')}\n`); // the inf is on line 14 now
    const e = await runCli(['predict', 'm1', inf, '--batch-size', '5'], { cwd: dir });
    assert.equal(e.code, 2, e.stderr);
    assert.match(
      e.stderr,
      /late_inf\.csv, line 14, column 'monthly_charges': an infinite value \(Infinity\), which the model cannot take\. Fix: replace it with a finite number, or leave the field empty/,
    );
    assert.doesNotMatch(e.stderr, /lathe train|at row 0/);
    const q = await runCli(['predict', 'm1', inf, '--batch-size', '5', '--on-bad-rows', 'quarantine'], {
      cwd: dir,
    });
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stdout.trim().split('\n').length, 1 + 16);
    assert.match(q.stderr, /1 of 17 rows were rejected and not scored/);
    const rejects = readFileSync(`${inf}.rejects.csv`, 'utf8');
    assert.match(rejects, /^line,reason,raw\n14,"column 'monthly_charges': an infinite value/);
    // The row as the file holds it (inf, the numbers as written), not its parsed values rebuilt.
    assert.ok(rejects.trimEnd().endsWith(`,"${rows[16]}"`), rejects);

    const date = join(dir, 'baddate.csv');
    writeFileSync(date, `${rows.slice(0, 8).join('\n')}\n`);
    const b = await runCli(['predict', 'm1', date], { cwd: dir });
    assert.equal(b.code, 2, b.stderr);
    assert.match(b.stderr, /baddate\.csv, line 4, column 'signup_date': "2023-13-45" is not a date/);
    assert.doesNotMatch(b.stderr, /in the schema/);
    const bq = await runCli(['predict', 'm1', date, '--on-bad-rows', 'quarantine'], { cwd: dir });
    assert.equal(bq.code, 0, bq.stderr);
    assert.equal(bq.stdout.trim().split('\n').length, 1 + 6);
    assert.match(readFileSync(`${date}.rejects.csv`, 'utf8'), /\n4,"column 'signup_date'/);
  });

  it('evaluates with bootstrap intervals that bracket the point estimate', async () => {
    const r = await runCli(['evaluate', 'churn@champion', customers, '--resamples', '200', '--json'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.target, 'churned');
    assert.equal(j.rows.evaluated, 2000);
    const keys = j.metrics.map((m: { key: string }) => m.key);
    assert.deepEqual(keys, [
      'accuracy',
      'balancedAccuracy',
      'precision',
      'recall',
      'f1',
      'rocAuc',
      'averagePrecision',
      'logLoss',
      'brier',
      'mcc',
    ]);
    for (const m of j.metrics) {
      assert.ok(m.lower <= m.value && m.value <= m.upper, `${m.key}: ${m.lower} ≤ ${m.value} ≤ ${m.upper}`);
      assert.ok(m.upper - m.lower < 0.2, `${m.key} interval is plausible`);
    }
    assert.deepEqual(j.confusion.labels, ['no', 'yes']);
    const total = j.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0);
    assert.equal(total, 2000);
    // Relative paths come back absolute in --json (docs/cli-json.md); modelRef is as given.
    writeFileSync(join(dir, 'c.csv'), readFileSync(customers));
    const rel = await runCli(['evaluate', 'm1', 'c.csv', '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(rel.code, 0, rel.stderr);
    const rj = JSON.parse(rel.stdout);
    assert.equal(rj.model, join(dir, 'm1'));
    assert.equal(rj.modelRef, 'm1');
    assert.equal(rj.data, join(dir, 'c.csv'));
    assert.equal(j.modelRef, 'churn@champion');
    assert.ok(isAbsolute(j.model), j.model);
    const text = await runCli(['evaluate', 'm1', customers, '--resamples', '0'], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /ROC AUC/);
    assert.match(text.stdout, /Confusion matrix/);
  });

  it('writes other formats with -o and reports them with --json', async () => {
    const r = await runCli(['predict', 'm1', customers, '-o', 'out.parquet', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.output, join(dir, 'out.parquet'), 'absolute (docs/cli-json.md)');
    assert.equal(j.format, 'parquet');
    assert.equal(j.rows, 2000);
  });

  it('refuses an output that is an input (same file, ./ variant, symlink), before any work, and leaves the input intact', async () => {
    const same = join(dir, 'same.csv');
    const text = readFileSync(customers, 'utf8').split('\n').slice(0, 11).join('\n');
    writeFileSync(same, text);
    symlinkSync(same, join(dir, 'same-link.csv'));
    for (const out of ['same.csv', './same.csv', join(dir, 'same.csv'), 'same-link.csv']) {
      const r = await runCli(['predict', 'm1', 'same.csv', '-o', out], { cwd: dir });
      assert.equal(r.code, 2, `${out}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /-o .* is the same file as the data file same\.csv.*Fix: choose another path for -o/,
      );
      assert.equal(readFileSync(same, 'utf8'), text, `${out}: the input is untouched`);
    }
    const inPkg = await runCli(['predict', 'm1', 'same.csv', '-o', 'm1/manifest.json'], { cwd: dir });
    assert.equal(inPkg.code, 2, inPkg.stderr);
    assert.match(inPkg.stderr, /is inside the model m1/);
    // train: a package directory that would be replaced must not hold the data; checked before fitting.
    const t = await runCli(
      ['train', 'same.csv', '--target', 'churned', '--model', 'tree', '--out', '.', '--no-track'],
      {
        cwd: dir,
      },
    );
    assert.equal(t.code, 2, t.stderr);
    assert.match(t.stderr, /--out \. holds the data file same\.csv/);
    assert.equal(readFileSync(same, 'utf8'), text);
  });

  it('Ctrl-C while -o is being written removes the temporary file and exits 130', async () => {
    const lines = readFileSync(customers, 'utf8').trim().split('\n');
    const body = `${lines.slice(1).join('\n')}\n`;
    writeFileSync(join(dir, 'big.csv'), `${lines[0]}\n${body.repeat(100)}`); // 200,000 rows
    const child = spawn(
      process.execPath,
      [...NODE_FLAGS, BIN, 'predict', 'm1', 'big.csv', '--proba', '--keep', 'customer_id', '-o', 'k.csv'],
      {
        cwd: dir,
        stdio: 'ignore',
      },
    );
    const temps = () => readdirSync(dir).filter((f) => f.startsWith('.k.csv.') && f.endsWith('.tmp'));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let sawTemp = false;
    const poll = setInterval(() => {
      if (!sawTemp && temps().length) {
        sawTemp = true;
        child.kill('SIGINT');
      }
    }, 2);
    const code = await exited;
    clearInterval(poll);
    assert.ok(sawTemp, 'the temporary file was seen while writing');
    assert.equal(code, 130);
    assert.deepEqual(temps(), [], 'no temporary file is left');
    assert.ok(!existsSync(join(dir, 'k.csv')), 'no output under the final name');
  });

  it('predictions keep the target type in JSON: 0/1 stay numbers, booleans stay booleans', async () => {
    const text = readFileSync(customers, 'utf8').replace(/,yes$/gm, ',1').replace(/,no$/gm, ',0');
    writeFileSync(join(dir, 'c01.csv'), text);
    for (const [data, target, want] of [
      ['c01.csv', 'churned', [0, 1]],
      [customers, 'paperless_billing', [false, true]],
    ] as const) {
      const out = `p-${target}`;
      const t = await runCli(
        [
          'train',
          data,
          '--target',
          target,
          '--model',
          'gbdt',
          '--params',
          '{"maxIter":5}',
          '--out',
          out,
          '--no-track',
          '--quiet',
        ],
        { cwd: dir },
      );
      assert.equal(t.code, 0, t.stderr);
      const p = await runCli(['predict', out, data, '-o', `${out}.json`, '--quiet'], { cwd: dir });
      assert.equal(p.code, 0, p.stderr);
      const rows = JSON.parse(readFileSync(join(dir, `${out}.json`), 'utf8')) as { prediction: unknown }[];
      assert.equal(rows.length, 2000);
      for (const r of rows)
        assert.ok((want as readonly unknown[]).includes(r.prediction), `${target}: ${JSON.stringify(r)}`);
    }
  });

  it('refuses to overwrite an explicit --out without --force, and replaces with it', async () => {
    const r = await runCli(['train', customers, '--target', 'churned', '--model', 'tree', '--out', 'm1'], {
      cwd: dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already holds a model package.*--force/s);
    const f = await runCli(
      ['train', customers, '--target', 'churned', '--model', 'tree', '--out', 'm1', '--force', '--quiet'],
      { cwd: dir },
    );
    assert.equal(f.code, 0, f.stderr);
  });

  it('exits 2 with a clear message for bad requests', async () => {
    const trainTreeTo = (out: string) => [
      ...['train', customers, '--target', 'churned', '--model', 'tree'],
      ...['--out', out, '--no-track'],
    ];
    const notADatabase = join(dir, 'not-a-db.db');
    writeFileSync(notADatabase, 'hello');
    const cases: [string[], RegExp][] = [
      [
        ['train', customers, '--target', 'churnd', '--model', 'gbdt'],
        /no column named 'churnd'.*did you mean 'churned'/s,
      ],
      [['train', customers, '--target', 'churned', '--model', 'gbtd'], /--model must be one of/],
      [['train', customers, '--target', 'churned', '--model', 'linear'], /does not do binary/],
      [
        ['train', customers, '--target', 'churned', '--model', 'gbdt', '--params', '{"maxIter":-1}'],
        /maxIter/,
      ],
      [['train', customers, '--target', 'churned', '--model', 'gbdt', '--params', '{bad'], /not valid JSON/],
      [['train', join(dir, 'nope.csv'), '--target', 'churned', '--model', 'gbdt'], /nope\.csv/],
      // A wrong --store is said before any work (the data, here missing, is not even read).
      [
        ['train', join(dir, 'nope.csv'), '--target', 'churned', '--model', 'gbdt', '--store', notADatabase],
        /not-a-db\.db: the tracking store is not a readable SQLite database/,
      ],
      [['predict', 'm1', join(ROOT, 'examples/housing.csv')], /the model needs \d+ columns the data lacks/],
      [['predict', 'nosuch@champion', customers], /nosuch/],
      // The -o extension is checked before any work: before the (missing) model and data are looked at.
      [
        ['predict', 'nosuch@champion', join(dir, 'nope.csv'), '-o', 'out.xlsx'],
        /^error: -o out\.xlsx: Lathe cannot write \.xlsx files\. Use one of \.csv, \.tsv, \.json, \.ndjson, \.jsonl, \.parquet/,
      ],
      [['predict', 'm1', customers, '-o', 'out'], /-o out: the file name has no extension/],
      [
        ['evaluate', 'm1', customers, '--target', 'plann'],
        /customers\.csv, column 'plann': no column named 'plann'.*did you mean 'plan'/,
      ],
      // Outputs under a link to nothing or under /proc: Node's recursive mkdir spun there forever.
      [
        trainTreeTo('gone-link/model'),
        /gone-link\/model: cannot write the model package: EEXIST: .*gone-link': .*symbolic link to a missing target/,
      ],
      [
        ['predict', 'm1', customers, '-o', 'gone-link/out.csv'],
        /gone-link': .*symbolic link to a missing target/,
      ],
      [
        trainTreeTo('/proc/lathe-x/model'),
        /\/proc\/lathe-x\/model: cannot write the model package: ENOENT: .*exists but cannot hold folders/,
      ],
    ];
    symlinkSync(join(dir, 'gone'), join(dir, 'gone-link'));
    for (const [args, re] of cases) {
      const r = await runCli(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});

describe('lathe train: a bad --register or --alias name, or --alias alone', () => {
  it('is refused before any fit, leaving --out and the store untouched', async () => {
    // The names used to be checked only when registering: after the fit, with the package written
    // (replacing one with --force) and a failed run recorded.
    const store = join(dir, 'bad-names.db');
    for (const [flags, re] of [
      [['--register', 'churn model'], /Model name "churn model" is refused/],
      [['--register', 'churn', '--alias', '1st'], /Alias "1st" is not a valid alias name/],
      // --alias without --register used to be ignored: exit 0, no alias, registered null.
      [
        ['--alias', 'champion'],
        /--alias champion points an alias at the registered version: it needs --register\. Fix: pass --register NAME/,
      ],
    ] as const) {
      const out = join(dir, 'bad-name-model');
      const args = ['train', customers, '--target', 'churned', '--model', 'gbdt', '--out', out];
      const r = await runCli([...args, ...flags, '--store', store]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!existsSync(out), 'no package written');
      assert.ok(!existsSync(store), 'no run recorded');
    }
  });
});

describe('lathe train --cv / predict / evaluate on a regression (gbdt, housing)', () => {
  const housing = join(ROOT, 'examples/housing.csv');

  it('cross-validates on the training rows, then predicts and evaluates with the package', async () => {
    const t = await runCli(
      [
        'train',
        housing,
        '--target',
        'price',
        '--model',
        'gbdt',
        '--params',
        '{"maxIter":30}',
        '--cv',
        '3',
        '--out',
        'gb',
        '--no-track',
        '--json',
      ],
      { cwd: dir },
    );
    assert.equal(t.code, 0, t.stderr);
    const trained = JSON.parse(t.stdout);
    assert.equal(trained.model.family, 'gbdt');
    assert.equal(trained.model.task, 'regression');
    assert.equal(trained.cv.folds, 3);
    for (const [key, m] of Object.entries(trained.cv.metrics) as [
      string,
      { mean: number; std: number; scores: number[] },
    ][]) {
      assert.equal(m.scores.length, 3, key);
      const mean = m.scores.reduce((a, b) => a + b, 0) / 3;
      assert.ok(Math.abs(mean - m.mean) <= 1e-12 * Math.max(1, Math.abs(mean)), `${key} mean of its folds`);
    }
    assert.ok(trained.cv.metrics.r2.mean > 0.5, `cv R² ${trained.cv.metrics.r2.mean}`);
    assert.ok(trained.metrics.r2 > 0.5, `holdout R² ${trained.metrics.r2}`);

    const p = await runCli(['predict', 'gb', housing], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    const lines = p.stdout.trim().split('\n');
    assert.equal(lines[0], 'prediction');
    const nRows = readFileSync(housing, 'utf8').trim().split('\n').length - 1;
    assert.equal(lines.length - 1, nRows);
    assert.ok(lines.slice(1).every((l) => Number.isFinite(Number(l))));

    // --proba on a model without class probabilities is bad usage, not silently ignored.
    const proba = await runCli(['predict', 'gb', housing, '--proba'], { cwd: dir });
    assert.equal(proba.code, 2, proba.stderr);
    assert.match(proba.stderr, /^error: --proba: gb is a regression model, which has no class probabilities/);
    assert.equal(proba.stdout, '');
    const km = await runCli(['train', housing, '--model', 'kmeans', '--out', 'km', '--no-track', '--quiet'], {
      cwd: dir,
    });
    assert.equal(km.code, 0, km.stderr);
    const kmProba = await runCli(['predict', 'km', housing, '--proba', '-o', 'km.csv'], { cwd: dir });
    assert.equal(kmProba.code, 2, kmProba.stderr);
    assert.match(
      kmProba.stderr,
      /km is a clustering model, which has no class probabilities.*cluster indices/,
    );
    assert.ok(!existsSync(join(dir, 'km.csv')));
    const kmOnnx = await runCli(['export', 'km', '-o', 'km.onnx'], { cwd: dir });
    assert.equal(kmOnnx.code, 2, kmOnnx.stderr);
    assert.match(
      kmOnnx.stderr,
      /^error: km cannot be exported to ONNX: it is a kmeans model \(KMeans\); the model families lathe export converts are linear, .*gbdt\. Fix: /,
    );
    assert.doesNotMatch(kmOnnx.stderr, /exportOnnx|clusterer/);

    const e = await runCli(['evaluate', 'gb', housing, '--resamples', '100', '--json'], { cwd: dir });
    assert.equal(e.code, 0, e.stderr);
    const ev = JSON.parse(e.stdout);
    assert.equal(ev.target, 'price');
    assert.equal(ev.rows.evaluated, nRows);
    const keys = ev.metrics.map((m: { key: string }) => m.key);
    for (const k of ['mae', 'rmse', 'r2']) assert.ok(keys.includes(k), `${k} in ${keys}`);
    for (const m of ev.metrics) assert.ok(m.lower <= m.value && m.value <= m.upper, m.key);
    assert.deepEqual([ev.rows.total, ev.rows.rejected, ev.rejectsPath], [nRows, 0, null]);
  });

  it('evaluate reads and sets aside bad rows as predict does: file and line, one rejects file, counted', async () => {
    // Uses the package 'km' (k-means) of the test above; ridge refuses infinite values (gbdt bins them).
    const rg = await runCli(
      ['train', housing, '--target', 'price', '--model', 'ridge', '--out', 'rg', '--no-track', '--quiet'],
      {
        cwd: dir,
      },
    );
    assert.equal(rg.code, 0, rg.stderr);
    const rows = readFileSync(housing, 'utf8').trim().split('\n').slice(0, 31);
    const inf = rows[6].split(','); // file line 7
    inf[0] = 'inf'; // sqft
    rows[6] = inf.join(',');
    const infOnly = join(dir, 'h_inf.csv');
    writeFileSync(infOnly, `${rows.join('\n')}\n`);
    const e = await runCli(['evaluate', 'rg', infOnly, '--resamples', '0'], { cwd: dir });
    assert.equal(e.code, 2, e.stderr);
    assert.match(e.stderr, /h_inf\.csv, line 7, column 'sqft': an infinite value \(Infinity\)/);
    assert.doesNotMatch(e.stderr, /row 6/);

    const date = rows[4].split(','); // file line 5
    date[8] = '2024-13-45'; // sold_date
    rows[4] = date.join(',');
    const both = join(dir, 'h_bad.csv');
    writeFileSync(both, `${rows.join('\n')}\n`);
    const b = await runCli(['evaluate', 'rg', both, '--resamples', '0'], { cwd: dir });
    assert.equal(b.code, 2, b.stderr);
    assert.match(b.stderr, /h_bad\.csv, line 5, column 'sold_date': "2024-13-45" is not a date/);
    assert.doesNotMatch(b.stderr, /row 4|change the column's type/);

    const q = await runCli(
      ['evaluate', 'rg', both, '--resamples', '0', '--on-bad-rows', 'quarantine', '--json'],
      {
        cwd: dir,
      },
    );
    assert.equal(q.code, 0, q.stderr);
    const j = JSON.parse(q.stdout);
    assert.deepEqual(j.rows, { total: 30, evaluated: 28, missingTarget: 0, rejected: 2 });
    assert.equal(j.rejectsPath, join(dir, 'h_bad.csv.rejects.csv'));
    assert.match(q.stderr, /2 of 30 rows were rejected and not evaluated/);
    assert.match(
      readFileSync(j.rejectsPath, 'utf8'),
      /^line,reason,raw\n5,"column 'sold_date': .*\n7,"column 'sqft': an infinite value/,
    );
    const text = await runCli(['evaluate', 'rg', both, '--resamples', '0', '--on-bad-rows', 'quarantine'], {
      cwd: dir,
    });
    assert.match(text.stdout, /: 28 rows; 2 rejected \(see .*h_bad\.csv\.rejects\.csv\)/);

    // A target column with no values at all: said so, not 'categorical'.
    const empty = join(dir, 'h_allnull.csv');
    const lines = readFileSync(housing, 'utf8').trim().split('\n').slice(0, 21);
    writeFileSync(
      empty,
      `${[lines[0], ...lines.slice(1).map((l) => l.replace(/,[^,]*$/, ','))].join('\n')}\n`,
    );
    const n = await runCli(['evaluate', 'rg', empty, '--resamples', '0'], { cwd: dir });
    assert.equal(n.code, 2, n.stderr);
    assert.match(
      n.stderr,
      /The target column 'price' in .*h_allnull\.csv has no values: it is empty on all 20 rows.*Fix: fill in 'price'/,
    );
    assert.doesNotMatch(n.stderr, /categorical/);

    // A clustering model: refused with a fix.
    const km = await runCli(['evaluate', 'km', housing, '--target', 'price'], { cwd: dir });
    assert.equal(km.code, 2, km.stderr);
    assert.match(
      km.stderr,
      /km is a clustering model.*Fix: to see its clusters, score the data with lathe predict km/,
    );
  });
});

describe('lathe train / predict with a DBSCAN model (no predict, as in scikit-learn)', () => {
  const wine = join(ROOT, 'examples/wine.csv');

  it('suggests no predict or export, and predict refuses in CLI terms', async () => {
    const t = await runCli(['train', wine, '--model', 'dbscan', '--out', 'db', '--no-track'], { cwd: dir });
    assert.equal(t.code, 0, t.stderr);
    assert.doesNotMatch(t.stdout, /lathe predict/);
    assert.doesNotMatch(t.stdout, /lathe export/);
    assert.match(t.stdout, /--model kmeans/);
    const p = await runCli(['predict', 'db', wine], { cwd: dir });
    assert.equal(p.code, 2, p.stderr);
    assert.match(
      p.stderr,
      /^error: model db is a DBSCAN clustering: DBSCAN labels only the rows it was trained on \(.*wine\.csv\).*Fix: to label new rows, train a model that can: lathe train <data> --model kmeans\.\n$/s,
    );
    assert.doesNotMatch(p.stderr, /Pipeline|predict\(\)/);
  });
});

describe('lathe train --cv: errors and warnings in --cv terms', () => {
  const small = join(dir, 'c20.csv');
  writeFileSync(small, `${readFileSync(customers, 'utf8').split('\n').slice(0, 21).join('\n')}\n`);
  const train = (...extra: string[]) =>
    runCli(
      [
        'train',
        small,
        '--target',
        'churned',
        '--model',
        'gbdt',
        '--no-track',
        '--out',
        'cv',
        '--force',
        ...extra,
      ],
      {
        cwd: dir,
        env: { LATHE_QUIET_WARNINGS: '0' },
      },
    );

  it('more folds than training rows names the training rows and the holdout', async () => {
    const r = await train('--cv', '50');
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      'error: --cv 50 asks for more folds than the 16 training rows (20 rows with a target less the 4-row holdout). Fix: use --cv 5 (at most --cv 16).\n',
    );
  });

  it('an unsupervised family is refused with --cv, before any work (it used to be ignored: cv null)', async () => {
    const wine = join(ROOT, 'examples/wine.csv');
    for (const model of ['kmeans', 'dbscan', 'pca']) {
      const out = join(dir, `cv-${model}`);
      const r = await runCli([
        'train',
        wine,
        '--model',
        model,
        '--cv',
        '3',
        '--no-track',
        '--out',
        out,
        '--json',
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        `error: --cv cross-validates a model against its target, but '${model}' is unsupervised and takes none. Fix: drop --cv.\n`,
      );
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(out));
    }
  });

  it('a class rarer than the folds is a warning about --cv, silenced by --quiet', async () => {
    const r = await train('--cv', '10');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning \(UserWarning\): --cv 10: the class 'yes' has only 4 of the 16 training rows/,
    );
    assert.doesNotMatch(r.stderr, /nSplits|StratifiedKFold/);
    const q = await train('--cv', '10', '--quiet');
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, '');
  });
});

describe('lathe train: a fit that fails is recorded as a failed run', () => {
  it('keeps what it was asked to do and why it failed; lathe reproduce refuses the run', async () => {
    const d = mkdtempSync(join(dir, 'failed-'));
    writeFileSync(join(d, 'one.csv'), 'a,b,y\n1,2,yes\n2,3,yes\n3,1,yes\n4,5,yes\n');
    const t = await runCli(['train', 'one.csv', '--target', 'y', '--model', 'logistic', '--seed', '7'], {
      cwd: d,
    });
    assert.equal(t.code, 2, t.stderr);
    assert.match(t.stderr, /single value/);
    const list = await runCli(['runs', 'list', '--json'], { cwd: d });
    assert.equal(list.code, 0, list.stderr);
    const runs = JSON.parse(list.stdout).runs as Array<Record<string, unknown>>;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].name, 'train logistic');
    assert.equal(runs[0].status, 'failed');
    assert.match(runs[0].failure as string, /single value/);
    const show = await runCli(['runs', 'show', runs[0].id as string, '--json'], { cwd: d });
    const params = (JSON.parse(show.stdout) as { params: Record<string, unknown> }).params;
    assert.equal(params.data, 'one.csv');
    assert.equal(params.family, 'logistic');
    assert.equal(params.seed, 7);
    assert.equal(params.task, undefined, 'the task was never detected');
    const again = await runCli(['reproduce', runs[0].id as string], { cwd: d });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /failed/);
  });
});

describe('lathe train: a regression-only family on a numeric target detected as classes', () => {
  const housing = join(ROOT, 'examples/housing.csv');
  it('says why the task is classification and that --task regression learns it as a number', async () => {
    const r = await runCli(
      ['train', housing, '--target', 'bedrooms', '--model', 'linear', '--no-track', '--out', 'beds'],
      { cwd: dir },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: Model family 'linear' does not do multiclass tasks: the target 'bedrooms' in .*housing\.csv is numeric, but its values are \d+ distinct whole numbers, so the task was detected as multiclass\. Fix: to predict 'bedrooms' as a number with linear, add --task regression; to predict it as classes, use --model logistic, /,
    );
    const ok = await runCli(
      [
        'train',
        housing,
        '--target',
        'bedrooms',
        '--model',
        'linear',
        '--task',
        'regression',
        '--no-track',
        '--out',
        'beds',
      ],
      { cwd: dir },
    );
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('a non-numeric target keeps the list of families that do the task', async () => {
    const r = await runCli(
      ['train', customers, '--target', 'churned', '--model', 'linear', '--no-track', '--out', 'churn-lin'],
      { cwd: dir },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /does not do binary tasks\. Fix: for binary use one of logistic/);
    assert.doesNotMatch(r.stderr, /--task regression/);
  });
});

describe('lathe evaluate: intervals that mean something', () => {
  const small = join(dir, 'c40.csv');
  writeFileSync(small, `${readFileSync(customers, 'utf8').split('\n').slice(0, 41).join('\n')}\n`);

  it('refuses fewer than 100 resamples (exit 2, with the fix); 0 still means no intervals', async () => {
    const t = await runCli(
      [
        'train',
        small,
        '--target',
        'churned',
        '--model',
        'tree',
        '--holdout',
        '0',
        '--no-track',
        '--out',
        't40',
      ],
      { cwd: dir },
    );
    assert.equal(t.code, 0, t.stderr);
    const r = await runCli(['evaluate', 't40', small, '--resamples', '1'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^error: --resamples 1 is too few for a bootstrap confidence interval: .* Use --resamples 100 or more \(the default is 1000\), or --resamples 0 for no intervals\.\n$/,
    );
    const none = await runCli(['evaluate', 't40', small, '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(none.code, 0, none.stderr);
    for (const m of JSON.parse(none.stdout).metrics) {
      assert.equal(m.lower, null);
      assert.equal(m.intervalReason, null);
    }
  });

  it('says why a BCa interval is missing (a constant metric), in text and in --json', async () => {
    // A tree scored on its own training rows is right on every resample: accuracy is always 1.
    const args = ['evaluate', 't40', small, '--ci-method', 'bca', '--resamples', '100'];
    const text = await runCli(args, { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^accuracy\s+1\.0000\s+n\/a \(constant across resamples\)$/m);
    const j = JSON.parse((await runCli([...args, '--json'], { cwd: dir })).stdout);
    const acc = j.metrics.find((m: { key: string }) => m.key === 'accuracy');
    assert.deepEqual(
      { value: acc.value, lower: acc.lower, upper: acc.upper, intervalReason: acc.intervalReason },
      { value: 1, lower: null, upper: null, intervalReason: 'constant across resamples' },
    );
    // The percentile interval of a constant metric is that value, and needs no reason.
    const p = JSON.parse(
      (await runCli(['evaluate', 't40', small, '--resamples', '100', '--json'], { cwd: dir })).stdout,
    );
    const pacc = p.metrics.find((m: { key: string }) => m.key === 'accuracy');
    assert.deepEqual([pacc.lower, pacc.upper, pacc.intervalReason], [1, 1, null]);
  });
});

describe('progress: nothing on stderr when it is not a terminal', () => {
  it('train --cv, predict -o and evaluate write no bar (stderr is a pipe here)', async () => {
    const env = { LATHE_QUIET_WARNINGS: '1' };
    const t = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--cv',
        '3',
        '--no-track',
        '--out',
        'pg',
      ],
      { cwd: dir, env },
    );
    assert.equal(t.code, 0, t.stderr);
    assert.equal(t.stderr, '');
    const p = await runCli(['predict', 'pg', customers, '-o', 'pg.csv', '--batch-size', '500'], {
      cwd: dir,
      env,
    });
    assert.equal(p.code, 0, p.stderr);
    assert.ok(
      !p.stderr.includes('\r') && !p.stderr.includes('\x1b[') && !p.stderr.includes('scoring'),
      p.stderr,
    );
    const e = await runCli(['evaluate', 'pg', customers, '--resamples', '100'], { cwd: dir, env });
    assert.equal(e.code, 0, e.stderr);
    assert.equal(e.stderr, '');
  });
});

describe('outputs under a file', () => {
  it('train --out and predict -o under a file: exit 2 before any work, naming the file (no internal error)', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not a folder\n');
    const t = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--no-track',
        '--out',
        'notes.txt/m',
      ],
      { cwd: dir },
    );
    assert.equal(t.code, 2, t.stderr);
    assert.match(t.stderr, /^error: --out notes\.txt\/m: .*notes\.txt is a file, not a folder.*Fix:/);
    assert.doesNotMatch(t.stderr, /internal error|EEXIST|ENOTDIR/);
    const p = await runCli(['predict', 'm1', customers, '-o', 'notes.txt/p.csv'], { cwd: dir });
    assert.equal(p.code, 2, p.stderr);
    assert.match(p.stderr, /^error: -o notes\.txt\/p\.csv: .*is a file, not a folder/m);
    assert.equal(readFileSync(notes, 'utf8'), 'not a folder\n');
  });
});
