// What the exporter refuses, and how it says so: unsupported steps and models (named, with the
// supported list), unfitted models, bad options, schemas that disagree with the model, and the
// input schema's naming of an unnamed matrix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../src/core/errors.ts';
import type { Estimator } from '../../src/core/estimator.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import type { Schema } from '../../src/data/schema.ts';
import { Table } from '../../src/data/table.ts';
import { exportOnnx, exportOnnxModel, ONNX_SUPPORTED_MODELS } from '../../src/export/index.ts';
import { readHgbState } from '../../src/export/models/hgb.ts';
import { KMeans } from '../../src/models/cluster/index.ts';
import { PCA } from '../../src/models/decomposition/index.ts';
import { HistGradientBoostingRegressor } from '../../src/models/ensemble/index.ts';
import { LinearRegression, LogisticRegression } from '../../src/models/linear/index.ts';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.ts';
import {
  ColumnTransformer,
  OneHotEncoder,
  Pipeline,
  SimpleImputer,
  StandardScaler,
  TargetEncoder,
} from '../../src/preprocess/index.ts';
import { matrixFeeds, session } from './helpers.ts';
import { features, regressionTarget } from './model-data.ts';

const X = features(60, 4, 21);
const y = regressionTarget(X, 22);
const labels = Array.from(y, (v) => (v > 250_000 ? 'up' : 'down'));

function refusal(fn: () => unknown, pattern: RegExp): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

describe('unsupported estimators', () => {
  it('names an unsupported model and lists the supported ones', () => {
    const e = refusal(
      () => exportOnnx(new KNeighborsClassifier().fit(X, labels)),
      /KNeighborsClassifier cannot be exported to ONNX/,
    );
    for (const name of ONNX_SUPPORTED_MODELS) assert.ok(e.message.includes(name), name);
  });

  it('names the step path of an unsupported step deep inside a pipeline', () => {
    const t = new Table([
      categoricalColumn('city', ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a']),
      numericColumn('n', [1, 2, 3, 4, 5, 6, 7, 8]),
    ]);
    const pipe = new Pipeline({
      steps: [
        [
          'preprocess',
          new ColumnTransformer({
            transformers: [
              ['num', new StandardScaler(), ['n']],
              [
                'cat',
                new Pipeline({ steps: [['encode', new TargetEncoder({ targetType: 'continuous', cv: 2 })]] }),
                ['city'],
              ],
            ],
          }),
        ],
        ['model', new LinearRegression()],
      ],
    }).fit(t, [1.5, 2, 3, 4, 5, 6, 7, 8.25]);
    const e = refusal(() => exportOnnx(pipe), /step 'preprocess › cat › encode' \(TargetEncoder\)/);
    assert.match(e.message, /not a supported preprocessing step/);
    assert.match(e.fix ?? '', /OneHotEncoder/);
    assert.equal(e.field, 'preprocess__cat__encode');
  });

  it('refuses a pipeline ending in a clusterer, and an unsupported transformer alone', () => {
    const km = new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['cluster', new KMeans({ nClusters: 2 })],
      ],
    }).fit(X);
    refusal(() => exportOnnx(km), /Pipeline \(clusterer\) cannot be exported/);
    refusal(() => exportOnnx(new PCA({ nComponents: 2 }).fit(X)), /PCA.*cannot be exported/);
  });

  it('refuses an unfitted model and something that is not an estimator', () => {
    assert.throws(() => exportOnnx(new LinearRegression()), NotFittedError);
    refusal(() => exportOnnx({} as Estimator), /expected a fitted Lathe estimator/);
  });

  it('refuses HistGradientBoosting state it cannot read, saying which version it reads', () => {
    const real = new HistGradientBoostingRegressor({ maxIter: 3, nThreads: 1 }).fit(X, y);
    const json = real.toJSON();
    const fake = (state: unknown, version = 2) =>
      ({ typeName: 'HistGradientBoostingRegressor', toJSON: () => ({ ...json, version, state }) }) as never;
    assert.doesNotThrow(() => readHgbState(real));
    refusal(() => readHgbState(fake(json.state, 1)), /state version 1.*unknown state version/);
    const broken = {
      ...json.state,
      ensemble: { ...(json.state as { ensemble: object }).ensemble, left: [1, 2] },
    };
    refusal(() => readHgbState(fake(broken)), /'left' is missing or not a Int32Array/);
  });
});

describe('options', () => {
  const lr = new LinearRegression().fit(X, y);

  it('opset must be an integer from 13 to 21', () => {
    for (const opset of [12, 22, 17.5]) {
      const e = refusal(() => exportOnnx(lr, { opset }), /opset must be an integer from 13 to 21/);
      assert.equal(e.field, 'opset');
    }
  });

  it("inputLayout 'matrix' needs numeric columns; unknown layouts are refused", () => {
    const t = new Table([categoricalColumn('c', ['a', 'b', 'a']), numericColumn('n', [1, 2, 3])]);
    const pipe = new Pipeline({
      steps: [
        [
          'pre',
          new ColumnTransformer({
            transformers: [['c', new OneHotEncoder(), ['c']]],
            remainder: 'passthrough',
          }),
        ],
        ['model', new LinearRegression()],
      ],
    }).fit(t, [1, 2, 3]);
    refusal(
      () => exportOnnx(pipe, { inputLayout: 'matrix' }),
      /needs numeric columns, but 'c' is categorical/,
    );
    refusal(
      () => exportOnnx(lr, { inputLayout: 'rows' as never }),
      /inputLayout must be 'columns' or 'matrix'/,
    );
  });

  it('refuses a column named like an output, unless the inputs are one matrix', () => {
    const t = features(30, 2, 23);
    const named = { ...t, columns: ['label', 'x'] };
    const clf = new LogisticRegression().fit(
      named,
      Array.from({ length: 30 }, (_, i) => i % 2),
    );
    refusal(() => exportOnnx(clf), /column 'label' has the name of an output/);
    assert.ok(exportOnnx(clf, { inputLayout: 'matrix' }).length > 0);
  });
});

describe('inputSchema', () => {
  const t = new Table([numericColumn('a', [1, 2, 3, 4]), categoricalColumn('c', ['x', 'y', 'x', 'z'])]);
  const pipe = new Pipeline({
    steps: [
      [
        'pre',
        new ColumnTransformer({
          transformers: [
            ['num', new SimpleImputer(), ['a']],
            ['cat', new OneHotEncoder(), ['c']],
          ],
        }),
      ],
      ['model', new LinearRegression()],
    ],
  }).fit(t, [1, 2, 3, 4]);
  const schema = (columns: Schema['columns']): Schema => ({ version: 1, columns });

  it('accepts the schema the model was trained with (extra columns ignored)', () => {
    const s = schema([
      { name: 'a', type: 'numeric', storage: 'numeric', nullable: false },
      { name: 'c', type: 'categorical', storage: 'categorical', nullable: false },
      { name: 'unused', type: 'text', storage: 'text', nullable: true },
    ]);
    const ex = exportOnnxModel(pipe, { inputSchema: s });
    assert.deepEqual(
      ex.inputs.map((i) => [i.name, i.type]),
      [
        ['a', 'double'],
        ['c', 'string'],
      ],
    );
  });

  it('refuses a schema that lacks a column or stores it differently', () => {
    refusal(
      () =>
        exportOnnx(pipe, {
          inputSchema: schema([{ name: 'a', type: 'numeric', storage: 'numeric', nullable: false }]),
        }),
      /the model takes column 'c', which inputSchema lacks/,
    );
    refusal(
      () =>
        exportOnnx(pipe, {
          inputSchema: schema([
            { name: 'a', type: 'categorical', storage: 'categorical', nullable: false },
            { name: 'c', type: 'categorical', storage: 'categorical', nullable: false },
          ]),
        }),
      /says column 'a' is stored as categorical, but the model was fitted on it as numeric/,
    );
  });

  it('names the inputs of a model fitted on an unnamed matrix, by position', async () => {
    const rows = [
      [1, 2],
      [2, 1],
      [3, 5],
      [4, 3],
    ];
    const m = new LinearRegression().fit(rows, [1, 2, 3, 4]);
    const s = schema([
      { name: 'width', type: 'numeric', storage: 'numeric', nullable: false },
      { name: 'height', type: 'numeric', storage: 'numeric', nullable: false },
    ]);
    const ex = exportOnnxModel(m, { inputSchema: s });
    assert.deepEqual(
      ex.inputs.map((i) => i.name),
      ['width', 'height'],
    );
    const Xm = { data: Float64Array.from(rows.flat()), rows: 4, cols: 2, columns: ['width', 'height'] };
    const out = await (await session(ex.bytes)).run(matrixFeeds(Xm, ex));
    assert.deepEqual(Array.from(out.prediction.data as Float64Array), Array.from(m.predict(rows)));
    refusal(
      () => exportOnnx(m, { inputSchema: schema(s.columns.slice(0, 1)) }),
      /fitted on 2 unnamed columns, but inputSchema has 1/,
    );
  });
});
