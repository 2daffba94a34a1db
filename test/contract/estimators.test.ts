// The estimator contract (DESIGN.md), run over every estimator Lathe registers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import { NotFittedError, ValidationError } from '../../src/core/errors.ts';
import {
  type Estimator,
  type EstimatorJSON,
  estimatorClass,
  estimatorFromJSON,
  registeredEstimators,
} from '../../src/core/estimator.ts';
import { isMatrix, type Matrix } from '../../src/core/matrix.ts';
import { decodePlain, encodePlain, type PlainValue } from '../../src/core/plain.ts';
import { Table } from '../../src/data/table.ts';
import { type ContractData, caseFor } from './cases.ts';

/**
 * The estimators the issues require; the suite fails if one is missing from the registry.
 * `LATHE_CONTRACT_REQUIRED` (comma-separated) adds names.
 */
const REQUIRED = [
  'SimpleImputer',
  'StandardScaler',
  'MinMaxScaler',
  'RobustScaler',
  'OneHotEncoder',
  'OrdinalEncoder',
  'TargetEncoder',
  'DatePartExtractor',
  'ColumnTransformer',
  'Pipeline',
  'LinearRegression',
  'Ridge',
  'Lasso',
  'ElasticNet',
  'LogisticRegression',
  'DecisionTreeClassifier',
  'DecisionTreeRegressor',
  'RandomForestClassifier',
  'RandomForestRegressor',
  'ExtraTreesClassifier',
  'ExtraTreesRegressor',
  'KNeighborsClassifier',
  'KNeighborsRegressor',
  'GaussianNB',
  'MultinomialNB',
  'KMeans',
  'DBSCAN',
  'PCA',
  'HistGradientBoostingClassifier',
  'HistGradientBoostingRegressor',
  ...(process.env.LATHE_CONTRACT_REQUIRED ?? '').split(',').filter(Boolean),
];

type AnyEstimator = Estimator & Record<string, unknown>;

function call(est: AnyEstimator, method: string, ...args: unknown[]): unknown {
  return (est[method] as (...a: unknown[]) => unknown).apply(est, args);
}

function fit(est: AnyEstimator, d: ContractData): unknown {
  return d.y === undefined ? call(est, 'fit', d.X) : call(est, 'fit', d.X, d.y);
}

/** The outputs that define a fitted estimator's behaviour, as comparable plain data. */
function outputs(est: AnyEstimator, X: unknown): unknown[] {
  const out: unknown[] = [];
  const snap = (v: unknown) =>
    isMatrix(v) ? Array.from((v as Matrix).data) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v;
  switch (est.kind) {
    case 'classifier':
      out.push(snap(call(est, 'predict', X)), snap(call(est, 'predictProba', X)));
      break;
    case 'regressor':
      out.push(snap(call(est, 'predict', X)));
      break;
    case 'transformer':
      out.push(snap(call(est, 'transform', X)));
      break;
    case 'clusterer':
      out.push(snap(est.labels_));
      if (typeof est.predict === 'function') out.push(snap(call(est, 'predict', X)));
      break;
  }
  return out;
}

function firstMethod(est: AnyEstimator): string {
  return est.kind === 'transformer'
    ? 'transform'
    : est.kind === 'clusterer' && typeof est.predict !== 'function'
      ? ''
      : 'predict';
}

function snapshotInput(X: Matrix | Table): string {
  return X instanceof Table ? JSON.stringify(X.toObjects()) : Buffer.from(X.data.buffer).toString('base64');
}

function roundTrip(json: EstimatorJSON): EstimatorJSON {
  return decodePlain(
    JSON.parse(JSON.stringify(encodePlain(json as unknown as PlainValue))),
  ) as unknown as EstimatorJSON;
}

describe('estimator contract', () => {
  for (const name of REQUIRED) {
    it(`${name} is registered`, () => assert.ok(estimatorClass(name), `${name} is not registered`));
  }

  for (const typeName of registeredEstimators()) {
    const Ctor = estimatorClass(typeName)! as unknown as new (p?: never) => Estimator;
    describe(typeName, () => {
      const probe = new Ctor() as AnyEstimator;
      const c = caseFor(typeName, probe.kind);
      const make = () => c.make(Ctor) as AnyEstimator;

      it('round-trips parameters through getParams / the constructor', () => {
        const a = make();
        const b = new (Ctor as new (p: unknown) => AnyEstimator)(a.getParams());
        assert.deepEqual(JSON.stringify(b.toJSON().params), JSON.stringify(a.toJSON().params));
      });

      it('setParams returns this; unknown names are a ValidationError', () => {
        const a = make();
        const [first] = Object.keys(a.getParams());
        if (first)
          assert.equal(
            a.setParams({ [first]: (a.getParams() as Record<string, unknown>)[first] } as never),
            a,
          );
        assert.throws(() => a.setParams({ notAParameter: 1 } as never), ValidationError);
      });

      it('clone gives a new unfitted estimator with equal parameters', () => {
        const a = make();
        const d = c.data();
        fit(a, d);
        const b = a.clone() as AnyEstimator;
        assert.notEqual(a, b);
        assert.equal(b.isFitted(), false);
        assert.deepEqual(JSON.stringify(b.toJSON().params), JSON.stringify(a.toJSON().params));
      });

      it('fit returns this and validates parameters first', () => {
        const a = make();
        const d = c.data();
        assert.equal(fit(a, d), a);
        const schema = a.schema;
        const bad = Object.keys(schema).find((k) => !schema[k].check('__invalid__'));
        if (bad) {
          const b = make();
          (b as unknown as { params: Record<string, unknown> }).params[bad] = '__invalid__';
          assert.throws(
            () => fit(b, d),
            (e: unknown) => e instanceof ValidationError && e.message.includes(bad),
          );
        }
      });

      it('refuses to predict/transform before fit with NotFittedError', () => {
        const a = make();
        const m = firstMethod(a);
        if (!m) return;
        assert.throws(
          () => call(a, m, c.data().X),
          (e: unknown) => e instanceof NotFittedError && e.message.includes(`before ${m}()`),
        );
      });

      it('reports a column mismatch (count and names) with a ValidationError', () => {
        const a = make();
        const d = c.data();
        fit(a, d);
        const m = firstMethod(a);
        if (!m) return;
        // The error names the method called (not one it calls in turn).
        const named = (e: unknown) => e instanceof ValidationError && e.message.includes(`.${m}: `);
        assert.throws(() => call(a, m, d.XNarrow), named);
        assert.throws(() => call(a, m, d.XRenamed), named);
      });

      if (probe.kind === 'classifier') {
        it('predicts the classes in their own type, and predictCodes their indices', () => {
          const d = c.data();
          const text = Array.from(d.y as ArrayLike<unknown>, String);
          const distinct = [...new Set(text)].sort();
          // The same classes as text, as numbers (not in the text's order) and as booleans (two).
          const asNumber = (s: string) => [7.5, -2, 40, 3][distinct.indexOf(s)];
          const asBoolean = (s: string) => s === distinct[0];
          for (const [y, type] of [
            [text, 'string'],
            [text.map(asNumber), 'number'],
            [text.map(asBoolean), 'string'],
          ] as const) {
            const a = make();
            call(a, 'fit', d.X, y);
            const classes = a.classes_ as unknown[];
            assert.ok(classes.every((k) => typeof k === type));
            const pred = call(a, 'predict', d.X) as ArrayLike<unknown>;
            const codes = call(a, 'predictCodes', d.X) as Int32Array;
            assert.ok(codes instanceof Int32Array);
            if (type === 'number') assert.ok(pred instanceof Float64Array, 'numeric classes: a Float64Array');
            else assert.ok(Array.isArray(pred), 'text classes: an array of strings');
            assert.equal(pred.length, codes.length);
            for (let i = 0; i < codes.length; i++) assert.equal(pred[i], classes[codes[i]], `row ${i}`);
            assert.throws(
              () => call(a, 'predictCodes', d.XNarrow),
              (e: unknown) => e instanceof ValidationError && e.message.includes('.predictCodes: '),
            );
          }
        });
      }

      it('is deterministic: same seed, same data → identical outputs', () => {
        const d = c.data();
        const a = make();
        const b = make();
        fit(a, d);
        fit(b, d);
        assert.deepEqual(outputs(a, d.X), outputs(b, d.X));
      });

      it('serialises: toJSON → JSON text → estimatorFromJSON gives identical outputs', () => {
        const d = c.data();
        const a = make();
        fit(a, d);
        const b = estimatorFromJSON(roundTrip(a.toJSON())) as AnyEstimator;
        assert.equal(b.constructor, a.constructor);
        assert.deepEqual(outputs(b, d.X), outputs(a, d.X));
      });

      it('does not mutate its inputs', () => {
        const d = c.data();
        const before = snapshotInput(d.X);
        const yBefore = JSON.stringify(d.y === undefined ? null : Array.from(d.y as ArrayLike<unknown>));
        const a = make();
        fit(a, d);
        outputs(a, d.X);
        assert.equal(snapshotInput(d.X), before);
        assert.equal(
          JSON.stringify(d.y === undefined ? null : Array.from(d.y as ArrayLike<unknown>)),
          yBefore,
        );
      });
    });
  }
});
