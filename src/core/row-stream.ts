/**
 * Row-parallel passes with the calling thread working beside the pool — `KMeans.predict` and
 * `PCA.transform` on large inputs — writing each row's output into an ordinary array, the same
 * bits as one thread.
 *
 * The rows stream through an arena: a shared WebAssembly memory (the calling thread's kernel
 * memory) holding the model's constants and a ring of slots (a block of rows in, its outputs out),
 * plus a few control words in a small `SharedArrayBuffer` of its own. Every thread computes on the
 * arena itself, with the same kernels, so a row is copied once on the way in and its outputs once
 * on the way out — no more than on one thread:
 *
 * - the calling thread is the only one that can read X and write the result (ordinary memory,
 *   which workers cannot see), so it copies blocks of rows into free slots and the outputs of
 *   finished slots into the result; when it has nothing to copy it takes a filled slot and
 *   computes it too;
 * - each worker (one pool task each) takes filled slots, computes them in place and marks them
 *   done, until the calling thread has sent every row.
 *
 * Slots are taken by compare-and-swap on their state word, so the work balances itself whichever
 * thread is slower; a worker that has not started yet (a fresh worker boots for tens of ms) simply
 * takes nothing, and the calling thread does not wait for it: once every row is done it detaches
 * the batch (see `PendingBatch.detach`) if a worker never showed up, and the late task, finding
 * that its call is over, returns at once. To make that safe every call has a generation number:
 * it tags the slots' states, so a task of an earlier call can never take a slot of a later one,
 * and such a task touches nothing but the control words. Each row is computed on its own by the
 * same kernel whichever thread and slot it lands in, so the output does not depend on the thread
 * count.
 *
 * Why not share X or the result with the workers: only a `SharedArrayBuffer` can be shared, and
 * V8 does not count shared memory towards garbage-collection pressure — results handed out in
 * shared memory, or workers' handles to them, stay alive until some unrelated collection (a loop
 * of transforms grows the process without bound). The arena is small and reused.
 *
 * Waiting: a thread with nothing to do watches the control words for a short while, then sleeps
 * (`Atomics.wait`) with a flag raised so that the next thread with news wakes it; waking a
 * sleeping thread costs tens of µs on the virtual machines measured (~100 µs under load), so it
 * is done only when someone is asleep, once per sleep.
 *
 * What it costs: the calling thread copies every row (on one thread the same copy is made into
 * the kernel memory), but a copy into lines another core has just read runs at about half the
 * speed of a private one. With 20 columns and 8 clusters that copy is about as much work as the
 * worker's labelling, so two threads take ~0.6–0.7× one thread's time rather than 0.5×; with more
 * work per row (PCA's 20 × 20 projection) the worker takes a larger share.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { threadId } from 'node:worker_threads';
import { copyValues } from './copy-values.ts';
import { othersFillCores, sampleLoad } from './cpu-load.ts';
import { type PendingBatch, sharedPool, type Task, type ThreadExecutor } from './pool.ts';
import { alignUp, MemoryLayout, Wasm, type WasmMemory } from './wasm.ts';

/** Where everything lives in the arena's memory (byte offsets; plain data, sent to the workers). */
export interface StreamLayout {
  /** Number of slots. */
  slots: number;
  /** Rows per slot. */
  rows: number;
  /** Values per input row. */
  d: number;
  /** Slot s's input rows (rows × d f64) start at `x + s · xStride`. */
  x: number;
  xStride: number;
  /** Slot s's outputs (rows × outWidth values of 4 or 8 bytes) start at `out + s · outStride`. */
  out: number;
  outStride: number;
  outWidth: number;
  /** Bytes per output value: 4 (Int32) or 8 (Float64). */
  outBytes: 4 | 8;
  /** The model's constants start here (laid out by the caller). */
  consts: number;
  /** Consumer c's scratch (c = 0: the calling thread) starts at `scratch + c · scratchStride`. */
  scratch: number;
  scratchStride: number;
  /** Total bytes. */
  end: number;
}

// Control words (Int32, in their own SharedArrayBuffer).
/** The current call's generation. */
const GEN = 0;
/** Bumped at every change of a slot's state (and at the end, or an abort): what waiting threads watch. */
const SEQ = 1;
/** Every row has been handed out. */
const END = 2;
/** Stop: a block was not finite, or something failed. */
const ABORT = 3;
/** Raised by a thread going to sleep on SEQ; whoever bumps SEQ clears it and wakes the sleepers. */
const ASLEEP = 4;
/** Workers of the current call that have started. */
const STARTED = 5;
/** Then, per slot: its state word (generation tag | state), then per slot its row count. */
const STATE = 8;

const EMPTY = 0;
const FILLED = 1;
const CLAIMED = 2;
const DONE = 3;
/** Done, and the block held a NaN or an infinity. */
const BAD = 4;
/** The computation threw. */
const FAILED = 5;

/** How long a sleeping thread sleeps before looking again (ms; wake-ups normally come sooner). */
const WAIT_MS = 20;
/**
 * How long a thread with nothing to do watches the control words before it goes to sleep (ms):
 * the calling thread fills a slot every few tens of µs, less than a sleep and a wake-up cost.
 */
const SPIN_MS = 0.2;

const align = (v: number) => alignUp(v, 64);

/**
 * Rows per slot for rows of `inBytes` in and `outBytes` out: about 128 KB a slot, a multiple of
 * 16, between 16 and 8192. (Measured at 1 000 000 × 20 on 2 threads: with 64 KB of rows a slot
 * the hand-overs and the calling thread's copies into lines the worker had just read cost ~8%
 * more than with 256 KB; but the ring is fresh memory in a new process, ~16 µs per 4 KB page on
 * the virtual machines measured, so it is kept small.)
 */
export function streamSlotRows(inBytes: number, outBytes: number): number {
  const r = Math.floor((128 * 1024) / Math.max(inBytes + outBytes, 1));
  return Math.max(16, Math.min(8192, r - (r % 16)));
}

/** Options of {@link streamLayout}. */
export interface StreamLayoutOptions {
  /** First byte free for the arena (above the kernels' static data). */
  base: number;
  /** Threads computing: the calling thread and the workers. */
  consumers: number;
  d: number;
  outWidth: number;
  outBytes: 4 | 8;
  /** Bytes of the model's constants. */
  constBytes: number;
  /** Bytes of scratch per consumer. */
  scratchBytes: number;
  /** Rows per slot (default {@link streamSlotRows} of the row sizes). */
  rows?: number;
}

/** Lays out an arena: two slots per consumer, so that a slot is ready whenever a thread is free. */
export function streamLayout(o: StreamLayoutOptions): StreamLayout {
  const slots = 2 * o.consumers;
  const rows = o.rows ?? streamSlotRows(8 * o.d, o.outBytes * o.outWidth);
  const mem = new MemoryLayout(align(o.base), 64);
  const consts = mem.take(o.constBytes);
  const scratchStride = align(Math.max(o.scratchBytes, 1));
  const scratch = mem.take(scratchStride * o.consumers);
  const xStride = align(8 * rows * o.d);
  const x = mem.take(xStride * slots);
  const outStride = align(o.outBytes * rows * o.outWidth);
  const out = mem.take(outStride * slots);
  return {
    slots,
    rows,
    d: o.d,
    x,
    xStride,
    out,
    outStride,
    outWidth: o.outWidth,
    outBytes: o.outBytes,
    consts,
    scratch,
    scratchStride,
    end: mem.end,
  };
}

/** An arena: its memory, the kernels bound to it on this thread, and its name for the workers. */
export interface StreamArena<K> {
  memory: WasmMemory;
  kernels: K;
  /** Identifies the memory across threads (a worker binds its own kernels to it once). */
  id: string;
}

const arenas = new Map<string, StreamArena<unknown> & { bytes: number; kind: string }>();
let arenaCount = 0;

/**
 * This thread's arena for `module` (e.g. 'cluster', 'pca'), with at least `bytes`: a shared
 * WebAssembly memory of its own — not the thread's kernel memory, so that a worker still finishing
 * a slot the calling thread gave up on (see {@link streamRows}) never writes into memory a
 * one-thread call is using. Kept between calls (a new memory's pages cost ~16 µs per 4 KB on the
 * virtual machines measured); `bind` makes the kernels of kind `kind` for a new one.
 */
export function streamArena<K>(
  module: string,
  bytes: number,
  kind: string,
  bind: (memory: WasmMemory) => K,
): StreamArena<K> {
  const a = arenas.get(module);
  if (a && a.bytes >= bytes && a.kind === kind) return a as StreamArena<K>;
  const pages = Math.ceil(bytes / 65536);
  const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const made = {
    memory,
    kernels: bind(memory),
    id: `${threadId}.${++arenaCount}`,
    bytes: pages * 65536,
    kind,
  };
  arenas.set(module, made);
  return made;
}

/** What a worker's task gets: the arena, its layout, the control words and the call's generation. */
export interface StreamTicket {
  memory: WasmMemory;
  layout: StreamLayout;
  control: Int32Array;
  gen: number;
}

/** Computes slot `slot` (`rows` rows) in place; false when its rows hold a NaN or an infinity. */
export type SlotCompute = (slot: number, rows: number) => boolean;

/** A result array: Int32Array when the layout's outputs are 4 bytes, else Float64Array. */
export type StreamOutput = Int32Array | Float64Array;

const controls = new WeakMap<WasmMemory, Int32Array>();

/** The control words of the arena in `memory`, with room for `slots` slots. */
function controlFor(memory: WasmMemory, slots: number): Int32Array {
  let c = controls.get(memory);
  if (!c || c.length < STATE + 2 * slots) {
    // A new block when more slots are needed; a task of an earlier call keeps the old one, where
    // its call is over (END set), so it returns at once.
    c = new Int32Array(new SharedArrayBuffer(4 * (STATE + 2 * Math.max(slots, 16))));
    controls.set(memory, c);
  }
  return c;
}

const tagOf = (gen: number) => (gen & 0xffffff) << 3;

/** Takes a filled slot of generation `tag` (compare-and-swap); -1 when none is filled. */
function claim(I: Int32Array, slots: number, tag: number): number {
  for (let s = 0; s < slots; s++) {
    if (
      Atomics.load(I, STATE + s) === (tag | FILLED) &&
      Atomics.compareExchange(I, STATE + s, tag | FILLED, tag | CLAIMED) === (tag | FILLED)
    )
      return s;
  }
  return -1;
}

/**
 * Computes slot s and publishes its new state: done, bad, or failed (the error is rethrown) — only
 * if the slot is still this call's claim. A task of an earlier call can still be finishing a slot
 * when a new call has reset the slots (the calling thread resets them before the pool lets the new
 * batch start); its result must not land as one of the new call's.
 */
function computeSlot(I: Int32Array, slots: number, tag: number, s: number, compute: SlotCompute): void {
  let state = FAILED;
  try {
    state = compute(s, I[STATE + slots + s]) ? DONE : BAD;
  } finally {
    if (Atomics.compareExchange(I, STATE + s, tag | CLAIMED, tag | state) === (tag | CLAIMED)) {
      if (state === FAILED) Atomics.store(I, ABORT, 1);
      signal(I);
    }
  }
}

/**
 * Bumps SEQ and wakes the threads asleep on it if the flag says some are. (The flag is raised
 * before sleeping and cleared after bumping, both sequentially consistent: either the waker sees
 * it, or the sleeper's wait sees the new sequence number and returns at once.)
 */
function signal(I: Int32Array): void {
  Atomics.add(I, SEQ, 1);
  if (Atomics.exchange(I, ASLEEP, 0) !== 0) Atomics.notify(I, SEQ);
}

/** Watches SEQ for up to {@link SPIN_MS}, then sleeps; returns once it is no longer `seen` or `ms` have passed. */
function await_(I: Int32Array, seen: number, ms = WAIT_MS): 'ok' | 'not-equal' | 'timed-out' {
  const until = performance.now() + Math.min(SPIN_MS, ms);
  do {
    for (let i = 0; i < 64; i++) if (Atomics.load(I, SEQ) !== seen) return 'not-equal';
  } while (performance.now() < until);
  if (ms <= SPIN_MS) return 'timed-out';
  Atomics.store(I, ASLEEP, 1);
  return Atomics.wait(I, SEQ, seen, ms - SPIN_MS);
}

/**
 * A worker's side (run inside a pool task): takes filled slots of its call and computes them
 * until the calling thread has sent every row and none is left to take, or the call is over or
 * aborted. Returns the number of slots computed. A computation that throws marks the slot failed,
 * aborts the stream and rethrows (the pool reports the error to the calling thread).
 */
export function consumeSlots(t: StreamTicket, compute: SlotCompute): number {
  const I = t.control;
  const S = t.layout.slots;
  const tag = tagOf(t.gen);
  if (Atomics.load(I, GEN) !== t.gen) return 0;
  Atomics.add(I, STARTED, 1);
  let done = 0;
  for (;;) {
    const seen = Atomics.load(I, SEQ);
    if (Atomics.load(I, GEN) !== t.gen || Atomics.load(I, ABORT)) return done;
    // END is read before looking for a slot: once it is set every fill is visible, so finding
    // nothing then means there is nothing left.
    const ended = Atomics.load(I, END);
    const s = claim(I, S, tag);
    if (s >= 0) {
      computeSlot(I, S, tag, s, compute);
      done++;
      continue;
    }
    if (ended) return done;
    await_(I, seen);
  }
}

/**
 * Internal switches for tests: with `callerComputes` false the calling thread computes no slot
 * (the workers compute every one); with `checkLoad` false streams run even when the machine is
 * busy (see {@link streamPool}).
 */
export const streamTuning = { callerComputes: true, checkLoad: true };

let calls = 0;

/** How many times {@link streamRows} has run on this thread (lets tests see which path ran). */
export function rowStreamCalls(): number {
  return calls;
}

/**
 * The pool to stream rows on with `threads` threads (the calling thread and `threads − 1`
 * workers), or null to stay on the calling thread: one thread, no worker started yet (this call
 * starts them, for next time — unless `start` is false: a call too small to be worth the ~5 ms
 * that starting a worker costs the calling thread), the pool
 * still busy (e.g. a worker still starting up with the task of an earlier call), or the machine's
 * cores already busy with other work.
 */
export function streamPool(threads: number, start = true): ThreadExecutor | null {
  if (threads < 2) return null;
  const pool = sharedPool(threads);
  if (!start && pool.workers() < threads - 1) return null;
  if (pool.warm(threads - 1) < threads - 1) return null;
  if (!pool.idle()) return null;
  return streamTuning.checkLoad && oversubscribed(threads) ? null : pool;
}

let cores = 0;

/** True when other processes already keep busy the cores `threads` threads would need (see `cpu-load.ts`). */
function oversubscribed(threads: number): boolean {
  if (cores === 0) cores = availableParallelism();
  return othersFillCores(threads, cores);
}

/**
 * Gets the pool ready for streams with `threads` threads, without waiting: starts its workers, makes
 * this thread's arena (`arena()`, see {@link streamArena}) and runs `task(arena)` — a stream
 * module's preparation: loading the module, touching the arena's pages (see {@link touchPages}),
 * binding its kernels to the arena and running them a little so that V8 compiles and optimises
 * them (WebAssembly functions are compiled on their first call, and optimised once they have run
 * a while) — on a worker as a detached batch. Called by fits, so that all this happens while the
 * calling thread fits, not in the first predict or transform. Also takes a load sample (see
 * `sampleLoad`), so the first stream's check of the machine's load measures it over the fit.
 * Does nothing on one thread or when the pool is busy.
 */
export function prepareStream(
  threads: number,
  task: (arena: StreamArena<unknown>) => Task,
  arena: () => StreamArena<unknown>,
): void {
  if (threads < 2) return;
  const pool = sharedPool(threads);
  if (!pool.idle()) return;
  sampleLoad();
  pool.warm(threads - 1);
  pool.begin([task(arena())]).detach();
}

/**
 * Writes a zero into every 4 KB page of `memory` (a new memory, all zeros already): the first touch
 * of a fresh page costs ~16 µs on the virtual machines measured, and a worker preparing a stream
 * pays it instead of the first call.
 */
export function touchPages(memory: WasmMemory): void {
  const b = new Uint8Array(memory.buffer);
  for (let i = 0; i < b.length; i += 4096) b[i] = 0;
}

/** Options of {@link streamRows}. */
export interface StreamRowsOptions {
  /** The rows, n × d row-major (any memory). */
  X: Float64Array;
  n: number;
  /** The arena (its constants already written) and its layout. */
  memory: WasmMemory;
  layout: StreamLayout;
  /** The result, n × outWidth (Int32Array when the layout's outputs are 4 bytes, else Float64Array). */
  out: StreamOutput;
  /** Computes a slot on the calling thread (consumer 0). */
  compute: SlotCompute;
  /** Where the workers' tasks run. */
  pool: { begin<R>(tasks: readonly Task[]): PendingBatch<R> };
  /** The tasks of workers 1, 2, … for a ticket (each calls {@link consumeSlots}). */
  tasks: (ticket: StreamTicket) => readonly Task[];
}

/**
 * The calling thread's side: streams rows [0, n) of X through the arena's slots with the
 * workers, writing each row's outputs into `out`. Returns false (and stops early) when a block
 * held a NaN or an infinity — the caller then locates it. Returns once every row is done and no
 * worker is computing; a worker's error is rethrown.
 */
export function streamRows(o: StreamRowsOptions): boolean {
  calls++;
  const { X, n, memory, layout: L, out, compute } = o;
  const S = L.slots;
  const d = L.d;
  const width = L.outWidth;
  const I = controlFor(memory, S);
  // A new generation first (tasks of an earlier call see it and leave), then the words reset.
  const gen = (Atomics.load(I, GEN) + 1) & 0x3fffffff;
  Atomics.store(I, GEN, gen);
  const tag = tagOf(gen);
  for (let w = SEQ; w < STATE; w++) Atomics.store(I, w, 0);
  for (let s = 0; s < S; s++) Atomics.store(I, STATE + s, tag | EMPTY);
  if (n === 0) Atomics.store(I, END, 1);
  const F = new Float64Array(memory.buffer);
  const O = L.outBytes === 4 ? new Int32Array(memory.buffer) : F;
  const starts = new Array<number>(S).fill(0);
  // Slots whose rows this thread has computed itself while a worker still held them (see below).
  const abandoned = new Array<boolean>(S).fill(false);
  const tasks = o.tasks({ memory, layout: L, control: I, gen });
  const batch = o.pool.begin<number>(tasks);
  let next = 0;
  let finite = true;
  let failed = false;
  let slotMs = 0.25;
  let tailSince = -1;
  const stop = () => {
    Atomics.store(I, ABORT, 1);
    signal(I);
  };
  try {
    for (;;) {
      // Read before looking at the slots, so that a change made while looking ends the wait below.
      const seen = Atomics.load(I, SEQ);
      let progressed = false;
      let held = 0; // slots filled or taken by a worker, not yet done

      // Finished slots: their outputs into the result, the slot free again.
      for (let s = 0; s < S; s++) {
        const st = Atomics.load(I, STATE + s) & 7;
        if (st === DONE) {
          if (!abandoned[s]) {
            const from = (L.out + s * L.outStride) / L.outBytes;
            copyValues(out, starts[s] * width, O, from, I[STATE + S + s] * width);
          }
          abandoned[s] = false;
          Atomics.store(I, STATE + s, tag | EMPTY);
          progressed = true;
        } else if (st === BAD && !abandoned[s]) finite = false;
        else if (st === FAILED) failed = true;
        else if ((st === CLAIMED && !abandoned[s]) || st === FILLED) held++;
      }
      if (!finite || failed) break;
      // Free slots: the next blocks of rows.
      for (let s = 0; s < S && next < n; s++) {
        if (Atomics.load(I, STATE + s) !== (tag | EMPTY)) continue;
        const r = Math.min(L.rows, n - next);
        copyValues(F, (L.x + s * L.xStride) / 8, X, next * d, r * d);
        I[STATE + S + s] = r;
        starts[s] = next;
        next += r;
        Atomics.store(I, STATE + s, tag | FILLED);
        if (next >= n) Atomics.store(I, END, 1);
        signal(I);
        progressed = true;
      }
      if (progressed) continue;
      // Nothing to copy: compute a filled slot here.
      const s = streamTuning.callerComputes ? claim(I, S, tag) : -1;
      if (s >= 0) {
        const t = performance.now();
        computeSlot(I, S, tag, s, compute);
        slotMs = 0.8 * slotMs + 0.2 * (performance.now() - t);
        continue;
      }
      if (next >= n && held === 0) break; // every row done (a worker may still hold an abandoned slot)
      // Only slots held by workers are left. A worker normally finishes its slot within about the
      // time this thread takes for one; one that has not (descheduled on a busy machine, or
      // dead) would hold up the whole call, so after twice that this thread computes those rows
      // itself in a free slot — the same kernel on the same rows, so the same bits — and leaves
      // the worker's copy to be thrown away.
      const takeover = streamTuning.callerComputes && next >= n ? Math.max(0.1, 2 * slotMs) : WAIT_MS;
      if (next >= n && tailSince < 0) tailSince = performance.now();
      const left = next >= n ? tailSince + takeover - performance.now() : WAIT_MS;
      if (next >= n && left <= 0) {
        for (let h = 0; h < S && finite; h++) {
          if (Atomics.load(I, STATE + h) !== (tag | CLAIMED) || abandoned[h]) continue;
          const free = firstEmpty(I, S, tag);
          const r = I[STATE + S + h];
          copyValues(F, (L.x + free * L.xStride) / 8, X, starts[h] * d, r * d);
          if (!compute(free, r)) finite = false;
          else {
            const from = (L.out + free * L.outStride) / L.outBytes;
            copyValues(out, starts[h] * width, O, from, r * width);
          }
          abandoned[h] = true;
        }
        tailSince = -1;
        continue;
      }
      if (
        await_(I, seen, Math.max(left, 0)) === 'timed-out' &&
        batch.poll() &&
        anyClaimed(I, S, tag, abandoned)
      ) {
        // The workers' tasks have all ended with a slot still taken: one died (join says how).
        failed = true;
        break;
      }
    }
  } catch (e) {
    stop();
    batch.cancel();
    throw e;
  }
  if (!finite || failed) {
    stop();
    if (failed || abandoned.every((a) => !a)) batch.join();
    else batch.detach();
    if (failed) throw new Error('row stream: a worker stopped before finishing its rows');
    return false;
  }
  // Every row is done. The workers are leaving (END is set); give them a moment, then let any
  // that has not finished (still booting, descheduled, or computing an abandoned slot) end in the
  // background: the pool counts as busy until then, and the next stream goes to one thread.
  const until = performance.now() + 0.5;
  while (!batch.poll() && performance.now() < until) {}
  if (batch.poll()) batch.join();
  else batch.detach();
  return true;
}

/** The first free slot of generation `tag` (there is one whenever a worker holds a slot at the end). */
function firstEmpty(I: Int32Array, slots: number, tag: number): number {
  for (let s = 0; s < slots; s++) if (Atomics.load(I, STATE + s) === (tag | EMPTY)) return s;
  throw new Error('row stream: no free slot');
}

/** True when some slot of generation `tag` is being computed by a worker (and not given up on). */
function anyClaimed(I: Int32Array, slots: number, tag: number, abandoned: readonly boolean[]): boolean {
  for (let s = 0; s < slots; s++) {
    if (Atomics.load(I, STATE + s) === (tag | CLAIMED) && !abandoned[s]) return true;
  }
  return false;
}
