/**
 * `exportOnnx`: a fitted Lathe model — a Pipeline of imputers, scalers, encoders, date parts and
 * ColumnTransformers ending in a linear, logistic, tree, forest or gradient-boosting model, or
 * any of these alone — as one ONNX graph (`ai.onnx` opset 13–21, `ai.onnx.ml` opset 3).
 *
 * The graph's signature (see docs/export.md):
 * - inputs, one per column the model uses (`inputLayout: 'columns'`, the default): numeric,
 *   boolean (1/0) and datetime (epoch milliseconds, UTC) columns as `double [N, 1]` with NaN for
 *   missing; categorical and text columns as `string [N, 1]` with '' for missing. Or, for models
 *   whose columns are all numeric-like, one `double [N, k]` input `X` (`inputLayout: 'matrix'`);
 * - outputs, plain tensors: `label [N]` (string, int64 or double, like the classes) and
 *   `probabilities [N, K]` (double, one column per class in `classes_` order) for classifiers;
 *   `prediction [N]` (double) for regressors; `features [N, width]` (double) for a pipeline
 *   that ends in a transformer.
 *
 * Everything is computed in float64, as Lathe computes it, so the outputs agree with `predict` and
 * `predictProba` to the last few bits (tree models: exactly, before the final sigmoid/softmax).
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { NotFittedError, ValidationError } from '../core/errors.ts';
import { Estimator } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import type { ColumnType } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import { BaseForestClassifier, BaseForestRegressor } from '../models/ensemble/forest/forest.ts';
import { HistGradientBoostingClassifier } from '../models/ensemble/hist-gradient-boosting/classifier.ts';
import { HistGradientBoostingRegressor } from '../models/ensemble/hist-gradient-boosting/regressor.ts';
import { LinearRegressorBase } from '../models/linear/linear-model.ts';
import { LogisticRegression } from '../models/linear/logistic-regression.ts';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../models/tree/decision-tree.ts';
import { Pipeline } from '../preprocess/pipeline.ts';
import {
  type ConvertContext,
  describeStep,
  inStep,
  SUPPORTED_MODELS,
  SUPPORTED_STEPS,
  unsupported,
} from './context.ts';
import { type Col, isStringType, matrixTensor } from './frame.ts';
import { attr, GraphBuilder } from './graph-builder.ts';
import type { ModelHead } from './models/head.ts';
import { convertHgb } from './models/hgb.ts';
import { convertLinearRegressor, convertLogisticRegression } from './models/linear.ts';
import { convertFlatTrees } from './models/trees.ts';
import { DataType, type DataTypeCode, encodeModel } from './onnx-proto.ts';
import type { Frame } from './steps/conform.ts';
import { convertTransformer, runPipelineSteps } from './steps/transformers.ts';

/** The ai.onnx opsets the exporter writes. */
export const ONNX_OPSET_RANGE = { min: 13, max: 21, default: 17 } as const;
/** The ai.onnx.ml opset the exporter writes. */
export const ONNX_ML_OPSET = 3;

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /**
   * The columns the model takes (e.g. a model package's `inputSchema`): every column the model
   * was fitted on must be in it with a storage type of the same kind (numbers or strings). For a
   * model fitted on an unnamed Matrix (columns x0, x1, …) it names the inputs, by position.
   */
  inputSchema?: Schema | null;
  /** The ai.onnx opset, 13–21 (default 17, the newest the `onnx` 1.12 checker knows). */
  opset?: number;
  /**
   * `'columns'` (default): one input per column; `'matrix'`: one `double [N, k]` input named `X`
   * (only when every column is numeric, boolean or datetime).
   */
  inputLayout?: 'columns' | 'matrix';
  /**
   * A fitted transformer applied before `model` — a model package's separate preprocessing step.
   * The graph's inputs are then its columns.
   */
  preprocessing?: Estimator | null;
  /** The graph's name (default "lathe"). */
  graphName?: string;
  /** Extra `metadata_props` entries. */
  metadata?: Record<string, string>;
}

/** One input or output of the exported graph. */
export interface OnnxTensorInfo {
  name: string;
  /** Element type. */
  type: 'double' | 'string' | 'int64';
  /** Shape; "N" is the number of rows. */
  shape: (number | string)[];
  /** For inputs: the columns it carries and their storage types. */
  columns?: { name: string; type: ColumnType }[];
}

/** What {@link exportOnnxModel} returns. */
export interface OnnxExport {
  /** The `.onnx` file. */
  bytes: Uint8Array;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  opset: { 'ai.onnx': number; 'ai.onnx.ml': number };
  /** What the graph computes. */
  kind: 'classifier' | 'regressor' | 'transformer';
  /** The classes, in the column order of `probabilities` (classifiers). */
  classes: Label[] | null;
  /** Columns the model was fitted on but does not read (dropped), which are therefore not inputs. */
  unusedColumns: string[];
}

const OUTPUT_NAMES = ['label', 'probabilities', 'prediction', 'features'];

/**
 * Exports a fitted model (an estimator or a Pipeline) as the bytes of an ONNX file.
 * Unsupported steps are a {@link ValidationError} that names the step and lists what is supported.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(pipeline);
 * const session = await ort.InferenceSession.create(bytes);
 * const { label, probabilities } = await session.run({
 *   age: new ort.Tensor('float64', Float64Array.of(42), [1, 1]),
 *   plan: new ort.Tensor('string', ['premium'], [1, 1]),
 * });
 * ```
 */
export function exportOnnx(model: Estimator, options: OnnxExportOptions = {}): Uint8Array {
  return exportOnnxModel(model, options).bytes;
}

/** {@link exportOnnx}, with a description of the graph's inputs and outputs. */
export function exportOnnxModel(model: Estimator, options: OnnxExportOptions = {}): OnnxExport {
  if (!(model instanceof Estimator)) {
    throw new ValidationError('exportOnnx: expected a fitted Lathe estimator or Pipeline.', {
      field: 'model',
      fix: 'pass the fitted model (or load it with loadModelPackage)',
    });
  }
  const opset = options.opset ?? ONNX_OPSET_RANGE.default;
  if (!Number.isInteger(opset) || opset < ONNX_OPSET_RANGE.min || opset > ONNX_OPSET_RANGE.max) {
    throw new ValidationError(
      `exportOnnx: opset must be an integer from ${ONNX_OPSET_RANGE.min} to ${ONNX_OPSET_RANGE.max}; got ${String(opset)}.`,
      { field: 'opset', fix: `use ${ONNX_OPSET_RANGE.default} (the default)` },
    );
  }
  const layout = options.inputLayout ?? 'columns';
  if (layout !== 'columns' && layout !== 'matrix') {
    throw new ValidationError(
      `exportOnnx: inputLayout must be 'columns' or 'matrix'; got ${String(layout)}.`,
      {
        field: 'inputLayout',
      },
    );
  }
  if (!model.isFitted()) throw new NotFittedError(model.typeName, 'exportOnnx');
  const pre = options.preprocessing ?? null;
  if (pre !== null) {
    if (!(pre instanceof Estimator)) {
      throw new ValidationError('exportOnnx: preprocessing must be a fitted Lathe transformer.', {
        field: 'preprocessing',
      });
    }
    if (!pre.isFitted()) throw new NotFittedError(pre.typeName, 'exportOnnx');
  }

  const columns = inputColumns(pre ?? model, options.inputSchema ?? null);
  const b = new GraphBuilder(opset);
  for (const o of OUTPUT_NAMES) b.reserve(o);
  const clash = columns.find((c) => OUTPUT_NAMES.includes(c.name));
  if (clash && layout === 'columns') {
    throw new ValidationError(
      `exportOnnx: column '${clash.name}' has the name of an output of the graph (${OUTPUT_NAMES.join(', ')}).`,
      { field: clash.name, fix: "rename the column and refit, or use inputLayout: 'matrix'" },
    );
  }

  // Inputs.
  let cols: Col[];
  const inputInfos: OnnxTensorInfo[] = [];
  if (layout === 'matrix') {
    const text = columns.find((c) => isStringType(c.type));
    if (text) {
      throw new ValidationError(
        `exportOnnx: inputLayout 'matrix' needs numeric columns, but '${text.name}' is ${text.type}.`,
        { field: 'inputLayout', fix: "use inputLayout: 'columns' (one input per column)" },
      );
    }
    const k = columns.length;
    b.addInput('X', DataType.DOUBLE, ['N', k], `columns: ${columns.map((c) => c.name).join(', ')}`);
    cols = columns.map((c, index) => ({
      kind: 'num',
      name: c.name,
      type: c.type as 'numeric',
      tensor: 'X',
      index,
      width: k,
    }));
    inputInfos.push({ name: 'X', type: 'double', shape: ['N', k], columns: columns.map((c) => ({ ...c })) });
  } else {
    cols = columns.map((c) => {
      const str = isStringType(c.type);
      b.addInput(c.name, str ? DataType.STRING : DataType.DOUBLE, ['N', 1], inputDoc(c.type));
      inputInfos.push({
        name: c.name,
        type: str ? 'string' : 'double',
        shape: ['N', 1],
        columns: [{ ...c }],
      });
      return str
        ? { kind: 'str', name: c.name, type: c.type as 'categorical', tensor: c.name, fill: null }
        : { kind: 'num', name: c.name, type: c.type as 'numeric', tensor: c.name, index: 0, width: 1 };
    });
  }

  // The graph.
  const ctx: ConvertContext = { b, path: [] };
  let frame: Frame = { cols, table: true };
  if (pre) frame = convertTransformer(inStep(ctx, 'preprocessing'), pre, frame, false);
  const outputs: OnnxTensorInfo[] = [];
  let kind: OnnxExport['kind'];
  let classes: Label[] | null = null;
  if (model.kind === 'classifier' || model.kind === 'regressor') {
    const head = convertPredictor(ctx, model, frame);
    kind = head.kind;
    if (head.kind === 'classifier') {
      classes = [...head.classes];
      const labels = classTensor(b, head.classes);
      b.node('Gather', [labels.tensor, head.labelIndex], ['label'], [attr.int('axis', 0)]);
      b.node('Identity', [head.proba], ['probabilities']);
      b.addOutput('label', labels.type, ['N'], 'the predicted class');
      b.addOutput(
        'probabilities',
        DataType.DOUBLE,
        ['N', classes.length],
        `class probabilities: ${classes.join(', ')}`,
      );
      outputs.push({ name: 'label', type: labels.name, shape: ['N'] });
      outputs.push({ name: 'probabilities', type: 'double', shape: ['N', classes.length] });
    } else {
      b.node('Identity', [head.value], ['prediction']);
      b.addOutput('prediction', DataType.DOUBLE, ['N'], 'the predicted value');
      outputs.push({ name: 'prediction', type: 'double', shape: ['N'] });
    }
  } else if (model.kind === 'transformer') {
    const out = convertTransformer(ctx, model, frame, false).cols;
    const features = matrixTensor(b, out, describeStep(ctx, model));
    b.node('Identity', [features], ['features']);
    b.addOutput(
      'features',
      DataType.DOUBLE,
      ['N', out.length],
      `columns: ${out.map((c) => c.name).join(', ')}`,
    );
    outputs.push({ name: 'features', type: 'double', shape: ['N', out.length] });
    kind = 'transformer';
  } else {
    throw unsupportedTop(model);
  }

  const graph = b.build(options.graphName ?? 'lathe', graphDoc(kind, classes));
  const used = new Set(graph.inputs.map((v) => v.name));
  const keptInputs = inputInfos.filter((i) => used.has(i.name));
  const unusedColumns =
    layout === 'columns' ? columns.filter((c) => !used.has(c.name)).map((c) => c.name) : [];
  const metadata: { key: string; value: string }[] = [
    { key: 'lathe.version', value: latheVersion() },
    { key: 'lathe.model', value: (pre ? `${describeModel(pre)} → ` : '') + describeModel(model) },
    { key: 'lathe.kind', value: kind },
    { key: 'lathe.inputs', value: JSON.stringify(keptInputs) },
    { key: 'lathe.outputs', value: JSON.stringify(outputs) },
  ];
  if (classes) metadata.push({ key: 'lathe.classes', value: JSON.stringify(classes) });
  for (const [key, value] of Object.entries(options.metadata ?? {}))
    metadata.push({ key, value: String(value) });
  const bytes = encodeModel({
    irVersion: irVersionFor(opset),
    producerName: 'lathe',
    producerVersion: latheVersion(),
    graph,
    opsetImports: [
      { domain: '', version: opset },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    metadata,
  });
  return {
    bytes,
    inputs: keptInputs,
    outputs,
    opset: { 'ai.onnx': opset, 'ai.onnx.ml': ONNX_ML_OPSET },
    kind,
    classes,
    unusedColumns,
  };
}

/** The IR version matching an opset (the oldest that allows it, for the widest compatibility). */
function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 17) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function inputDoc(type: ColumnType): string {
  switch (type) {
    case 'boolean':
      return 'boolean column: 1 (true) or 0 (false); NaN = missing';
    case 'datetime':
      return 'datetime column: milliseconds since 1970-01-01T00:00:00Z; NaN = missing';
    case 'categorical':
    case 'text':
      return `${type} column; the empty string = missing`;
    default:
      return 'numeric column; NaN = missing';
  }
}

function graphDoc(kind: OnnxExport['kind'], classes: readonly Label[] | null): string {
  const out =
    kind === 'classifier'
      ? `outputs: label [N], probabilities [N, ${classes!.length}] (classes ${classes!.join(', ')})`
      : kind === 'regressor'
        ? 'outputs: prediction [N]'
        : 'outputs: features [N, width]';
  return `Exported by Lathe. Inputs: one per column (double [N,1], NaN = missing; string [N,1], '' = missing). ${out}.`;
}

/** The model's input columns and their storage types, checked against `schema` when given. */
function inputColumns(model: Estimator, schema: Schema | null): { name: string; type: ColumnType }[] {
  const names = model.featureNamesIn_!;
  const fitted = (model as { inputTypes_?: ColumnType[] }).inputTypes_;
  const types: ColumnType[] = fitted ? [...fitted] : names.map(() => 'numeric');
  if (!schema) return names.map((name, j) => ({ name, type: types[j] }));
  if (!Array.isArray(schema.columns)) {
    throw new ValidationError('exportOnnx: inputSchema must be a Schema ({ version: 1, columns: [...] }).', {
      field: 'inputSchema',
    });
  }
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const unnamed = names.every((n, j) => n === `x${j}`) && !names.some((n) => byName.has(n));
  if (unnamed) {
    if (schema.columns.length !== names.length) {
      throw new ValidationError(
        `exportOnnx: the model was fitted on ${names.length} unnamed columns, but inputSchema has ${schema.columns.length}.`,
        { field: 'inputSchema', fix: 'pass a schema with one column per model input, in order' },
      );
    }
    return schema.columns.map((c, j) => {
      checkKind(c.name, types[j], c.storage);
      return { name: c.name, type: types[j] };
    });
  }
  return names.map((name, j) => {
    const c = byName.get(name);
    if (!c) {
      throw new ValidationError(`exportOnnx: the model takes column '${name}', which inputSchema lacks.`, {
        field: name,
        fix: `add it to the schema; the model's columns are: ${names.join(', ')}`,
      });
    }
    checkKind(name, types[j], c.storage);
    return { name, type: types[j] };
  });
}

function checkKind(name: string, fitted: ColumnType, declared: ColumnType | undefined): void {
  if (declared === undefined) return;
  if (isStringType(fitted) !== isStringType(declared)) {
    throw new ValidationError(
      `exportOnnx: inputSchema says column '${name}' is stored as ${declared}, but the model was fitted on it as ${fitted}.`,
      { field: name, fix: 'pass the schema the model was trained with' },
    );
  }
}

/** The label tensor: int64 for integer classes, double for other numbers, string otherwise. */
function classTensor(
  b: GraphBuilder,
  classes: readonly Label[],
): { tensor: string; type: DataTypeCode; name: 'int64' | 'double' | 'string' } {
  if (classes.every((c) => typeof c === 'number')) {
    const nums = classes as number[];
    if (nums.every((c) => Number.isSafeInteger(c))) {
      return { tensor: b.int64(nums, [nums.length], 'classes'), type: DataType.INT64, name: 'int64' };
    }
    return { tensor: b.double(nums, [nums.length], 'classes'), type: DataType.DOUBLE, name: 'double' };
  }
  return {
    tensor: b.strings(classes.map(String), [classes.length], 'classes'),
    type: DataType.STRING,
    name: 'string',
  };
}

/** Converts the predicting end of the model: a Pipeline (recursively) or a supported model. */
function convertPredictor(ctx: ConvertContext, est: Estimator, frame: Frame): ModelHead {
  if (est instanceof Pipeline) {
    const { frame: f, last } = runPipelineSteps(ctx, est, frame);
    if (!last) throw unsupportedTop(est);
    return convertPredictor(inStep(ctx, last[0]), last[1], f);
  }
  if (!est.isFitted()) {
    throw new ValidationError(`exportOnnx: ${describeStep(ctx, est)} is not fitted.`, {
      fix: 'fit the model before exporting it',
    });
  }
  const { b } = ctx;
  const d = est.featureNamesIn_!.length;
  if (frame.cols.length !== d) {
    throw new ValidationError(
      `exportOnnx: ${describeStep(ctx, est)} was fitted on ${d} columns, but ${frame.cols.length} reach it.`,
      { fix: 'the pipeline is inconsistent; refit it' },
    );
  }
  const who = describeStep(ctx, est);
  const X = () => matrixTensor(b, frame.cols, who);
  if (est instanceof LogisticRegression) return convertLogisticRegression(b, est, X());
  if (est instanceof LinearRegressorBase) return convertLinearRegressor(b, est, X());
  if (est instanceof DecisionTreeClassifier)
    return convertFlatTrees(b, [est.tree_!], est.classes_!, X(), false, who);
  if (est instanceof DecisionTreeRegressor) return convertFlatTrees(b, [est.tree_!], null, X(), false, who);
  if (est instanceof BaseForestClassifier)
    return convertFlatTrees(b, est.estimators_!, est.classes_!, X(), true, who);
  if (est instanceof BaseForestRegressor) return convertFlatTrees(b, est.estimators_!, null, X(), true, who);
  if (est instanceof HistGradientBoostingClassifier) return convertHgb(b, est, est.classes_!, false, X(), d);
  if (est instanceof HistGradientBoostingRegressor) {
    return convertHgb(b, est, null, est.getParams().loss === 'poisson', X(), d);
  }
  throw unsupported(ctx, est, 'model');
}

function unsupportedTop(model: Estimator): ValidationError {
  return new ValidationError(`exportOnnx: ${model.typeName} (${model.kind}) cannot be exported to ONNX.`, {
    field: 'model',
    fix: `export a Pipeline ending in one of ${SUPPORTED_MODELS.join(', ')} (preprocessing: ${SUPPORTED_STEPS.join(', ')}), or one of these alone`,
  });
}

/** "Pipeline(preprocess: ColumnTransformer, model: LogisticRegression)" or the type name. */
function describeModel(model: Estimator): string {
  if (model instanceof Pipeline) {
    return `Pipeline(${model.steps.map(([n, e]) => `${n}: ${describeModel(e)}`).join(', ')})`;
  }
  return model.typeName;
}

let versionCache: string | undefined;

/** Lathe's version, from package.json (two levels up from src/export and dist/export). */
function latheVersion(): string {
  if (versionCache === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      versionCache = pkg.version ?? 'unknown';
    } catch {
      versionCache = 'unknown';
    }
  }
  return versionCache;
}
