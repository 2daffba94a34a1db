// How the contract suite builds and feeds each estimator. Most estimators need nothing special:
// the default case for their kind applies. Estimators with special inputs (non-negative counts,
// categorical tables, required sub-estimators) get an entry in `special`.

import type { Estimator } from '../../src/core/estimator.ts';
import type { Label } from '../../src/core/labels.ts';
import { type Matrix, matrix } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn, datetimeColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { autoPreprocessor } from '../../src/preprocess/auto-preprocessor.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';

/** Inputs for one contract run. */
export interface ContractData {
  X: Matrix | Table;
  /** Rows with other column names, to provoke the column-mismatch error. */
  XRenamed: Matrix | Table;
  /** Rows with one column fewer. */
  XNarrow: Matrix | Table;
  y?: Label[] | Float64Array;
}

/** How to make and feed one estimator type. */
export interface ContractCase {
  /** A fresh estimator with small, fast parameters. */
  make(Ctor: new (p?: never) => Estimator): Estimator;
  data(): ContractData;
}

const N = 60;
const D = 4;

function numeric(seed: number, nonNegative = false): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(N * D);
  for (let i = 0; i < data.length; i++) data[i] = nonNegative ? rng.int(6) : rng.normal();
  return matrix(data, N, D, ['a', 'b', 'c', 'd']);
}

function renamed(m: Matrix): Matrix {
  return matrix(m.data, m.rows, m.cols, ['a', 'b', 'c', 'zz']);
}

function narrow(m: Matrix): Matrix {
  const data = new Float64Array(m.rows * (m.cols - 1));
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols - 1; j++) data[i * (m.cols - 1) + j] = m.data[i * m.cols + j];
  return matrix(data, m.rows, m.cols - 1, m.columns.slice(0, -1));
}

function classLabels(m: Matrix): Label[] {
  const y: Label[] = [];
  for (let i = 0; i < m.rows; i++) {
    const s = m.data[i * m.cols] + 0.5 * m.data[i * m.cols + 1];
    y.push(s > 0.3 ? 'yes' : s < -0.6 ? 'maybe' : 'no');
  }
  return y;
}

function target(m: Matrix): Float64Array {
  const y = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) y[i] = 2 * m.data[i * m.cols] - m.data[i * m.cols + 2] + 0.1 * i;
  return y;
}

function matrixData(kind: string, nonNegative = false): ContractData {
  const X = numeric(1, nonNegative);
  const y = kind === 'classifier' ? classLabels(X) : kind === 'regressor' ? target(X) : undefined;
  return { X, XRenamed: renamed(X), XNarrow: narrow(X), y };
}

/** A small mixed table: numeric with a missing value, a categorical, a datetime. */
export function mixedTable(extraName = 'city'): Table {
  const rng = new Rng(2);
  const cities = ['paris', 'lyon', 'nice'];
  return new Table([
    numericColumn(
      'age',
      Array.from({ length: N }, (_, i) => (i === 3 ? null : 20 + rng.int(40))),
    ),
    categoricalColumn(
      extraName,
      Array.from({ length: N }, (_, i) => (i === 5 ? null : cities[rng.int(3)])),
    ),
    datetimeColumn(
      'signup',
      Array.from({ length: N }, (_, i) => Date.UTC(2024, i % 12, 1 + (i % 27))),
    ),
  ]);
}

function tableData(withY: 'classifier' | 'regressor' | undefined): ContractData {
  const X = mixedTable();
  const y =
    withY === 'classifier'
      ? Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 'yes' : 'no'))
      : withY === 'regressor'
        ? Float64Array.from({ length: N }, (_, i) => i * 0.5)
        : undefined;
  return { X, XRenamed: mixedTable('town'), XNarrow: X.drop(['signup']), y };
}

/** The default case for an estimator's kind. */
export function defaultCase(kind: string): ContractCase {
  return {
    make: (Ctor) => new Ctor(),
    data: () => matrixData(kind),
  };
}

/** Fast parameters for slow-by-default estimators (keeps the suite quick). */
const fastParams: Record<string, Record<string, unknown>> = {
  RandomForestClassifier: { nEstimators: 5 },
  RandomForestRegressor: { nEstimators: 5 },
  ExtraTreesClassifier: { nEstimators: 5 },
  ExtraTreesRegressor: { nEstimators: 5 },
  HistGradientBoostingClassifier: { maxIter: 5 },
  HistGradientBoostingRegressor: { maxIter: 5 },
  KMeans: { nClusters: 3, nInit: 2 },
  KNeighborsClassifier: { nNeighbors: 3 },
  KNeighborsRegressor: { nNeighbors: 3 },
};

/** Estimators that need special inputs. */
export const special: Record<string, Partial<ContractCase> & { kind?: string }> = {
  Pipeline: {
    make: () =>
      new Pipeline({
        steps: [
          ['impute', new SimpleImputer()],
          ['scale', new StandardScaler()],
        ],
      }),
  },
  ColumnTransformer: {
    make: () => autoPreprocessor(mixedTable(), { forModel: 'linear' }),
    data: () => tableData(undefined),
  },
  MultinomialNB: { data: () => matrixData('classifier', true) },
  OneHotEncoder: { data: () => tableData(undefined) },
  OrdinalEncoder: { data: () => tableData(undefined) },
  TargetEncoder: { data: () => tableData('classifier') },
  DatePartExtractor: { data: () => tableData(undefined) },
};

/** The case for a type name. */
export function caseFor(typeName: string, kind: string): ContractCase {
  const base = defaultCase(kind);
  const s = special[typeName] ?? {};
  const params = fastParams[typeName];
  return {
    make: s.make ?? (params ? (Ctor) => new Ctor(params as never) : base.make),
    data: s.data ?? base.data,
  };
}
