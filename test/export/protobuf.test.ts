// The protobuf writer and the ONNX message encoder: primitive encodings against the protobuf
// spec's worked examples, and whole models byte for byte against Python's onnx package
// (fixtures written by scripts/oracles/onnx_proto.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encodeModel, type ModelProto } from '../../src/export/onnx-proto.ts';
import { ProtoWriter } from '../../src/export/protobuf.ts';
import { decodeFields, summarize } from './helpers.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ProtoWriter', () => {
  it('writes varints as the protobuf encoding guide shows them', () => {
    assert.equal(hex(new ProtoWriter().varint(1).finish()), '01');
    assert.equal(hex(new ProtoWriter().varint(150).finish()), '9601');
    assert.equal(hex(new ProtoWriter().varint(300).finish()), 'ac02');
    assert.equal(hex(new ProtoWriter().varint(0).finish()), '00');
    // 2^32 and 2^53 − 1 cross the 32-bit boundary of the fast path.
    assert.equal(hex(new ProtoWriter().varint(2 ** 32).finish()), '8080808010');
    assert.equal(hex(new ProtoWriter().varint(Number.MAX_SAFE_INTEGER).finish()), 'ffffffffffffff0f');
  });

  it('writes negative integers as ten-byte two’s complement varints', () => {
    assert.equal(hex(new ProtoWriter().varint(-1).finish()), 'ffffffffffffffffff01');
    assert.equal(hex(new ProtoWriter().varint(-2).finish()), 'feffffffffffffffff01');
    const decoded = decodeFields(new ProtoWriter().intField(3, -(2 ** 40)).finish());
    assert.equal(BigInt.asIntN(64, decoded[0].value as bigint), -(2n ** 40n));
  });

  it('refuses integers it cannot represent exactly', () => {
    assert.throws(() => new ProtoWriter().varint(2 ** 53), RangeError);
    assert.throws(() => new ProtoWriter().varint(1.5), RangeError);
  });

  it('writes keys, strings, fixed-width numbers and packed fields', () => {
    // Field 1 = 150: the guide's "08 96 01"; field 2 = "testing": "12 07 74 65 73 74 69 6e 67".
    assert.equal(hex(new ProtoWriter().intField(1, 150).finish()), '089601');
    assert.equal(hex(new ProtoWriter().stringField(2, 'testing').finish()), '120774657374696e67');
    assert.equal(hex(new ProtoWriter().doubleField(1, 1).finish()), '09000000000000f03f');
    assert.equal(hex(new ProtoWriter().floatField(1, 1).finish()), '0d0000803f');
    // Packed repeated int: the guide's field 4 = [3, 270, 86942] → "22 06 03 8e 02 9e a7 05".
    assert.equal(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish()), '2206038e029ea705');
    assert.equal(hex(new ProtoWriter().packedVarints(4, []).finish()), '');
    assert.equal(hex(new ProtoWriter().packedDoubles(1, [0.5]).finish()), '0a08000000000000e03f');
    assert.equal(hex(new ProtoWriter().packedFloats(1, [2]).finish()), '0a0400000040');
  });

  it('grows its buffer past the initial size and nests messages with their lengths', () => {
    const w = new ProtoWriter(4);
    const big = 'x'.repeat(1000);
    w.messageField(7, (s) => s.stringField(1, big));
    const outer = decodeFields(w.finish());
    assert.equal(outer.length, 1);
    assert.equal(outer[0].field, 7);
    const inner = decodeFields(outer[0].value as Uint8Array);
    assert.equal(new TextDecoder().decode(inner[0].value as Uint8Array), big);
  });
});

interface Fixture {
  generator: string;
  cases: { name: string; model: ModelProto; hex: string }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/export/proto.json', import.meta.url), 'utf8'),
) as Fixture;

/** JSON cannot hold NaN/±Infinity/−0: the fixture writes them as strings. */
function revive(v: unknown): unknown {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === '-0') return -0;
  return v;
}

function reviveModel(m: ModelProto): ModelProto {
  const fix = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(fix);
    if (o && typeof o === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'values' && Array.isArray(v) && (o as { dataType: number }).dataType !== 8) {
          out[k] = v.map(revive);
        } else if (k === 'value' && (o as { type?: string }).type === 'floats') {
          out[k] = (v as unknown[]).map(revive);
        } else out[k] = fix(v);
      }
      return out;
    }
    return o;
  };
  return fix(m) as ModelProto;
}

describe('encodeModel', () => {
  for (const c of fixture.cases) {
    it(`writes the bytes ${fixture.generator} writes: ${c.name}`, () => {
      assert.equal(hex(encodeModel(reviveModel(c.model))), c.hex);
    });
  }

  it('is read back by the test decoder with the same structure', () => {
    const m = reviveModel(fixture.cases[2].model);
    const s = summarize(encodeModel(m));
    assert.deepEqual(s.opsets, { '': 17, 'ai.onnx.ml': 3 });
    assert.deepEqual(
      s.ops.map((o) => `${o.domain}:${o.opType}`),
      ['ai.onnx.ml:TreeEnsembleRegressor', 'ai.onnx.ml:LabelEncoder', ':LeakyRelu'],
    );
    assert.deepEqual(s.inputs[0], { name: 'X', elemType: 11, shape: ['N', 2] });
    assert.equal(s.metadata.b, 'ünïcode');
  });

  it('refuses a tensor whose values do not fill its dimensions', () => {
    const m = reviveModel(fixture.cases[0].model);
    const bad: ModelProto = {
      ...m,
      graph: { ...m.graph, initializers: [{ name: 'c', dims: [2, 2], dataType: 11, values: [1, 2, 3] }] },
    };
    assert.throws(() => encodeModel(bad), /need 4 values; got 3/);
  });
});
