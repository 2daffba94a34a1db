// The pipelines `lathe train` builds — Pipeline([['preprocess', autoPreprocessor(schema, { forModel })],
// ['model', estimator]]) — on the shipped examples, and the round trip through ONNX.
import assert from 'node:assert/strict';
import type { Estimator } from '../../src/core/estimator.ts';
import type { Label } from '../../src/core/labels.ts';
import { categoricalColumn, columnValues } from '../../src/data/column.ts';
import { readTable } from '../../src/data/read/index.ts';
import { inferSchema } from '../../src/data/schema-infer.ts';
import type { Table } from '../../src/data/table.ts';
import { exportOnnxModel, type OnnxExport } from '../../src/export/index.ts';
import {
  autoPreprocessor,
  type ColumnTransformer,
  Pipeline,
  type PreprocessFor,
} from '../../src/preprocess/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { assertClose, assertSameLabels, session, tableFeeds } from './helpers.ts';

/** An example file split into the columns the model takes and the target. */
export interface Example {
  X: Table;
  y: Label[] | Float64Array;
  /** Rows to fit on (the first 80%); the comparison runs on every row. */
  train: Int32Array;
  forModel(kind: PreprocessFor): ColumnTransformer;
}

/** Reads examples/<name>.csv and prepares it as `lathe train` does (schema inferred, target out). */
export async function example(name: string, target: string, regression: boolean): Promise<Example> {
  const { table } = await readTable(`${ROOT}examples/${name}.csv`);
  const schema = inferSchema(table);
  const inputSchema = { version: 1 as const, columns: schema.columns.filter((c) => c.name !== target) };
  const X = table.drop([target]);
  const values = table.values(target);
  const y = regression ? Float64Array.from(values as number[]) : (values as Label[]);
  const nTrain = Math.floor(table.nRows * 0.8);
  return {
    X,
    y,
    train: Int32Array.from({ length: nTrain }, (_, i) => i),
    forModel: (kind) => autoPreprocessor(inputSchema, { forModel: kind }),
  };
}

/** Fits Pipeline(preprocess, model) on the training rows. */
export function fitPipeline(ex: Example, kind: PreprocessFor, model: Estimator): Pipeline {
  const pipe = new Pipeline({
    steps: [
      ['preprocess', ex.forModel(kind)],
      ['model', model],
    ],
  });
  const y = ex.y instanceof Float64Array ? ex.y.subarray(0, ex.train.length) : ex.y.slice(0, ex.train.length);
  return pipe.fit(ex.X.take(ex.train), y);
}

/**
 * Exports `pipe`, runs it with onnxruntime-node on `X` and compares with Lathe: probabilities and
 * predictions within `tol`, identical labels. Returns the export.
 */
export async function roundTrip(pipe: Pipeline, X: Table, tol: number): Promise<OnnxExport> {
  const ex = exportOnnxModel(pipe);
  const out = await (await session(ex.bytes)).run(tableFeeds(X, ex.inputs));
  const what = `${pipe.finalEstimator!.typeName}`;
  if (ex.kind === 'classifier') {
    const P = pipe.predictProba(X);
    assert.deepEqual(out.probabilities.dims, [X.nRows, P.cols]);
    assertClose(out.probabilities.data as Float64Array, P.data, tol, `${what} probabilities`);
    assertSameLabels(pipe.predict(X) as Label[], out.label.data as ArrayLike<unknown>, `${what} labels`);
  } else {
    assert.equal(ex.kind, 'regressor');
    assertClose(
      out.prediction.data as Float64Array,
      pipe.predict(X) as Float64Array,
      tol,
      `${what} predictions`,
    );
  }
  return ex;
}

/** `t` with column `name` (categorical) changed in the first rows: unseen and missing values. */
export function withOddCategories(t: Table, name: string): Table {
  const values = columnValues(t.column(name)).map((v) => (v === null ? null : String(v)));
  values[0] = 'never-seen-before';
  values[1] = null;
  return t.withColumn(categoricalColumn(name, values));
}
