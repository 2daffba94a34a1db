/**
 * `ServedModel`: a loaded model as the server offers it — its name and version, the columns it
 * reads (typed by its package's schema), the outputs it can give, its protocol metadata, and
 * `score`, which types a request's table by the schema and predicts, the same way `lathe predict`
 * scores a file (the same `predictTable`), so a served prediction equals a batch one.
 *
 * @module
 */

import {
  predictionStorageOf,
  predictTable,
  scoringSchema,
  selectModelInput,
  type UnseenCategories,
  unseenCategories,
  usedInputSchema,
} from '../automl/predict.ts';
import { DataError, HttpError, LatheError, RowValueError, show, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { columnValues } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import { applySchema } from '../data/schema-apply.ts';
import type { Table } from '../data/table.ts';
import type { ModelTask } from '../track/package/format.ts';
import type { LoadedModel } from '../track/registry.ts';
import type { Datatype, Tensor } from './tensor.ts';

/** What a {@link ServedModel} is made of. */
export interface ServedModelSpec {
  /** The name in the URL (`/v2/models/<name>`): letters, digits, `_`, `-` and `.`. */
  name: string;
  /** The version it answers as (`/v2/models/<name>/versions/<version>`). */
  version: string;
  /** The fitted pipeline or estimator. */
  model: Estimator;
  /** The package's input schema (every feature column of the training table). */
  inputSchema: Schema;
  /** The package's output schema (`prediction`, `proba_<class>`, components). */
  outputSchema: Schema;
  task: ModelTask;
}

/** A tensor's description in the protocol's metadata. */
export interface TensorMetadata {
  name: string;
  datatype: Datatype;
  /** −1 for the rows: any number. */
  shape: number[];
  /** Lathe's additions: the column's meaning, the categories it was trained on, … */
  parameters?: Record<string, unknown>;
}

/** A model's metadata, as the protocol's `GET /v2/models/<name>` gives it. */
export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  parameters: { task: ModelTask; defaultOutputs: string[] };
}

/** The result of {@link ServedModel.score}. */
export interface ScoreResult {
  rows: number;
  /** The columns the model read, typed by its schema (what the prediction log records). */
  inputs: Table;
  /** The outputs asked for, in the order asked. */
  outputs: Tensor[];
  /** Columns sent that the model does not read. */
  ignored: string[];
  /** Categorical columns holding values training did not have (the model treats them as unknown). */
  unseen: UnseenCategories[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The datatype of an input column as the schema stores it. */
function inputDatatype(storage: string): Datatype {
  if (storage === 'numeric') return 'FP64';
  if (storage === 'boolean') return 'BOOL';
  return 'BYTES';
}

/** A loaded model as the server offers it. */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly task: ModelTask;
  readonly model: Estimator;
  /** The package's input schema. */
  readonly inputSchema: Schema;
  /** The columns the model reads, in order — what a request must send. */
  readonly inputs: Schema;
  readonly outputSchema: Schema;
  /** Outputs given when a request names none. */
  readonly defaultOutputs: string[];

  constructor(spec: ServedModelSpec) {
    if (!NAME.test(spec.name)) {
      throw new ValidationError(`A served model's name must be a URL-safe word; got ${show(spec.name)}.`, {
        field: 'name',
        fix: 'use letters, digits, _, - and . only (e.g. churn or churn-v2), at most 128 characters',
      });
    }
    this.name = spec.name;
    this.version = spec.version;
    this.task = spec.task;
    this.model = spec.model;
    this.inputSchema = spec.inputSchema;
    this.inputs = usedInputSchema(spec.model, spec.inputSchema);
    this.outputSchema = spec.outputSchema;
    const names = spec.outputSchema.columns.map((c) => c.name);
    this.defaultOutputs = spec.task === 'transform' ? names : names.filter((n) => n === 'prediction');
  }

  /** The names of every output a request may ask for. */
  get outputNames(): string[] {
    return this.outputSchema.columns.map((c) => c.name);
  }

  /** The protocol's model metadata (inputs with their types and categories). */
  metadata(): ModelMetadata {
    return {
      name: this.name,
      versions: [this.version],
      platform: 'lathe',
      inputs: this.inputs.columns.map((c) => ({
        name: c.name,
        datatype: inputDatatype(c.storage),
        shape: [-1],
        parameters: {
          type: c.type,
          ...(c.categories ? { categories: c.categories } : {}),
          ...(c.format ? { format: c.format } : {}),
        },
      })),
      outputs: this.outputSchema.columns.map((c) => ({
        name: c.name,
        datatype: this.outputDatatype(c.name),
        shape: [-1],
      })),
      parameters: { task: this.task, defaultOutputs: this.defaultOutputs },
    };
  }

  /** The datatype an output is sent in. */
  private outputDatatype(name: string): Datatype {
    if (name !== 'prediction') return 'FP64';
    if (this.task === 'clustering') return 'INT64';
    if (this.task === 'regression') return 'FP64';
    const storage = predictionStorageOf(this.outputSchema);
    return storage === 'boolean' ? 'BOOL' : storage === 'numeric' ? 'FP64' : 'BYTES';
  }

  /**
   * Scores the rows of `sent` (columns as the request sent them) and returns the outputs named
   * (null: the default ones). Throws `HttpError`s: 400 for a missing column, a value the model's
   * schema cannot take or an unknown output.
   */
  score(sent: Table, outputs: readonly string[] | null): ScoreResult {
    const want = outputs ?? this.defaultOutputs;
    const unknown = want.filter((o) => !this.outputNames.includes(o));
    if (unknown.length) {
      throw new HttpError(
        400,
        `Model ${this.name} has no output ${unknown.map((o) => show(o)).join(', ')}.`,
        undefined,
        {
          fix: `ask for any of ${this.outputNames.join(', ')}`,
        },
      );
    }
    const missing = this.inputs.columns.filter((c) => !sent.has(c.name));
    if (missing.length) {
      throw new HttpError(
        400,
        `The request lacks ${missing.length === 1 ? 'an input' : 'inputs'} model ${this.name} reads: ${missing.map((c) => show(c.name)).join(', ')} (it sent ${sent.columnNames.length ? sent.columnNames.map((n) => show(n)).join(', ') : 'no column'}).`,
        undefined,
        {
          fix: `send one input per column: ${this.inputs.columns.map((c) => `${c.name} (${inputDatatype(c.storage)})`).join(', ')}; null marks a missing value`,
        },
      );
    }
    const { X, ignored } = selectModelInput(sent, this.inputs);
    const typed = asRequestError(() =>
      applySchema(X, scoringSchema(this.inputs), {
        rowLabel: (i) => `element ${i}`,
        valueFix: 'send a value of the type the model metadata gives for the input (null for a missing one)',
      }),
    );
    const r = asRequestError(() =>
      predictTable(this.model, this.inputSchema, typed, {
        proba: want.some((o) => o.startsWith('proba_')),
        batchSize: Math.max(1, typed.nRows),
        predictionStorage: predictionStorageOf(this.outputSchema),
      }),
    );
    return {
      rows: typed.nRows,
      inputs: typed,
      outputs: want.map((name) => {
        const c = r.table.column(name);
        return {
          name,
          datatype: this.outputDatatype(name),
          shape: [typed.nRows],
          data: columnValues(c),
        };
      }),
      ignored,
      unseen: unseenCategories(typed, this.inputs),
    };
  }
}

/**
 * Runs `fn`, turning Lathe's errors about the data into 400s: a value the model cannot take
 * (named by column and element), a missing column, a value of the wrong type.
 */
function asRequestError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DataError && e.cause instanceof RowValueError) {
      const v = e.cause.value;
      const what = typeof v === 'number' && v !== v ? 'missing (NaN)' : show(v);
      throw new HttpError(
        400,
        `input ${show(e.cause.field ?? e.column)}, element ${e.cause.row}: the value is ${what}, which the model cannot take.`,
        undefined,
        { fix: 'send a finite number, or null for a missing value (the model imputes it)' },
      );
    }
    if (e instanceof LatheError) throw new HttpError(400, e.message);
    throw e;
  }
}

/**
 * The served form of a loaded package: named `name`, versioned by its registry version, else by
 * the first 12 hex digits of its manifest checksum.
 */
export function servedModelFromPackage(loaded: LoadedModel, name: string): ServedModel {
  const version =
    loaded.ref.kind === 'registry'
      ? String(loaded.ref.version)
      : loaded.pkg.manifest.checksum.value.slice(0, 12);
  return new ServedModel({
    name,
    version,
    model: loaded.model,
    inputSchema: loaded.pkg.inputSchema,
    outputSchema: loaded.pkg.outputSchema,
    task: loaded.pkg.task,
  });
}
