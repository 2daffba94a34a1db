/**
 * The subset of `onnx.proto` Lathe writes — ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto (tensors), OperatorSetIdProto, StringStringEntryProto —
 * as plain TypeScript objects, and their encoding with {@link ProtoWriter}.
 *
 * Field numbers are those of `onnx/onnx.proto` (ONNX 1.12, the `python3-onnx` Debian package, and
 * upstream `onnx/onnx.proto3`). Fields are written in field-number order, and repeated scalars are
 * packed exactly where the proto2 file says `[packed = true]` (`float_data`, `int64_data`,
 * `double_data`, …) and unpacked elsewhere (`dims`, attribute `ints`/`floats`), so the bytes equal
 * those Python's `onnx` package writes for the same model (the tests check this).
 *
 * @module
 */

import { ProtoWriter } from './protobuf.ts';

/** `TensorProto.DataType` values used here. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  DOUBLE: 11,
} as const;

/** A `TensorProto.DataType` value. */
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** `AttributeProto.AttributeType` values. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** A constant tensor (an initializer or a tensor attribute). Numeric data is stored as `raw_data`. */
export interface TensorProto {
  name?: string;
  dims: readonly number[];
  dataType: DataTypeCode;
  /** Numbers for numeric types (written little-endian into `raw_data`), strings for STRING. */
  values: ArrayLike<number> | readonly string[] | readonly bigint[];
}

/** An attribute of a node. */
export type AttributeProto =
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'tensor'; value: TensorProto }
  | { name: string; type: 'graph'; value: GraphProto }
  | { name: string; type: 'floats'; value: ArrayLike<number> }
  | { name: string; type: 'ints'; value: ArrayLike<number> }
  | { name: string; type: 'strings'; value: readonly string[] };

/** A node of the graph. */
export interface NodeProto {
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  opType: string;
  /** Operator domain: '' (ai.onnx) or 'ai.onnx.ml'. */
  domain?: string;
  attributes?: readonly AttributeProto[];
  docString?: string;
}

/** One dimension of a tensor shape: a size, or a symbolic name such as "N". */
export type Dim = number | string;

/** A typed, shaped value (graph input or output). */
export interface ValueInfoProto {
  name: string;
  elemType: DataTypeCode;
  /** The shape; omitted means unknown rank. */
  shape?: readonly Dim[];
  docString?: string;
}

/** A graph. */
export interface GraphProto {
  nodes: readonly NodeProto[];
  name: string;
  initializers?: readonly TensorProto[];
  docString?: string;
  inputs: readonly ValueInfoProto[];
  outputs: readonly ValueInfoProto[];
}

/** An operator set the model uses. */
export interface OpsetId {
  domain: string;
  version: number;
}

/** A model. */
export interface ModelProto {
  irVersion: number;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphProto;
  opsetImports: readonly OpsetId[];
  metadata?: readonly { key: string; value: string }[];
}

/** Encodes a model to the bytes of an `.onnx` file. */
export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter(1 << 16);
  w.intField(1, m.irVersion);
  if (m.producerName !== undefined) w.stringField(2, m.producerName);
  if (m.producerVersion !== undefined) w.stringField(3, m.producerVersion);
  if (m.domain !== undefined) w.stringField(4, m.domain);
  if (m.modelVersion !== undefined) w.intField(5, m.modelVersion);
  if (m.docString !== undefined) w.stringField(6, m.docString);
  w.messageField(7, (g) => writeGraph(g, m.graph));
  for (const o of m.opsetImports) {
    w.messageField(8, (s) => {
      s.stringField(1, o.domain);
      s.intField(2, o.version);
    });
  }
  for (const e of m.metadata ?? []) {
    w.messageField(14, (s) => {
      s.stringField(1, e.key);
      s.stringField(2, e.value);
    });
  }
  return w.finish();
}

/** Encodes a graph message (without the field key). */
export function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.nodes) w.messageField(1, (s) => writeNode(s, n));
  w.stringField(2, g.name);
  for (const t of g.initializers ?? []) w.messageField(5, (s) => writeTensor(s, t));
  if (g.docString !== undefined) w.stringField(10, g.docString);
  for (const v of g.inputs) w.messageField(11, (s) => writeValueInfo(s, v));
  for (const v of g.outputs) w.messageField(12, (s) => writeValueInfo(s, v));
}

/** Encodes a node message. */
export function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const i of n.inputs) w.stringField(1, i);
  for (const o of n.outputs) w.stringField(2, o);
  if (n.name !== undefined) w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attributes ?? []) w.messageField(5, (s) => writeAttribute(s, a));
  if (n.docString !== undefined) w.stringField(6, n.docString);
  if (n.domain !== undefined) w.stringField(7, n.domain);
}

/** Encodes an attribute message. */
export function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.stringField(1, a.name);
  let type: number;
  switch (a.type) {
    case 'float':
      w.floatField(2, a.value);
      type = AttributeType.FLOAT;
      break;
    case 'int':
      w.intField(3, a.value);
      type = AttributeType.INT;
      break;
    case 'string':
      w.stringField(4, a.value);
      type = AttributeType.STRING;
      break;
    case 'tensor':
      w.messageField(5, (s) => writeTensor(s, a.value));
      type = AttributeType.TENSOR;
      break;
    case 'graph':
      w.messageField(6, (s) => writeGraph(s, a.value));
      type = AttributeType.GRAPH;
      break;
    case 'floats':
      for (let i = 0; i < a.value.length; i++) w.floatField(7, a.value[i]);
      type = AttributeType.FLOATS;
      break;
    case 'ints':
      for (let i = 0; i < a.value.length; i++) w.intField(8, a.value[i]);
      type = AttributeType.INTS;
      break;
    case 'strings':
      for (const s of a.value) w.stringField(9, s);
      type = AttributeType.STRINGS;
      break;
  }
  w.intField(20, type);
}

/** Encodes a tensor message: numbers as little-endian `raw_data`, strings as `string_data`. */
export function writeTensor(w: ProtoWriter, t: TensorProto): void {
  let count = 1;
  for (const d of t.dims) {
    w.intField(1, d);
    count *= d;
  }
  if (t.values.length !== count) {
    throw new RangeError(
      `ONNX tensor ${t.name ?? ''}: dims [${t.dims.join(', ')}] need ${count} values; got ${t.values.length}`,
    );
  }
  w.intField(2, t.dataType);
  if (t.dataType === DataType.STRING) {
    for (const s of t.values as readonly string[]) w.stringField(6, s);
    if (t.name !== undefined) w.stringField(8, t.name);
    return;
  }
  if (t.name !== undefined) w.stringField(8, t.name);
  w.bytesField(9, rawData(t));
}

function rawData(t: TensorProto): Uint8Array {
  const n = t.values.length;
  const v = t.values as ArrayLike<number | bigint>;
  switch (t.dataType) {
    case DataType.DOUBLE:
      return bytesOf(Float64Array.from(v as ArrayLike<number>));
    case DataType.FLOAT:
      return bytesOf(Float32Array.from(v as ArrayLike<number>));
    case DataType.INT64: {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const x = v[i];
        if (typeof x === 'bigint') out[i] = x;
        else {
          if (!Number.isSafeInteger(x)) throw new RangeError(`ONNX int64 tensor: ${x} is not an integer`);
          out[i] = BigInt(x);
        }
      }
      return bytesOf(out);
    }
    case DataType.INT32:
      return bytesOf(Int32Array.from(v as ArrayLike<number>));
    case DataType.INT8:
      return bytesOf(Int8Array.from(v as ArrayLike<number>));
    case DataType.UINT8:
    case DataType.BOOL:
      return Uint8Array.from(v as ArrayLike<number>);
    default:
      throw new RangeError(`ONNX tensor: data type ${t.dataType} is not supported by this writer`);
  }
}

/** Little-endian bytes of a typed array (the platforms Node runs on are little-endian; checked below). */
function bytesOf(a: Float64Array | Float32Array | BigInt64Array | Int32Array | Int8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  throw new Error('ONNX export assumes a little-endian platform');
}

/** Encodes a value-info message (a tensor type with an optional shape). */
export function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.stringField(1, v.name);
  w.messageField(2, (tp) => {
    tp.messageField(1, (tt) => {
      tt.intField(1, v.elemType);
      if (v.shape) {
        const shape = v.shape;
        tt.messageField(2, (sh) => {
          for (const d of shape) {
            sh.messageField(1, (dim) => {
              if (typeof d === 'number') dim.intField(1, d);
              else dim.stringField(2, d);
            });
          }
        });
      }
    });
  });
  if (v.docString !== undefined) w.stringField(3, v.docString);
}
