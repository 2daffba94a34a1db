/**
 * `fingerprint`: a SHA-256 content hash of a table that is the same for the same data on any
 * machine and from any file format.
 *
 * Canonical encoding (version 1), all integers little-endian:
 * 1. the ASCII bytes `lathe-table-v1\n`;
 * 2. u32 column count, f64 row count;
 * 3. per column, in table order: u32 byte length + UTF-8 bytes of the name, then a u8 kind —
 *    1 number (numeric storage), 2 string (categorical *and* text: by their string values, so
 *    dictionary order and storage choice do not matter), 3 boolean, 4 datetime;
 * 4. per column, in table order, every row's value: numbers and datetimes (epoch ms) as f64 with
 *    every NaN written as 0x7FF8000000000000 and −0 as +0; booleans as u8 0/1 and 0xFF for
 *    missing; strings as u32 UTF-8 byte length + bytes, missing as u32 0xFFFFFFFF.
 *
 * Row order and column order are part of the content.
 *
 * @module
 */

import { createHash, type Hash } from 'node:crypto';
import type { Column } from './column.ts';
import type { Table } from './table.ts';

const KIND: Record<Column['type'], number> = { numeric: 1, categorical: 2, text: 2, boolean: 3, datetime: 4 };
const BLOCK = 8192;

/** Buffers small writes and feeds the hash in 64 KiB pieces. */
class Feeder {
  private readonly buf = Buffer.allocUnsafe(65536);
  private at = 0;
  constructor(private readonly hash: Hash) {}
  private room(n: number): void {
    if (this.at + n > this.buf.length) this.flush();
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.at);
    this.at += 4;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }
  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
  }
  bytes(b: Uint8Array): void {
    if (b.length > this.buf.length / 2) {
      this.flush();
      this.hash.update(b);
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
  flush(): void {
    if (this.at > 0) this.hash.update(this.buf.subarray(0, this.at));
    this.at = 0;
  }
}

function hashFloats(f: Feeder, hash: Hash, v: Float64Array): void {
  f.flush();
  const block = new Float64Array(Math.min(BLOCK, v.length));
  const bytes = new DataView(block.buffer);
  for (let s = 0; s < v.length; s += BLOCK) {
    const e = Math.min(v.length, s + BLOCK);
    for (let i = s; i < e; i++) {
      const x = v[i];
      // Canonical NaN and zero; explicit little-endian so the hash is the same on any machine.
      bytes.setFloat64((i - s) * 8, x !== x ? Number.NaN : x === 0 ? 0 : x, true);
    }
    hash.update(new Uint8Array(block.buffer, 0, (e - s) * 8));
  }
}

/** The SHA-256 (hex) of `table`'s canonical encoding — see the module documentation. */
export function fingerprint(table: Table): string {
  const hash = createHash('sha256');
  const f = new Feeder(hash);
  f.bytes(Buffer.from('lathe-table-v1\n', 'ascii'));
  f.u32(table.nCols);
  f.f64(table.nRows);
  for (const c of table.columns) {
    const name = Buffer.from(c.name, 'utf8');
    f.u32(name.length);
    f.bytes(name);
    f.u8(KIND[c.type]);
  }
  for (const c of table.columns) {
    switch (c.type) {
      case 'numeric':
      case 'datetime':
        hashFloats(f, hash, c.values);
        break;
      case 'boolean':
        for (let i = 0; i < c.values.length; i++) f.u8(c.values[i] < 0 ? 0xff : c.values[i]);
        break;
      case 'categorical': {
        const enc = c.dictionary.map((s) => Buffer.from(s, 'utf8'));
        for (let i = 0; i < c.codes.length; i++) {
          const k = c.codes[i];
          if (k < 0) f.u32(0xffffffff);
          else {
            f.u32(enc[k].length);
            f.bytes(enc[k]);
          }
        }
        break;
      }
      case 'text':
        for (const s of c.values) {
          if (s === null) f.u32(0xffffffff);
          else {
            const b = Buffer.from(s, 'utf8');
            f.u32(b.length);
            f.bytes(b);
          }
        }
        break;
    }
  }
  f.flush();
  return hash.digest('hex');
}
