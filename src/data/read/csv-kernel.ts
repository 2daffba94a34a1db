/**
 * The WebAssembly record kernel of the CSV reader (`assembly/csv.ts`, compiled to
 * `build/wasm/csv.wasm` by `npm run build`) and the code that feeds it.
 *
 * The kernel reads runs of plain records — numeric and string columns only, plain decimals,
 * unquoted or simply quoted strings — several times faster than the TypeScript fast path, and
 * stops at the first record it does not take, which the record reader (`csv-records.ts`) then
 * reads itself exactly as without the kernel. It parses each number exactly as that fast path
 * does (the same digits, the same conditions, the same IEEE operations: the same double), and
 * looks each string up in a per-column cache of dictionary codes that this side fills: a value
 * seen before costs nothing here, a new one is looked up (or added) in the reader's dictionary
 * as before, in record order, so the dictionaries come out in the same order. The tests hold
 * the two paths to the same tables (`test/data/csv-kernel.test.ts`).
 *
 * Each thread (the main thread, every pool worker) has its own instance and memory, reused from
 * one block to the next: a fresh page of memory costs a page fault on its first touch, so nothing
 * is allocated per block. The reader's bytes are copied into that memory a window at a time (a
 * *mirror*), and the kernel's output — numbers and codes column by column, and the line of each
 * record — is moved into the column arrays with one native copy per column.
 *
 * `LATHE_CSV_KERNEL=ts` turns the kernel off (the TypeScript fast path alone); `=wasm` requires it.
 *
 * Memory layout (byte offsets above the module's static data, one reader at a time): state
 * (3 i32), the column table (1 i32 per column), the numeric block (maxRows f64 per numeric
 * column), the code block (maxRows i32 per string column), the misses (5 i32 each), the lines
 * (maxRows i32), the cache headers (4 i32 per string column), the mirrored bytes with their `\n`
 * sentinel, then per string column its cache (slots, entries, bytes).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../core/wasm.ts';
import { NUM, STR } from './csv-columns.ts';

/** Why the kernel stopped (`state[1]`): the block of records is full. */
export const STOP_FULL = 0;
/** The next record starts at the limit or later (the end of a part). */
export const STOP_LIMIT = 1;
/** The next record runs past the end of the mirrored bytes. */
export const STOP_END = 2;
/** The next record is not one the kernel takes (the TypeScript paths read it). */
export const STOP_OTHER = 3;

/** Column codes from here up are other columns (boolean, datetime): slot = code - OTHER_SLOT. */
export const OTHER_SLOT = 0x100000;

interface CsvExports {
  heapBase(): number;
  records(
    inp: number,
    p: number,
    end: number,
    lim: number,
    nf: number,
    cols: number,
    D: number,
    Q: number,
    maxRecord: number,
    maxRows: number,
    stride: number,
    num: number,
    str: number,
    miss: number,
    dicts: number,
    oth: number,
    lines: number,
    starts: number,
    line: number,
    state: number,
  ): number;
}

const WASM_PATH = fileURLToPath(new URL('../../../build/wasm/csv.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

function loadModule(): WasmModule | null {
  if (compiled === undefined)
    compiled = existsSync(WASM_PATH) ? new Wasm.Module(readFileSync(WASM_PATH)) : null;
  return compiled;
}

/** True when `build/wasm/csv.wasm` exists (it is built by `npm run build`). */
export function csvKernelAvailable(): boolean {
  return loadModule() !== null;
}

/** Which record path the reader uses: `LATHE_CSV_KERNEL` (`wasm` or `ts`) if set, else wasm when built. */
export function csvKernelKind(): 'wasm' | 'ts' {
  const env = process.env.LATHE_CSV_KERNEL;
  if (env === 'ts') return 'ts';
  if (env === 'wasm' && !csvKernelAvailable()) {
    throw new Error(`LATHE_CSV_KERNEL=wasm but ${WASM_PATH} is missing; run 'npm run build'.`);
  }
  return csvKernelAvailable() ? 'wasm' : 'ts';
}

/**
 * Bytes of output (numbers, codes and misses) per block, which sets the records per block, and
 * bytes mirrored at a time: small, so that the instance's memory stays in cache and few of its
 * pages are ever touched.
 */
const OUT_BYTES = 256 * 1024;
const MIRROR_BYTES = 256 * 1024;
/** Records per block at most. */
const MAX_ROWS = 4096;

/** Records read by the TypeScript paths, at most, before the kernel is tried again after short runs. */
const MAX_BACKOFF = 4096;

/**
 * Records per block, bytes per mirror and the backoff at most, from `LATHE_CSV_KERNEL_ROWS`,
 * `LATHE_CSV_KERNEL_BYTES` and `LATHE_CSV_KERNEL_BACKOFF` (tests set them small so that blocks
 * and mirrors end inside records, and the kernel is tried on every record).
 */
function limits(): { rows: number; bytes: number; backoff: number } {
  const num = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    rows: num('LATHE_CSV_KERNEL_ROWS', MAX_ROWS),
    bytes: num('LATHE_CSV_KERNEL_BYTES', MIRROR_BYTES),
    backoff: num('LATHE_CSV_KERNEL_BACKOFF', MAX_BACKOFF),
  };
}

/** This thread's instance. */
export class CsvKernelInstance {
  readonly memory: WasmMemory;
  readonly exports: CsvExports;
  readonly base: number;
  u8!: Uint8Array;
  i32!: Int32Array;
  f64!: Float64Array;
  /** The feed whose columns and bytes are in memory now. */
  owner: CsvKernelFeed | null = null;

  constructor(mod: WasmModule) {
    this.memory = new Wasm.Memory({ initial: 16, maximum: 65536, shared: true });
    const inst = new Wasm.Instance(mod, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error('csv wasm kernel aborted');
        },
      },
    });
    this.exports = inst.exports as unknown as CsvExports;
    this.base = (this.exports.heapBase() + 63) & ~63;
    this.views();
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    if (this.u8.length !== this.memory.buffer.byteLength) this.views();
  }

  private views(): void {
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
  }
}

let instance: CsvKernelInstance | null = null;

/** Kernel calls and the records taken from them on this thread (the tests check that the kernel ran). */
export const csvKernelStats = { calls: 0, records: 0 };

/** Entries per string column's cache, its slots and bytes for its values. */
const CACHE_ENTRIES = 1024;
const CACHE_SLOTS = 2048;
const CACHE_BYTES = 16 * 1024;

/**
 * One reader's use of the kernel: its column table and layout, which of the reader's bytes are
 * mirrored in memory, and per string column a cache of dictionary codes (bytes → code) that the
 * kernel looks values up in. Null from {@link csvKernelFeed} when the kernel does not apply.
 */
export class CsvKernelFeed {
  /** Records per block. */
  readonly maxRows: number;
  /** Per column: its numeric slot (NUM), -(string slot + 1) (STR), OTHER_SLOT + other slot. */
  readonly slotOf: Int32Array;
  /** Per string slot and per other slot: its column. */
  readonly strColumn: Int32Array;
  readonly otherColumn: Int32Array;
  /** Records left to the TypeScript paths at most after short kernel runs. */
  readonly maxBackoff: number;
  /** Byte offsets in memory. */
  private readonly state: number;
  private readonly cols: number;
  /**
   * Offsets of the numeric block (f64 elements), the codes, the misses, the other columns' text
   * bounds, the lines and the record starts (i32 elements).
   */
  readonly num: number;
  readonly str: number;
  readonly miss: number;
  readonly oth: number;
  readonly lines: number;
  readonly starts: number;
  private readonly dicts: number;
  private readonly inp: number;
  /** Where the caches begin, and per string slot its number of entries and bytes used. */
  private readonly caches: number;
  private readonly cacheCount: Int32Array;
  private readonly cacheUsed: Int32Array;
  private readonly maxBytes: number;
  /** The mirror: bytes `[mA, mB)` of the reader's buffer of generation `gen` are at `inp`. */
  private gen = -1;
  private mA = 0;
  private mB = 0;
  /** After {@link records}: where the next record starts (in the reader's buffer), why the kernel stopped, its misses. */
  pos = 0;
  why = STOP_OTHER;
  misses = 0;

  constructor(
    readonly inst: CsvKernelInstance,
    slotOf: Int32Array,
    private readonly D: number,
    private readonly Q: number,
    private readonly maxRecord: number,
  ) {
    const lim = limits();
    let nNum = 0;
    const strColumn: number[] = [];
    const otherColumn: number[] = [];
    slotOf.forEach((s, j) => {
      if (s >= OTHER_SLOT) otherColumn.push(j);
      else if (s >= 0) nNum++;
      else strColumn.push(j);
    });
    const nStr = strColumn.length;
    const nOther = otherColumn.length;
    this.slotOf = slotOf;
    this.strColumn = Int32Array.from(strColumn);
    this.otherColumn = Int32Array.from(otherColumn);
    const perRow = 8 * nNum + 24 * nStr + 8 * nOther + 8;
    this.maxRows = Math.max(1, Math.min(lim.rows, Math.floor(OUT_BYTES / Math.max(1, perRow))));
    this.maxBytes = lim.bytes;
    this.maxBackoff = lim.backoff;
    const up = (x: number) => (x + 63) & ~63;
    this.state = inst.base;
    this.cols = this.state + 64;
    const numAt = up(this.cols + 4 * slotOf.length);
    this.num = numAt >> 3;
    const strAt = numAt + 8 * nNum * this.maxRows;
    this.str = strAt >> 2;
    const missAt = up(strAt + 4 * nStr * this.maxRows);
    this.miss = missAt >> 2;
    const othAt = up(missAt + 20 * nStr * this.maxRows);
    this.oth = othAt >> 2;
    const linesAt = up(othAt + 8 * nOther * this.maxRows);
    this.lines = linesAt >> 2;
    const startsAt = up(linesAt + 4 * this.maxRows);
    this.starts = startsAt >> 2;
    this.dicts = up(startsAt + 4 * this.maxRows);
    this.inp = up(this.dicts + 16 * nStr);
    this.caches = up(this.inp + this.maxBytes + 128); // the kernel reads up to 64 bytes past the sentinel
    this.cacheCount = new Int32Array(nStr);
    this.cacheUsed = new Int32Array(nStr);
  }

  /** The cache of string slot s: slots (i32), entries (4 i32 each), bytes. */
  private cacheAt(s: number): { slots: number; entries: number; bytes: number } {
    const slots = this.caches + s * (4 * CACHE_SLOTS + 16 * CACHE_ENTRIES + CACHE_BYTES + 64);
    const entries = slots + 4 * CACHE_SLOTS;
    return { slots, entries, bytes: entries + 16 * CACHE_ENTRIES };
  }

  /** Lays this feed's tables out in memory (when it takes the instance over from another). */
  private own(): void {
    const inst = this.inst;
    inst.owner = this;
    const nStr = this.strColumn.length;
    inst.reserve(this.cacheAt(nStr).slots);
    inst.i32.set(this.slotOf, this.cols >> 2);
    for (let s = 0; s < nStr; s++) {
      const c = this.cacheAt(s);
      inst.i32.fill(0, c.slots >> 2, (c.slots >> 2) + CACHE_SLOTS);
      const h = (this.dicts >> 2) + 4 * s;
      inst.i32[h] = c.slots;
      inst.i32[h + 1] = CACHE_SLOTS - 1;
      inst.i32[h + 2] = c.entries;
    }
    this.cacheCount.fill(0);
    this.cacheUsed.fill(0);
    this.gen = -1;
  }

  /**
   * Reads records from `pos` of `b[0, n)` (buffer generation `gen`), starting before `lim`, at
   * most `maxRows` of them (≤ {@link maxRows}), the first on line `line`. Returns how many; the
   * numbers, codes, misses and lines are then in the blocks, {@link pos} is where the next record starts and {@link why} why the
   * kernel stopped. Positions in the misses are relative to {@link base}.
   */
  records(
    b: Uint8Array,
    n: number,
    gen: number,
    pos: number,
    lim: number,
    maxRows: number,
    line: number,
  ): number {
    const inst = this.inst;
    if (inst.owner !== this) this.own();
    for (;;) {
      if (this.gen !== gen || pos < this.mA || pos >= this.mB) this.mirror(b, n, gen, pos);
      const a = this.mA;
      const end = this.mB - a;
      const k = inst.exports.records(
        this.inp,
        pos - a,
        end,
        Math.min(end, lim - a),
        this.slotOf.length,
        this.cols,
        this.D,
        this.Q,
        this.maxRecord,
        maxRows,
        this.maxRows,
        this.num << 3,
        this.str << 2,
        this.miss << 2,
        this.dicts,
        this.oth << 2,
        this.lines << 2,
        this.starts << 2,
        line,
        this.state,
      );
      csvKernelStats.calls++;
      const st = this.state >> 2;
      this.pos = inst.i32[st] + a;
      this.why = inst.i32[st + 1];
      this.misses = inst.i32[st + 2];
      // A record cut by the end of the mirror, with more bytes after it: mirror from there.
      if (k === 0 && this.why === STOP_END && this.mB < n && this.mA !== pos) {
        this.mirror(b, n, gen, pos);
        continue;
      }
      return k;
    }
  }

  /** Where the mirror starts in the reader's buffer (positions in the misses are relative to it). */
  get base(): number {
    return this.mA;
  }

  /**
   * Caches the code of the bytes at `[a, e)` of the mirror (hash `h`) for string slot `s`, unless
   * the cache has them already or is full.
   */
  remember(s: number, a: number, e: number, h: number, code: number): void {
    const inst = this.inst;
    const c = this.cacheAt(s);
    const I = inst.i32;
    const u8 = inst.u8;
    const len = e - a;
    let x = slotOf(h, CACHE_SLOTS - 1);
    for (;;) {
      const k = I[(c.slots >> 2) + x];
      if (k === 0) break;
      const ent = (c.entries >> 2) + 4 * (k - 1);
      if (I[ent] === h && I[ent + 2] === len) {
        const o = I[ent + 1];
        let i = 0;
        while (i < len && u8[o + i] === u8[this.inp + a + i]) i++;
        if (i === len) return; // cached already
      }
      x = (x + 1) & (CACHE_SLOTS - 1);
    }
    const count = this.cacheCount[s];
    const used = this.cacheUsed[s];
    if (count === CACHE_ENTRIES || used + len > CACHE_BYTES) return;
    const at = c.bytes + used;
    u8.copyWithin(at, this.inp + a, this.inp + e);
    const ent = (c.entries >> 2) + 4 * count;
    I[ent] = h;
    I[ent + 1] = at;
    I[ent + 2] = len;
    I[ent + 3] = code;
    I[(c.slots >> 2) + x] = count + 1;
    this.cacheCount[s] = count + 1;
    this.cacheUsed[s] = used + len;
  }

  private mirror(b: Uint8Array, n: number, gen: number, pos: number): void {
    const inst = this.inst;
    const e = Math.min(n, pos + this.maxBytes);
    inst.u8.set(b.subarray(pos, e), this.inp);
    inst.u8[this.inp + (e - pos)] = 10; // the sentinel
    this.gen = gen;
    this.mA = pos;
    this.mB = e;
  }
}

/** ByteDictionary's slot finaliser (the kernel's too). */
function slotOf(h: number, mask: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/**
 * The kernel feed for a reader of columns of `kinds` (null when the kernel is off, not built, or
 * does not apply: a multi-byte delimiter or quote, numeric-looking missing-value tokens, which
 * `numFast` excludes, or no numeric or string column at all).
 */
export function csvKernelFeed(
  kinds: Int8Array,
  fast: boolean,
  numFast: boolean,
  d0: number,
  q0: number,
  maxRecord: number,
): CsvKernelFeed | null {
  if (!fast || !numFast || csvKernelKind() !== 'wasm') return null;
  const slots = new Int32Array(kinds.length);
  let nNum = 0;
  let nStr = 0;
  let nOther = 0;
  for (let j = 0; j < kinds.length; j++) {
    if (kinds[j] === NUM) slots[j] = nNum++;
    else if (kinds[j] === STR) slots[j] = -++nStr;
    else slots[j] = OTHER_SLOT + nOther++;
  }
  if (nNum + nStr === 0) return null; // nothing the kernel would read itself
  const mod = loadModule();
  if (!mod) return null;
  instance ??= new CsvKernelInstance(mod);
  return new CsvKernelFeed(instance, slots, d0, q0, Math.min(maxRecord, 0x7fffffff));
}
