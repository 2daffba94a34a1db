// Shared by the ONNX export tests: a small protobuf reader (to look inside the files we write),
// onnxruntime-node sessions, feeds built from a Table, and comparisons with Lathe's predictions.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import type { Label } from '../../src/core/labels.ts';
import type { Matrix } from '../../src/core/matrix.ts';
import type { Table } from '../../src/data/table.ts';
import type { OnnxExport, OnnxTensorInfo } from '../../src/export/index.ts';

export { ort };

/** One decoded protobuf field. */
export interface Field {
  field: number;
  wire: number;
  /** Varints as bigint, fixed32/fixed64 as raw bytes, length-delimited as bytes. */
  value: bigint | Uint8Array;
}

/** Decodes the top-level fields of a protobuf message. */
export function decodeFields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) {
      out.push({ field, wire, value: bytes.slice(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ field, wire, value: bytes.slice(pos, pos + 4) });
      pos += 4;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ field, wire, value: bytes.slice(pos, pos + len) });
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const text = new TextDecoder();
const str = (f: Field): string => text.decode(f.value as Uint8Array);
const sub = (fields: Field[], n: number): Field[] => fields.filter((f) => f.field === n);

/** What a test wants to know about an exported model. */
export interface ModelSummary {
  irVersion: number;
  producer: string;
  opsets: Record<string, number>;
  inputs: { name: string; elemType: number; shape: (number | string)[] }[];
  outputs: { name: string; elemType: number; shape: (number | string)[] }[];
  ops: { opType: string; domain: string }[];
  metadata: Record<string, string>;
}

function valueInfo(bytes: Uint8Array): ModelSummary['inputs'][number] {
  const f = decodeFields(bytes);
  const name = str(sub(f, 1)[0]);
  const type = decodeFields(sub(f, 2)[0].value as Uint8Array);
  const tensor = decodeFields(sub(type, 1)[0].value as Uint8Array);
  const elemType = Number(sub(tensor, 1)[0].value);
  const shapeField = sub(tensor, 2)[0];
  const shape = shapeField
    ? sub(decodeFields(shapeField.value as Uint8Array), 1).map((d) => {
        const df = decodeFields(d.value as Uint8Array);
        const v = sub(df, 1)[0];
        return v ? Number(v.value) : str(sub(df, 2)[0]);
      })
    : [];
  return { name, elemType, shape };
}

/** Decodes the parts of a ModelProto the tests check. */
export function summarize(bytes: Uint8Array): ModelSummary {
  const m = decodeFields(bytes);
  const opsets: Record<string, number> = {};
  for (const o of sub(m, 8)) {
    const f = decodeFields(o.value as Uint8Array);
    opsets[sub(f, 1)[0] ? str(sub(f, 1)[0]) : ''] = Number(sub(f, 2)[0].value);
  }
  const metadata: Record<string, string> = {};
  for (const e of sub(m, 14)) {
    const f = decodeFields(e.value as Uint8Array);
    metadata[str(sub(f, 1)[0])] = str(sub(f, 2)[0]);
  }
  const g = decodeFields(sub(m, 7)[0].value as Uint8Array);
  const ops = sub(g, 1).map((n) => {
    const f = decodeFields(n.value as Uint8Array);
    return { opType: str(sub(f, 4)[0]), domain: sub(f, 7)[0] ? str(sub(f, 7)[0]) : '' };
  });
  return {
    irVersion: Number(sub(m, 1)[0].value),
    producer: str(sub(m, 2)[0]),
    opsets,
    inputs: sub(g, 11).map((v) => valueInfo(v.value as Uint8Array)),
    outputs: sub(g, 12).map((v) => valueInfo(v.value as Uint8Array)),
    ops,
    metadata,
  };
}

/** An onnxruntime session for the bytes of a model. */
export function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
}

/** Feeds for a model's inputs from a Table: numbers as float64 (NaN missing), strings ('' missing). */
export function tableFeeds(t: Table, inputs: readonly OnnxTensorInfo[]): Record<string, ort.Tensor> {
  const n = t.nRows;
  const feeds: Record<string, ort.Tensor> = {};
  for (const inp of inputs) {
    const cols = inp.columns ?? [{ name: inp.name, type: 'numeric' }];
    if (inp.type === 'string') {
      const v = t.values(cols[0].name).map((x) => (x === null ? '' : String(x)));
      feeds[inp.name] = new ort.Tensor('string', v, [n, 1]);
      continue;
    }
    const k = cols.length;
    const data = new Float64Array(n * k);
    cols.forEach((c, j) => {
      const col = t.column(c.name);
      for (let i = 0; i < n; i++) {
        let x: number;
        if (col.type === 'boolean') x = col.values[i] < 0 ? Number.NaN : col.values[i];
        else if (col.type === 'numeric' || col.type === 'datetime') x = col.values[i];
        else throw new Error(`column ${c.name} is ${col.type}`);
        data[i * k + j] = x;
      }
    });
    feeds[inp.name] = new ort.Tensor('float64', data, [n, k]);
  }
  return feeds;
}

/** Feeds for a one-input (`X`) or per-column export from a numeric Matrix. */
export function matrixFeeds(m: Matrix, exported: OnnxExport): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const inp of exported.inputs) {
    const cols = inp.columns!.map((c) => m.columns.indexOf(c.name));
    const k = cols.length;
    const data = new Float64Array(m.rows * k);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < k; j++) data[i * k + j] = m.data[i * m.cols + cols[j]];
    feeds[inp.name] = new ort.Tensor('float64', data, [m.rows, k]);
  }
  return feeds;
}

/** Largest |a − b| (NaN in both counts as equal; NaN in one is a failure). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      assert.ok(Number.isNaN(x) && Number.isNaN(y), `${what}[${i}]: ${x} vs ${y}`);
      continue;
    }
    worst = Math.max(worst, Math.abs(x - y));
  }
  return worst;
}

/** Asserts |a − b| ≤ tol elementwise (NaN must match NaN). */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const d = maxAbsDiff(a, b, what);
  assert.ok(d <= tol, `${what}: max |difference| ${d} > ${tol}`);
}

/** Asserts the ONNX labels equal Lathe's, as strings (int64 labels come back as bigint). */
export function assertSameLabels(lathe: ArrayLike<Label>, onnx: ArrayLike<unknown>, what: string): void {
  assert.equal(onnx.length, lathe.length, `${what}: lengths differ`);
  for (let i = 0; i < lathe.length; i++) {
    assert.equal(String(onnx[i]), String(lathe[i]), `${what}: row ${i}`);
  }
}

/** Whether Debian's python3-onnx is importable (for the checker tests). */
export function pythonOnnxAvailable(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  return r.status === 0;
}
