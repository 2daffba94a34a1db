/**
 * Tensors of the Open Inference Protocol (KServe's V2 protocol, served by MLServer, Triton and
 * KServe), in its JSON form: `{ name, shape, datatype, data }`. A request's input is checked here —
 * its fields, its shape against its data, every element against its datatype — and every fault is
 * an `HttpError` (400) naming the input by index and name and the element by its index.
 *
 * `null` elements are accepted as missing values (the protocol has none; the models impute them).
 *
 * @module
 */

import { HttpError, show } from '../core/errors.ts';

/** The protocol's tensor datatypes. */
export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;

/** A tensor datatype of the protocol. */
export type Datatype = (typeof DATATYPES)[number];

/** A tensor as the protocol writes it in JSON (`data` flat, row-major). */
export interface Tensor {
  name: string;
  shape: number[];
  datatype: Datatype;
  data: (number | string | boolean | null)[];
  parameters?: Record<string, unknown>;
}

/** One element of a decoded tensor: a number, a string, a boolean, or null (missing). */
export type Element = number | string | boolean | null;

/** A request input after its checks: flat data, every element of its datatype's kind or null. */
export interface DecodedTensor {
  name: string;
  shape: number[];
  datatype: Datatype;
  data: Element[];
}

/** The kind of element a datatype carries in JSON. */
export function elementKind(datatype: Datatype): 'boolean' | 'integer' | 'number' | 'string' {
  if (datatype === 'BOOL') return 'boolean';
  if (datatype === 'BYTES') return 'string';
  return datatype.startsWith('FP') ? 'number' : 'integer';
}

/** What `where` names in messages: `inputs[1] ('plan')`. */
function label(index: number, name: unknown): string {
  return typeof name === 'string' ? `inputs[${index}] (${show(name)})` : `inputs[${index}]`;
}

const bad = (message: string, fix: string) => new HttpError(400, message, undefined, { fix });

/** Nested arrays flattened in row-major order; anything else left as an element. */
function flatten(data: unknown[]): unknown[] {
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  const stack: [unknown[], number][] = [[data, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top[1] >= top[0].length) {
      stack.pop();
      continue;
    }
    const v = top[0][top[1]++];
    if (Array.isArray(v)) stack.push([v, 0]);
    else out.push(v);
  }
  return out;
}

/** Checks one element against its datatype; returns a message fragment when it does not fit. */
/** The range of each integer datatype (64-bit ones: JavaScript's safe integers, what JSON carries exactly). */
const INTEGER_RANGES: Partial<Record<Datatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

function elementProblem(v: unknown, kind: ReturnType<typeof elementKind>, datatype: Datatype): string | null {
  if (v === null) return null;
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean' ? null : 'a boolean (true or false)';
    case 'string':
      return typeof v === 'string' ? null : 'a string';
    case 'number':
      // JSON's 1e400 parses to Infinity: out of a double's range, refused as the file readers do.
      return typeof v === 'number' && Number.isFinite(v) ? null : 'a finite number';
    case 'integer': {
      const [lo, hi] = INTEGER_RANGES[datatype]!;
      return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
        ? null
        : `an integer from ${lo} to ${hi}`;
    }
  }
}

/**
 * Checks input `index` of a request (`inputs[index]`) and returns it with its data flattened.
 * Throws an `HttpError` (400) naming the input, the field and, for a bad element, its index.
 */
export function decodeInput(raw: unknown, index: number): DecodedTensor {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad(
      `inputs[${index}] is ${show(raw)}, not a tensor object.`,
      'write each input as {"name": "<column>", "shape": [<rows>], "datatype": "FP64", "data": [...]}',
    );
  }
  const t = raw as Record<string, unknown>;
  const where = label(index, t.name);
  if (typeof t.name !== 'string' || t.name === '') {
    throw bad(`${where} has no name (a non-empty string).`, 'name each input after the column it carries');
  }
  if (!DATATYPES.includes(t.datatype as Datatype)) {
    throw bad(
      `${where}: datatype ${show(t.datatype)} is not a datatype of the protocol.`,
      `use one of ${DATATYPES.join(', ')} (FP64 for numbers, BYTES for text, BOOL for booleans)`,
    );
  }
  const datatype = t.datatype as Datatype;
  if (
    !Array.isArray(t.shape) ||
    t.shape.length === 0 ||
    !t.shape.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)
  ) {
    throw bad(
      `${where}: shape ${
        Array.isArray(t.shape)
          ? `[${t.shape
              .slice(0, 8)
              .map((x) => show(x))
              .join(', ')}${t.shape.length > 8 ? ', …' : ''}]`
          : show(t.shape)
      } is not a list of non-negative integers.`,
      'give the shape as [rows] for one column, e.g. "shape": [3] for three values',
    );
  }
  const shape = t.shape as number[];
  if (!Array.isArray(t.data)) {
    throw bad(
      `${where}: data is ${show(t.data)}, not an array.`,
      'give the values as a JSON array in "data"',
    );
  }
  const data = flatten(t.data);
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw bad(
      `${where}: shape [${shape.join(', ')}] holds ${size} values, but data has ${data.length}.`,
      `make the shape match the data, e.g. "shape": [${data.length}]`,
    );
  }
  const kind = elementKind(datatype);
  for (let i = 0; i < data.length; i++) {
    const problem = elementProblem(data[i], kind, datatype);
    if (problem) {
      throw bad(
        `${where}: element ${i} is ${show(data[i])}, but datatype ${datatype} takes ${problem} (or null for a missing value).`,
        kind === 'string'
          ? 'quote the value, or send the input with the datatype of its values'
          : `correct the value, or send the input as BYTES if it holds text`,
      );
    }
  }
  return { name: t.name, shape, datatype, data: data as Element[] };
}
