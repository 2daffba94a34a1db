// `lathe tune`: the --json shape, the tracked parent and child runs, the model package, and errors.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDuration } from '../../src/cli/common.ts';
import { formatParamValue } from '../../src/cli/tune.ts';
import { openStore } from '../../src/track/open.ts';
import { readModelPackage } from '../../src/track/package/read.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-tune-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'lathe.db');
const wine = join(ROOT, 'examples', 'wine.csv');

describe('lathe tune', () => {
  it('tunes, refits, writes a model package and records a parent run with one child run per trial (--json)', async () => {
    const out = join(dir, 'knn-model');
    const r = await runCli(
      [
        'tune',
        wine,
        '--target',
        'cultivar',
        '--model',
        'knn',
        '--trials',
        '6',
        '--cv',
        '3',
        '--threads',
        '1',
        '--store',
        store,
        '--out',
        out,
        '--json',
        '--seed',
        '2',
      ],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.metric, 'logLoss');
    assert.equal(j.greaterIsBetter, false);
    assert.equal(j.sampler, 'tpe');
    assert.equal(j.cv, 3);
    assert.deepEqual(j.trials, { run: 6, complete: 6, pruned: 0, failed: 0 });
    assert.equal(j.trialTable.length, 6);
    assert.equal(j.trialRunIds.length, 6);
    // The best trial has the lowest CV log loss, reported in metric units (positive).
    const values = j.trialTable.map((t: { value: number }) => t.value);
    assert.equal(j.best.cvScore, Math.min(...values));
    assert.ok(j.best.cvScore > 0);
    assert.deepEqual(Object.keys(j.best.params).sort(), ['nNeighbors', 'p', 'weights']);
    assert.equal(j.holdout.rows, 36);
    assert.equal(j.holdout.score, j.holdout.metrics.logLoss);
    assert.ok(Math.abs(j.gap - (j.holdout.score - j.best.cvScore)) < 1e-12);
    assert.ok(
      j.importance &&
        Math.abs(Object.values(j.importance as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-9,
    );
    const pkg = await readModelPackage(out);
    assert.equal(pkg.lineage?.runId, j.runId);
    const s = await openStore(store);
    try {
      const parent = await s.getRun(j.runId);
      assert.equal(parent.status, 'finished');
      assert.equal(parent.params.sampler, 'tpe');
      assert.ok(parent.artifacts.some((a) => a.name === 'model.lathe'));
      assert.ok(parent.artifacts.some((a) => a.name === 'trials.json'));
      assert.equal(parent.children, 6);
      const children = await s.listRuns({ parentId: j.runId });
      assert.equal(children.length, 6);
      const c0 = await s.getRun(j.trialRunIds[0]);
      assert.equal(c0.parentId, j.runId);
      assert.equal(c0.params.nNeighbors, j.trialTable[0].params.nNeighbors);
      assert.equal(c0.tags.state, 'complete');
    } finally {
      await s.close();
    }
  });

  it('prints a text report, prunes with --pruner, and stops at --time', async () => {
    const r = await runCli(
      [
        'tune',
        wine,
        '--target',
        'cultivar',
        '--model',
        'logistic',
        '--trials',
        '8',
        '--cv',
        '4',
        '--pruner',
        'median',
        '--threads',
        '1',
        '--no-track',
        '--out',
        join(dir, 'lr'),
        '--batch-size',
        '2',
      ],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Tuned logistic \(multiclass of 'cultivar'\) with tpe: 8 trials/);
    assert.match(r.stdout, /Best trial #\d+: CV logLoss/);
    assert.match(r.stdout, /Holdout \(36 rows\): logLoss/);
    assert.match(r.stdout, /Parameter importance \(fANOVA\)/);
    assert.ok(existsSync(join(dir, 'lr')));
    assert.equal((await readModelPackage(join(dir, 'lr'))).task, 'multiclass');
  });

  it('exits 2 with a clear message on bad usage and bad data (no stack trace)', async () => {
    // (The other checks of the job are tested in-process in test/automl/tune.test.ts.)
    const cases: [string[], RegExp][] = [
      [
        ['--target', 'cultivar', '--model', 'gbdt', '--sampler', 'bayes'],
        /--sampler must be one of tpe, random, grid/,
      ],
      [['--target', 'cultivr', '--model', 'knn'], /no column named 'cultivr'.*did you mean 'cultivar'/s],
    ];
    for (const [args, re] of cases) {
      const r = await runCli([
        'tune',
        wine,
        '--trials',
        '2',
        '--no-track',
        '--threads',
        '1',
        '--out',
        join(dir, 'x'),
        ...args,
      ]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    }
  });

  it('prints whole-number parameters in full (maxIter 234, not 234.0), others to 4 significant digits', () => {
    assert.equal(formatParamValue(234), '234');
    assert.equal(formatParamValue(46), '46');
    assert.equal(formatParamValue(1234), '1234');
    assert.equal(formatParamValue(0.013264), '0.01326');
    assert.equal(formatParamValue(0.0000670094), '0.00006701');
    assert.equal(formatParamValue('distance'), 'distance');
    assert.equal(formatParamValue(null), 'null');
  });

  it('says it replaces the model package at --out only when it does: not before a bad --metric stops it', async () => {
    const out = join(dir, 'existing');
    const trained = await runCli([
      'train',
      wine,
      '--target',
      'cultivar',
      '--model',
      'knn',
      '--no-track',
      '--out',
      out,
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const r = await runCli(
      [
        'tune',
        wine,
        '--target',
        'cultivar',
        '--model',
        'knn',
        '--metric',
        'rmse',
        '--no-track',
        '--out',
        out,
        '--force',
      ],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Metric 'rmse' is not a multiclass metric/);
    assert.doesNotMatch(r.stderr, /replacing the model package/);
    assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), before);
  });

  it('parses durations', () => {
    assert.equal(parseDuration('--time', '90'), 90);
    assert.equal(parseDuration('--time', '90s'), 90);
    assert.equal(parseDuration('--time', '5m'), 300);
    assert.equal(parseDuration('--time', '1h'), 3600);
    assert.equal(parseDuration('--time', '1m30s'), 90);
    for (const zero of ['0', '0s', '0m0s'])
      assert.throws(() => parseDuration('--time', zero), /must be longer than zero/);
    assert.throws(() => parseDuration('--time', ''), /must be a duration/);
    assert.throws(() => parseDuration('--time', '5 minutes'), /must be a duration/);
  });
});

describe('lathe tune --cv: errors and warnings in --cv terms (as lathe train --cv)', () => {
  const tune = (...extra: string[]) =>
    runCli(
      [
        'tune',
        wine,
        '--target',
        'cultivar',
        '--model',
        'gaussian-nb',
        '--sampler',
        'random',
        '--trials',
        '1',
        '--threads',
        '1',
        '--no-track',
        '--out',
        join(dir, 'cv-words'),
        '--force',
        ...extra,
      ],
      { env: { LATHE_QUIET_WARNINGS: '0' }, timeoutMs: 120_000 },
    );

  it('more folds than the largest class names --cv, the class and the training rows', async () => {
    const r = await tune('--cv', '100');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: --cv 100 asks for more folds than the largest class has rows: the folds are stratified by class, and 'class_1' has \d+ of the 142 training rows \(178 rows with a target less the 36-row holdout\)\. Fix: use --cv 5 \(at most --cv \d+\)\.\n$/,
    );
    assert.doesNotMatch(r.stderr, /nSplits|StratifiedKFold/);
  });

  it('--on-bad-rows quarantine sets aside an infinite feature value as lathe train does; without it the error names the file and line', async () => {
    // tuneModel used to screen feature values without the policy: quarantine still failed (exit 2),
    // telling the user to pass --on-bad-rows quarantine, and named "row 8" rather than the file's line 9.
    const lines = ['a,b,y'];
    for (let i = 0; i < 80; i++)
      lines.push(`${i === 7 ? 'inf' : (i * 37) % 11},${(i * 13) % 7},${i % 3 ? 'no' : 'yes'}`);
    const data = join(dir, 'inf.csv');
    writeFileSync(data, `${lines.join('\n')}\n`);
    const args = [
      'tune',
      data,
      '--target',
      'y',
      '--model',
      'logistic',
      '--trials',
      '2',
      '--cv',
      '2',
      '--no-track',
    ];
    const bad = await runCli([...args, '--out', join(dir, 'inf-bad')]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /inf\.csv, line 9, column 'a': the value inf is infinite/);
    const r = await runCli([...args, '--on-bad-rows', 'quarantine', '--out', join(dir, 'inf-q'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).rows, {
      total: 80,
      missingTarget: 0,
      search: 63,
      holdout: 16,
      rejected: 1,
    });
    assert.match(readFileSync(`${data}.rejects.csv`, 'utf8'), /^9,column 'a': the value inf is infinite/m);
  });

  it("--json rows.rejected counts the reader's bad rows too, as lathe train's does", async () => {
    // It used to count only the rows set aside for a feature value: a file with a malformed row
    // (in the rejects file, said on stderr) reported rejected: 0.
    const lines = ['a,b,y'];
    for (let i = 0; i < 80; i++) {
      if (i === 3) lines.push('1,2,no,extra');
      else lines.push(`${i === 7 ? 'inf' : (i * 37) % 11},${(i * 13) % 7},${i % 3 ? 'no' : 'yes'}`);
    }
    const data = join(dir, 'bad-rows.csv');
    writeFileSync(data, `${lines.join('\n')}\n`);
    const args = [
      '--target',
      'y',
      '--model',
      'logistic',
      '--on-bad-rows',
      'quarantine',
      '--no-track',
      '--json',
    ];
    const tuned = await runCli([
      'tune',
      data,
      ...args,
      '--trials',
      '2',
      '--cv',
      '2',
      '--out',
      join(dir, 'bad-rows-tuned'),
    ]);
    assert.equal(tuned.code, 0, tuned.stderr);
    const trained = await runCli(['train', data, ...args, '--out', join(dir, 'bad-rows-trained')]);
    assert.equal(trained.code, 0, trained.stderr);
    assert.equal(JSON.parse(trained.stdout).rows.rejected, 2);
    assert.deepEqual(JSON.parse(tuned.stdout).rows, {
      total: 79,
      missingTarget: 0,
      search: 62,
      holdout: 16,
      rejected: 2,
    });
  });

  it('a bad --register or --alias name, or --alias alone, is refused before the search, leaving --out and the store untouched', async () => {
    const badStore = join(dir, 'bad-names.db');
    for (const [flags, re] of [
      [['--register', 'wine/2'], /Model name "wine\/2" is refused/],
      [['--register', 'wine', '--alias', 'x y'], /Alias "x y" is not a valid alias name/],
      // --alias without --register used to be ignored: exit 0, no alias, registered null.
      [
        ['--alias', 'champion'],
        /--alias champion points an alias at the registered version: it needs --register/,
      ],
    ] as const) {
      const out = join(dir, 'bad-name-tuned');
      const r = await runCli([
        ...['tune', wine, '--target', 'cultivar', '--model', 'logistic', '--trials', '2', '--cv', '2'],
        ...['--out', out, '--store', badStore, ...flags],
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.ok(!existsSync(out), 'no package written');
      assert.ok(!existsSync(badStore), 'no run recorded');
    }
  });

  it('a class rarer than the folds is one warning about --cv, not the splitter', async () => {
    const r = await tune('--cv', '45');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning \(UserWarning\): --cv 45: the class 'class_2' has only \d+ of the 142 training rows/,
    );
    assert.doesNotMatch(r.stderr, /nSplits|StratifiedKFold/);
  });
});
