// onnx.checker (Debian's python3-onnx, full check with shape inference) accepts the files the
// exporter writes: every model family, preprocessing with dates and categories, categorical
// gradient-boosting splits, both input layouts and the lowest and default opsets. Skipped, with a
// note, where `/usr/bin/python3 -c "import onnx"` fails (CI may lack python3-onnx).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Estimator } from '../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../src/core/matrix.ts';
import { exportOnnx, type OnnxExportOptions } from '../../src/export/index.ts';
import {
  ExtraTreesRegressor,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
} from '../../src/models/ensemble/index.ts';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.ts';
import { DecisionTreeClassifier } from '../../src/models/tree/index.ts';
import { DatePartExtractor } from '../../src/preprocess/index.ts';
import { type Example, example, fitPipeline } from './example-pipelines.ts';
import { pythonOnnxAvailable } from './helpers.ts';
import { classTarget, features, regressionTarget } from './model-data.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/oracles/onnx_check.py', import.meta.url));
const available = pythonOnnxAvailable();

describe('onnx.checker accepts the exported files', {
  skip: available ? false : 'python3-onnx is not installed',
}, () => {
  let dir: string;
  let customers: Example;
  let housing: Example;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lathe-onnx-check-'));
    customers = await example('customers', 'churned', false);
    housing = await example('housing', 'price', true);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('for every family, preprocessing route, layout and opset', () => {
    const Xs = features(200, 4, 31);
    const codes: Matrix = matrix(
      Float64Array.from({ length: 200 * 2 }, (_, i) => (i % 2 === 0 ? i % 7 : Xs.data[i])),
      200,
      2,
      ['code', 'x'],
    );
    const models: [string, Estimator, OnnxExportOptions][] = [
      ['customers-logistic', fitPipeline(customers, 'linear', new LogisticRegression()), {}],
      ['customers-tree', fitPipeline(customers, 'tree', new DecisionTreeClassifier({ maxDepth: 5 })), {}],
      [
        'customers-gbdt-opset13',
        fitPipeline(customers, 'tree', new HistGradientBoostingClassifier({ maxIter: 5, nThreads: 1 })),
        { opset: 13 },
      ],
      ['housing-ridge', fitPipeline(housing, 'linear', new Ridge()), {}],
      [
        'housing-extra-trees',
        fitPipeline(housing, 'tree', new ExtraTreesRegressor({ nEstimators: 3, maxDepth: 6, nThreads: 1 })),
        {},
      ],
      ['housing-preprocess', housing.forModel('linear').fit(housing.X), {}],
      [
        'synthetic-rf-matrix',
        new RandomForestClassifier({ nEstimators: 3, maxDepth: 4, nThreads: 1 }).fit(
          Xs,
          classTarget(Xs, [1, 2, 3], 32),
        ),
        { inputLayout: 'matrix' },
      ],
      [
        'synthetic-hgb-categorical',
        new HistGradientBoostingRegressor({ maxIter: 5, categoricalFeatures: [0], nThreads: 1 }).fit(
          codes,
          regressionTarget(Xs, 33),
        ),
        {},
      ],
      [
        'dates-cyclic',
        new DatePartExtractor({ cyclic: true, parts: ['month', 'day', 'dayofyear', 'hour', 'weekday'] }).fit(
          customers.X.select(['signup_date']),
        ),
        {},
      ],
    ];
    const paths = models.map(([name, model, options]) => {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, exportOnnx(model, options));
      return path;
    });
    const r = spawnSync('/usr/bin/python3', [SCRIPT, ...paths], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as {
      results: { path: string; ok: boolean; error?: string; opsets: Record<string, number> }[];
    };
    for (const res of report.results) assert.ok(res.ok, `${res.path}: ${res.error}`);
    assert.equal(r.status, 0);
    assert.equal(report.results.length, models.length);
    assert.deepEqual(report.results[2].opsets, { 'ai.onnx': 13, 'ai.onnx.ml': 3 });
  });

  it('and the checker itself rejects a broken file (the check is not vacuous)', () => {
    const path = join(dir, 'broken.onnx');
    const bytes = exportOnnx(new Ridge().fit(features(20, 4, 34), regressionTarget(features(20, 4, 34), 35)));
    writeFileSync(path, bytes.subarray(0, bytes.length - 7));
    const r = spawnSync('/usr/bin/python3', [SCRIPT, path], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).results[0].ok, false);
  });
});
