/**
 * A small protocol-buffers *writer*: just the wire types ONNX files need — varints (int32, int64,
 * enums, bools), 32- and 64-bit fixed values (float, double), length-delimited fields (strings,
 * bytes, embedded messages) and packed repeated scalars. Nothing is read back here: the tests decode
 * with their own reader and compare bytes with files written by Python's `onnx` package.
 *
 * Wire format reference: https://protobuf.dev/programming-guides/encoding/
 *
 * @module
 */

/** Protocol-buffers wire types. */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TWO_32 = 4294967296;

/** A growable byte buffer with the protobuf primitive encoders. */
export class ProtoWriter {
  private buf: Uint8Array;
  private len = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** The bytes written (a copy, sized exactly). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Raw bytes, as they are. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /**
   * A varint of an integer in the safe-integer range. Negative values are written as 64-bit two's
   * complement (ten bytes), as protobuf does for `int32`/`int64`.
   */
  varint(value: number): this {
    this.ensure(10);
    const buf = this.buf;
    if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
      // Fast path: non-negative 31-bit integers (field keys, lengths, node ids).
      while (value > 0x7f) {
        buf[this.len++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
      buf[this.len++] = value;
      return this;
    }
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
    }
    if (value < 0) return this.varint64(BigInt.asUintN(64, BigInt(value)));
    let lo = (value % TWO_32) >>> 0;
    let hi = Math.floor(value / TWO_32) >>> 0;
    while (hi > 0 || lo > 0x7f) {
      buf[this.len++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.len++] = lo;
    return this;
  }

  /** A varint of an unsigned 64-bit value. */
  varint64(value: bigint): this {
    this.ensure(10);
    let v = BigInt.asUintN(64, value);
    while (v > 0x7fn) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  /** A field key: `(field << 3) | wireType`. */
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** A little-endian float32. */
  float32(value: number): this {
    this.ensure(4);
    this.scratch.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = this.scratch.getUint8(i);
    return this;
  }

  /** A little-endian float64. */
  float64(value: number): this {
    this.ensure(8);
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.buf[this.len++] = this.scratch.getUint8(i);
    return this;
  }

  // --- fields ---------------------------------------------------------------------------------

  /** An integer field (int32, int64, enum, bool as 0/1) as a varint. */
  intField(field: number, value: number): this {
    return this.tag(field, WIRE.VARINT).varint(value);
  }

  /** A float field (fixed 32 bits). */
  floatField(field: number, value: number): this {
    return this.tag(field, WIRE.I32).float32(value);
  }

  /** A double field (fixed 64 bits). */
  doubleField(field: number, value: number): this {
    return this.tag(field, WIRE.I64).float64(value);
  }

  /** A length-delimited field holding `data`. */
  bytesField(field: number, data: Uint8Array): this {
    return this.tag(field, WIRE.LEN).varint(data.length).bytes(data);
  }

  /** A UTF-8 string field. */
  stringField(field: number, value: string): this {
    const n = value.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (value.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return this.bytesField(field, utf8(value));
    // ASCII (node and tensor names, modes, keys): one byte per character, no encoder call.
    this.tag(field, WIRE.LEN).varint(n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.len++] = value.charCodeAt(i);
    return this;
  }

  /**
   * An embedded message written by `write` in place: five bytes are reserved for the length,
   * then the body is moved back over the bytes the (minimal) length varint does not need.
   */
  messageField(field: number, write: (w: ProtoWriter) => void): this {
    this.tag(field, WIRE.LEN);
    this.ensure(5);
    const at = this.len;
    this.len += 5;
    write(this);
    const size = this.len - at - 5;
    if (size > 0x7fffffff) throw new RangeError('protobuf: a message over 2 GiB cannot be written');
    let lenBytes = 1;
    for (let v = size; v > 0x7f; v >>>= 7) lenBytes++;
    const buf = this.buf;
    buf.copyWithin(at + lenBytes, at + 5, this.len);
    // The length varint, into the reserved bytes (no growth can happen here).
    let v = size;
    let p = at;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.len = at + lenBytes + size;
    return this;
  }

  /** A packed repeated varint field (nothing is written for an empty list). */
  packedVarints(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const sub = new ProtoWriter(values.length * 2 + 8);
    for (let i = 0; i < values.length; i++) sub.varint(values[i]);
    return this.bytesField(field, sub.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const sub = new ProtoWriter(values.length * 4);
    for (let i = 0; i < values.length; i++) sub.float32(values[i]);
    return this.bytesField(field, sub.finish());
  }

  /** A packed repeated double field. */
  packedDoubles(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const sub = new ProtoWriter(values.length * 8);
    for (let i = 0; i < values.length; i++) sub.float64(values[i]);
    return this.bytesField(field, sub.finish());
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
