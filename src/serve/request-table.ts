/**
 * Request bodies to tables: the Open Inference Protocol's `inputs` (one tensor per column, or one
 * two-dimensional tensor holding every column of the model in order) and MLflow's scoring formats
 * (`dataframe_records`, `dataframe_split`, `instances`). The table's columns carry the values as
 * sent (numbers, text, booleans; null = missing); `ServedModel` then types them by the model's
 * schema. Every fault is an `HttpError` (400 for a malformed body, 413 for too many rows) naming
 * the field, the record or the element.
 *
 * @module
 */

import { HttpError, show } from '../core/errors.ts';
import { booleanColumn, type Column, numericColumn, textColumn } from '../data/column.ts';
import { Table } from '../data/table.ts';
import { type DecodedTensor, decodeInput, type Element, elementKind } from './tensor.ts';

/** An inference request after its checks. */
export interface InferRequest {
  /** The request's `id`, echoed in the response. */
  id: string | undefined;
  /** The values sent, one column per model input (named as sent). */
  table: Table;
  /** The outputs asked for by name (`outputs: [{ name }]`), or null for the model's default. */
  outputs: string[] | null;
}

const bad = (message: string, fix: string) => new HttpError(400, message, undefined, { fix });

/** Refuses a request of more rows than `maxRows` (413, naming the limit). */
export function checkRows(rows: number, maxRows: number): void {
  if (rows > maxRows) {
    throw new HttpError(
      413,
      `The request holds ${rows} rows; this server scores at most ${maxRows} per request.`,
      undefined,
      {
        fix: `split it into requests of at most ${maxRows} rows (the server's --max-rows)`,
      },
    );
  }
}

/** A column of the elements sent for it, typed by what they are. */
function columnOf(name: string, values: readonly Element[], kind: 'boolean' | 'number' | 'string'): Column {
  if (kind === 'number') return numericColumn(name, values as (number | null)[]);
  if (kind === 'boolean') return booleanColumn(name, values as (boolean | null)[]);
  return textColumn(
    name,
    values.map((v) => (v === null ? null : String(v))),
  );
}

/** The kind of column for a tensor's datatype. */
function tensorKind(t: DecodedTensor): 'boolean' | 'number' | 'string' {
  const k = elementKind(t.datatype);
  return k === 'integer' ? 'number' : k;
}

/**
 * The columns of the decoded inputs: each input of shape [n] or [n, 1] is the column of its name;
 * a single input of shape [n, d] whose name is no column of the model is split into the model's
 * `columns` (d of them, in order).
 */
function tensorColumns(inputs: DecodedTensor[], columns: readonly string[]): Column[] {
  const only = inputs.length === 1 ? inputs[0] : null;
  if (only && only.shape.length === 2 && only.shape[1] !== 1 && !columns.includes(only.name)) {
    const [n, d] = only.shape;
    if (d !== columns.length) {
      throw bad(
        `inputs[0] (${show(only.name)}) has shape [${n}, ${d}]: a two-dimensional input must hold one column per model input, and this model takes ${columns.length} (${columns.join(', ')}).`,
        `send [rows, ${columns.length}] values in that column order, or one input per column named after it`,
      );
    }
    const kind = tensorKind(only);
    return columns.map((c, j) =>
      columnOf(
        c,
        Array.from({ length: n }, (_, i) => only.data[i * d + j]),
        kind,
      ),
    );
  }
  const rows = inputs[0].shape[0];
  return inputs.map((t, i) => {
    if (t.shape.length > 2 || (t.shape.length === 2 && t.shape[1] !== 1)) {
      throw bad(
        `inputs[${i}] (${show(t.name)}) has shape [${t.shape.join(', ')}]; an input named after a column carries one value per row: shape [rows] or [rows, 1].`,
        `send one input per column, each of shape [${rows}]`,
      );
    }
    if (t.shape[0] !== rows) {
      throw bad(
        `inputs[${i}] (${show(t.name)}) has ${t.shape[0]} rows, but inputs[0] (${show(inputs[0].name)}) has ${rows}: every input must give one value per row.`,
        'send the same number of values for every column (null for a missing one)',
      );
    }
    return columnOf(t.name, t.data, tensorKind(t));
  });
}

/**
 * Checks an Open Inference Protocol request body (`{ id?, inputs: [...], outputs?: [{ name }] }`)
 * and returns its table. `columns` are the model's input columns (for a two-dimensional input).
 */
export function inferRequest(body: unknown, columns: readonly string[], maxRows: number): InferRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad(
      `The request body is ${show(body)}, not a JSON object.`,
      'send {"inputs": [{"name": "<column>", "shape": [<rows>], "datatype": "FP64", "data": [...]}, ...]}',
    );
  }
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.inputs) || b.inputs.length === 0) {
    throw bad(
      `The request has ${b.inputs === undefined ? 'no "inputs"' : `"inputs": ${show(b.inputs)}`}; it needs a non-empty list of input tensors.`,
      `send one input per column the model reads (${columns.join(', ')}), e.g. {"name": "${columns[0] ?? 'x'}", "shape": [1], "datatype": "FP64", "data": [1.5]}`,
    );
  }
  if (b.id !== undefined && typeof b.id !== 'string') {
    throw bad(
      `The request's "id" is ${show(b.id)}, not a string.`,
      'send the id as a string, or leave it out',
    );
  }
  const outputs = requestedOutputs(b.outputs);
  // The row count first (cheap), so an oversized request is refused before its values are checked.
  const first = b.inputs[0] as { shape?: unknown };
  if (Array.isArray(first?.shape) && typeof first.shape[0] === 'number') checkRows(first.shape[0], maxRows);
  const inputs = b.inputs.map((t, i) => decodeInput(t, i));
  const seen = new Map<string, number>();
  inputs.forEach((t, i) => {
    const j = seen.get(t.name);
    if (j !== undefined) {
      throw bad(`inputs[${j}] and inputs[${i}] are both named ${show(t.name)}.`, 'send each column once');
    }
    seen.set(t.name, i);
  });
  const table = new Table(tensorColumns(inputs, columns));
  checkRows(table.nRows, maxRows);
  return { id: b.id as string | undefined, table, outputs };
}

/** The output names a request asks for (`outputs: [{ name }]`), or null when it names none. */
function requestedOutputs(raw: unknown): string[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw bad(
      `"outputs" is ${show(raw)}; it must be a non-empty list such as [{"name": "prediction"}].`,
      'name the outputs wanted, or leave "outputs" out for the default',
    );
  }
  return raw.map((o, i) => {
    const name = (o as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') {
      throw bad(
        `outputs[${i}] is ${show(o)}; each requested output is {"name": "<output>"}.`,
        'name the outputs wanted, e.g. [{"name": "prediction"}]',
      );
    }
    return name;
  });
}

/** The kind of a column of cells sent as JSON values: numbers, booleans, or text (anything mixed). */
function cellsKind(values: readonly Element[]): 'boolean' | 'number' | 'string' {
  let kind: 'boolean' | 'number' | 'string' | null = null;
  for (const v of values) {
    if (v === null) continue;
    const k = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
    if (kind === null) kind = k;
    else if (kind !== k) return 'string';
  }
  return kind ?? 'number';
}

/** Checks a cell of a record; returns it as an element. */
function cell(v: unknown, where: string): Element {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw bad(
      `${where} is a number beyond a double's range (±1.8e308).`,
      'send a finite number, or null for a missing value',
    );
  }
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw bad(
    `${where} is ${show(v)}; a cell must be a number, a string, a boolean or null.`,
    'send one plain value per column',
  );
}

/**
 * A table of columns given as lists of JSON cells, each column typed by what its cells are:
 * numbers, booleans, or text when they hold strings or mix kinds (null = missing).
 */
export function tableOfCells(names: readonly string[], cells: Element[][]): Table {
  return new Table(names.map((n, j) => columnOf(n, cells[j], cellsKind(cells[j]))));
}

/**
 * The table of an MLflow-style scoring body: `{"dataframe_records": [{col: value, …}, …]}` (also
 * `instances`), or `{"dataframe_split": {"columns": [...], "data": [[...], …]}}`. A column absent
 * from a record is missing in that row.
 */
export function recordsTable(body: unknown, maxRows: number): Table {
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const key = ['dataframe_records', 'instances', 'dataframe_split'].find((k) => Object.hasOwn(b, k));
  if (!key) {
    const what =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? `an object of ${Object.keys(b).length ? `"${Object.keys(b).slice(0, 5).join('", "')}"` : 'no keys'}`
        : show(body);
    throw bad(
      `The request body is ${what}; it needs "dataframe_records", "dataframe_split" or "instances".`,
      Object.hasOwn(b, 'inputs')
        ? 'an Open Inference Protocol request ("inputs") goes to POST /v2/models/<name>/infer'
        : 'send {"dataframe_records": [{"<column>": <value>, ...}, ...]}',
    );
  }
  if (key === 'dataframe_split') return splitTable(b.dataframe_split, maxRows);
  const records = b[key];
  if (!Array.isArray(records))
    throw bad(
      `"${key}" is ${show(records)}, not a list of records.`,
      `send "${key}": [{"<column>": <value>, ...}, ...]`,
    );
  checkRows(records.length, maxRows);
  const index = new Map<string, number>();
  const cells: Element[][] = [];
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw bad(
        `${key}[${i}] is ${show(r)}, not a record (an object of column: value).`,
        'send each row as {"<column>": <value>, ...}',
      );
    }
    for (const [k, v] of Object.entries(r)) {
      let j = index.get(k);
      if (j === undefined) {
        j = cells.length;
        index.set(k, j);
        cells.push(new Array<Element>(records.length).fill(null));
      }
      cells[j][i] = cell(v, `${key}[${i}].${k}`);
    }
  });
  return tableOfCells([...index.keys()], cells);
}

/** The table of `dataframe_split`: `{ columns: [names], data: [[row], …] }`. */
function splitTable(split: unknown, maxRows: number): Table {
  const s = (typeof split === 'object' && split !== null ? split : {}) as Record<string, unknown>;
  const { columns, data } = s;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
    throw bad(
      `"dataframe_split.columns" is ${show(columns)}, not a list of column names.`,
      'send {"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}',
    );
  }
  if (new Set(columns).size !== columns.length) {
    throw bad(
      `"dataframe_split.columns" names a column twice: ${columns.join(', ')}.`,
      'name each column once',
    );
  }
  if (!Array.isArray(data))
    throw bad(
      `"dataframe_split.data" is ${show(data)}, not a list of rows.`,
      'send "data": [[<row values>], ...]',
    );
  checkRows(data.length, maxRows);
  const cells = columns.map(() => new Array<Element>(data.length));
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw bad(
        `dataframe_split.data[${i}] is ${show(row)}; each row must be a list of ${columns.length} values (${columns.join(', ')}).`,
        'give every row one value per column, null for a missing one',
      );
    }
    row.forEach((v, j) => {
      cells[j][i] = cell(v, `dataframe_split.data[${i}][${j}]`);
    });
  });
  return tableOfCells(columns as string[], cells);
}
