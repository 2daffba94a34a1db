import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { categoricalColumn, numericColumn, textColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { makePipeline, Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';
import { TargetEncoder } from '../../src/preprocess/target-encoder.ts';
import { roundTrip } from './helpers.ts';
import { ToyCentroidClassifier, ToySumRegressor } from './toy-models.ts';

function people(): Table {
  return new Table([
    numericColumn('age', [25, null, 47, 35, 52, 23, 40, 61]),
    numericColumn('income', [30, 42, 88, 51, 95, 20, 60, 70]),
    categoricalColumn('city', ['Paris', 'Lyon', 'Paris', null, 'Nice', 'Lyon', 'Paris', 'Nice']),
  ]);
}
const labels = ['no', 'no', 'yes', 'no', 'yes', 'no', 'yes', 'yes'];

function preprocessor(): ColumnTransformer {
  return new ColumnTransformer({
    transformers: [
      [
        'num',
        new Pipeline({
          steps: [
            ['impute', new SimpleImputer({ strategy: 'median' })],
            ['scale', new StandardScaler()],
          ],
        }),
        ['age', 'income'],
      ],
      [
        'cat',
        new Pipeline({
          steps: [
            ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
            ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })],
          ],
        }),
        ['city'],
      ],
    ],
  });
}

function classifier(): Pipeline {
  return new Pipeline({
    steps: [
      ['prep', preprocessor()],
      ['model', new ToyCentroidClassifier()],
    ],
  });
}

describe('Pipeline', () => {
  it('chains fit/transform: the same result as running the steps by hand', () => {
    const X = [
      [1, Number.NaN],
      [3, 4],
      [Number.NaN, 8],
      [7, 2],
    ];
    const pipe = new Pipeline({
      steps: [
        ['impute', new SimpleImputer({ strategy: 'median', addIndicator: true })],
        ['scale', new StandardScaler()],
      ],
    });
    const Z = pipe.fitTransform(X);
    const byHand = new StandardScaler().fitTransform(
      new SimpleImputer({ strategy: 'median', addIndicator: true }).fitTransform(X),
    );
    assert.deepEqual(Array.from(Z.data), Array.from(byHand.data));
    assert.deepEqual(Array.from(pipe.transform(X).data), Array.from(Z.data));
    assert.deepEqual(pipe.getFeatureNamesOut(), ['x0', 'x1', 'x0.missing', 'x1.missing']);
    assert.equal(pipe.kind, 'transformer');
  });

  it('is a classifier when its last step is one: classes_, predict, predictProba, score', () => {
    const pipe = classifier();
    assert.equal(pipe.kind, 'classifier');
    pipe.fit(people(), labels);
    assert.deepEqual(pipe.classes_, ['no', 'yes']);
    const model = pipe.namedSteps.model as ToyCentroidClassifier;
    const Xt = (pipe.namedSteps.prep as ColumnTransformer).transform(people());
    assert.deepEqual(pipe.predict(people()), model.predict(Xt));
    assert.deepEqual(Array.from(pipe.predictProba(people()).data), Array.from(model.predictProba(Xt).data));
    assert.deepEqual(pipe.predictProba(people()).columns, ['no', 'yes']);
    assert.equal(pipe.score(people(), labels), model.score(Xt, labels));
    // The model saw the readable column names of the preprocessing.
    assert.deepEqual(model.featureNamesIn_, ['age', 'income', 'city=Lyon', 'city=Nice', 'city=Paris']);
  });

  it('has decisionFunction when its last step does (scores of the transformed rows)', () => {
    const X = [
      [1, 10],
      [2, 30],
      [3, 20],
      [4, 50],
      [5, 40],
      [6, 60],
    ];
    const y = ['a', 'a', 'b', 'a', 'b', 'b'];
    const pipe = new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['model', new LogisticRegression()],
      ],
    }).fit(X, y);
    const model = pipe.namedSteps.model as LogisticRegression;
    const Xt = (pipe.namedSteps.scale as StandardScaler).transform(X);
    assert.deepEqual(Array.from(pipe.decisionFunction(X).data), Array.from(model.decisionFunction(Xt).data));
    const knn = classifier().fit(people(), labels);
    assert.throws(
      () => knn.decisionFunction(people()),
      (e: unknown) => e instanceof ValidationError && /has no decisionFunction/.test(e.message),
    );
  });

  it('is a regressor when its last step is one, passing sampleWeight to it', () => {
    const pipe = new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['model', new ToySumRegressor({ offset: 1 })],
      ],
    });
    assert.equal(pipe.kind, 'regressor');
    pipe.fit([[1], [2], [3]], [10, 20, 30], { sampleWeight: [1, 1, 1] });
    assert.deepEqual(Array.from(pipe.predict([[2]]) as Float64Array), [21]);
    assert.throws(
      () => pipe.predictProba([[2]]),
      (e: unknown) => e instanceof ValidationError && /has no predictProba/.test(e.message),
    );
  });

  it('lets NaN reach a model only to be refused with the column named and an imputer suggested', () => {
    const pipe = new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['model', new ToySumRegressor()],
      ],
    });
    assert.throws(
      () => pipe.fit(new Table([numericColumn('a', [1, 2]), numericColumn('b', [1, null])]), [1, 2]),
      (e: unknown) =>
        e instanceof ValidationError && /column 'b'/.test(e.message) && /impute/i.test(e.message),
    );
  });

  it('says a step was left with no columns (not "no rows") when an imputer dropped every column', () => {
    // scikit-learn: "Found array with 0 feature(s) (shape=(3, 0))"; this used to say "X has no
    // rows", as the imputer's Table without columns has no rows.
    const t = new Table([numericColumn('age', [null, null, null])]);
    const pipe = makePipeline(new SimpleImputer({ strategy: 'median' }), new StandardScaler());
    captureWarnings(() =>
      assert.throws(
        () => pipe.fit(t),
        (e: unknown) =>
          e instanceof ValidationError && /StandardScaler\.fit: X has no columns/.test(e.message),
      ),
    );
    assert.throws(() => new StandardScaler().fit([]), /X has no rows/);
  });

  it('reports non-numeric data reaching a numeric-only step by column name', () => {
    const pipe = new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['model', new ToySumRegressor()],
      ],
    });
    assert.throws(
      () => pipe.fit(new Table([numericColumn('a', [1, 2]), categoricalColumn('city', ['x', 'y'])]), [1, 2]),
      (e: unknown) =>
        e instanceof ValidationError &&
        /'city' is categorical/.test(e.message) &&
        /OneHotEncoder/.test(e.message),
    );
  });

  it('checks a Table at predict by name: missing, wrongly typed and extra columns', () => {
    const pipe = classifier().fit(people(), labels);
    assert.throws(
      () => pipe.predict(people().drop(['income', 'city'])),
      (e: unknown) =>
        e instanceof ValidationError &&
        /Pipeline\.predict: X lacks 2 columns seen in fit: 'income', 'city'/.test(e.message) &&
        /age \(numeric\), income \(numeric\), city \(categorical\)/.test(e.message),
    );
    const badType = people().withColumn(
      textColumn('age', ['old', 'young', null, null, null, null, null, null]),
    );
    assert.throws(
      () => pipe.predict(badType),
      (e: unknown) =>
        e instanceof ValidationError &&
        /column 'age' is text \(e\.g\. "old"\), but it was numeric in fit/.test(e.message),
    );
    const extra = people().withColumn(numericColumn('target', [0, 1, 0, 1, 0, 1, 0, 1]));
    const { result, warnings } = captureWarnings(() => pipe.predict(extra));
    assert.deepEqual(result, pipe.predict(people()));
    assert.ok(warnings.some((w) => /ignoring a column not seen in fit: 'target'/.test(w.message)));
    assert.deepEqual(pipe.checkColumns(extra), { missing: [], extra: ['target'], wrongType: [] });
    // Column order does not matter for a Table.
    const reordered = people().select(['city', 'income', 'age']);
    assert.deepEqual(pipe.predict(reordered), pipe.predict(people()));
  });

  it('converts compatible types at predict (numbers read as text, all-empty columns)', () => {
    const pipe = classifier().fit(people(), labels);
    const asText = people().withColumn(
      categoricalColumn('income', ['30', '42', '88', '51', '95', '20', '60', '70']),
    );
    assert.deepEqual(pipe.predict(asText), pipe.predict(people()));
  });

  it('exposes step parameters as step__param and sets them', () => {
    const pipe = classifier();
    const params = pipe.getParams() as Record<string, unknown>;
    assert.equal(params.model__shrink, 0);
    assert.equal(params.prep__num__impute__strategy, 'median');
    pipe.setParams({ model__shrink: 0.5, prep__num__impute__strategy: 'mean' });
    assert.equal((pipe.namedSteps.model as ToyCentroidClassifier).getParams().shrink, 0.5);
    assert.equal((pipe.getParams() as Record<string, unknown>).prep__num__impute__strategy, 'mean');
    const other = new ToyCentroidClassifier();
    pipe.setParams({ model: other });
    assert.equal(pipe.namedSteps.model, other);
    assert.throws(
      () => pipe.setParams({ nope__x: 1 }),
      (e: unknown) => e instanceof ValidationError && /no step named 'nope'/.test(e.message),
    );
    assert.throws(() => pipe.setParams({ model__notAParameter: 1 }), /unknown parameter 'notAParameter'/);
    // The constructor takes what getParams gives.
    const again = new Pipeline(pipe.getParams());
    assert.deepEqual(JSON.stringify(again.toJSON().params), JSON.stringify(pipe.toJSON().params));
  });

  it('validates the steps before fitting anything', () => {
    assert.throws(
      () =>
        new Pipeline({
          steps: [
            ['a', new StandardScaler()],
            ['a', new StandardScaler()],
          ],
        }).fit([[1]]),
      (e: unknown) => e instanceof ValidationError && e.field === 'steps',
    );
    assert.throws(() => new Pipeline({ steps: [['a__b', new StandardScaler()]] }).fit([[1]]), /steps/);
    const model = new ToySumRegressor();
    assert.throws(
      () =>
        new Pipeline({
          steps: [
            ['model', model],
            ['scale', new StandardScaler()],
          ],
        }).fit([[1], [2]], [1, 2]),
      (e: unknown) =>
        e instanceof ValidationError &&
        /step 'model' \(ToySumRegressor\) is not the last step/.test(e.message),
    );
    assert.equal(model.isFitted(), false);
  });

  it('refuses predict before fit with NotFittedError', () => {
    assert.throws(() => classifier().predict(people()), NotFittedError);
  });

  it('cross-fits a TargetEncoder in fitTransform (no target leakage) but not in transform', () => {
    const t = new Table([categoricalColumn('c', ['a', 'b', 'a', 'b', 'a', 'b', 'c', 'c', 'a', 'b'])]);
    const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
    const pipe = new Pipeline({ steps: [['te', new TargetEncoder({ cv: 2 })]] });
    const crossed = pipe.fitTransform(t, y);
    assert.notDeepEqual(Array.from(crossed.data), Array.from(pipe.transform(t).data));
    const direct = new TargetEncoder({ cv: 2 }).fitTransform(t, y);
    assert.deepEqual(Array.from(crossed.data), Array.from(direct.data));
  });

  it('refuses a saved fitted pipeline whose steps parameter is damaged, naming the parameter', () => {
    const json = roundTrip(classifier().fit(people(), labels).toJSON());
    // Steps replaced by a number (was: "saved state has 2 step states for undefined steps"), and a
    // step without its estimator (was: a TypeError reading 'restoreState').
    for (const steps of [7, [['scale'], ['model']]]) {
      const damaged = { ...json, params: { ...json.params, steps } } as typeof json;
      assert.throws(
        () => estimatorFromJSON(damaged),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === 'steps' &&
          /parameter 'steps' must be .* \(in the saved parameters of this fitted model\)\. Fix: the model file is damaged/.test(
            e.message,
          ),
      );
    }
  });

  it('round-trips through JSON text with nested steps; loading gives identical predictions', () => {
    const pipe = classifier().fit(people(), labels);
    const json = roundTrip(pipe.toJSON());
    // Parameters carry the steps unfitted; their fitted state travels in state.steps.
    const [, modelJSON] = (json.params.steps as [string, { state: unknown }][])[1];
    assert.equal(modelJSON.state, null);
    assert.equal((json.state!.steps as unknown[]).length, 2);
    const back = estimatorFromJSON(json) as Pipeline;
    assert.ok(back instanceof Pipeline);
    assert.deepEqual(back.predict(people()), pipe.predict(people()));
    assert.deepEqual(
      Array.from(back.predictProba(people()).data),
      Array.from(pipe.predictProba(people()).data),
    );
    assert.deepEqual(back.classes_, ['no', 'yes']);
    // An unfitted pipeline has no state, and its clone is unfitted.
    assert.equal(classifier().toJSON().state, null);
    const c = pipe.clone();
    assert.equal(c.isFitted(), false);
    assert.equal((c.namedSteps.model as ToyCentroidClassifier).isFitted(), false);
    assert.equal((pipe.namedSteps.model as ToyCentroidClassifier).isFitted(), true);
  });

  it('with no steps passes data through (checking columns)', () => {
    const pipe = new Pipeline().fit([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(Array.from(pipe.transform([[5, 6]]).data), [5, 6]);
    assert.throws(() => pipe.transform([[5]]), ValidationError);
  });

  it('makePipeline names steps after their types', () => {
    const p = makePipeline(new SimpleImputer(), new StandardScaler(), new StandardScaler());
    assert.deepEqual(
      p.steps.map(([n]) => n),
      ['simpleimputer', 'standardscaler-1', 'standardscaler-2'],
    );
  });
});
