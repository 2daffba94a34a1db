// Worker side of test/core/row-stream.test.ts: a toy per-row computation on the
// arena (out = 2 × the row's sum) run by consumeSlots, so the streaming protocol can be tested
// without a model.
import { registerTask } from '../../src/core/pool.ts';
import { consumeSlots, type SlotCompute, type StreamTicket } from '../../src/core/row-stream.ts';

/** The toy computation on slot s: out[r] = 2·Σ_j x[r, j]; false when a value is NaN; throws on -999. */
export function rowSums(t: StreamTicket, who: Int32Array, consumer: number): SlotCompute {
  const L = t.layout;
  return (s, rows) => {
    const F = new Float64Array(t.memory.buffer);
    const x = (L.x + s * L.xStride) / 8;
    const o = (L.out + s * L.outStride) / 8;
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let j = 0; j < L.d; j++) {
        const v = F[x + r * L.d + j];
        if (v === -999) throw new RangeError(`bad row in slot ${s}`);
        if (Number.isNaN(v)) return false;
        sum += v;
      }
      F[o + r] = 2 * sum;
    }
    Atomics.add(who, consumer, 1);
    return true;
  };
}

/**
 * A worker's share: counts the slots it computed in who[consumer]. With `slow` ([taken, finished]
 * flags) and `slowMs`, the worker raises `taken` when it takes a slot, sleeps `slowMs` (a worker
 * descheduled on a busy machine), computes, then raises `finished`.
 */
export function rowSumsConsumer(
  t: StreamTicket,
  who: Int32Array,
  consumer: number,
  slowMs = 0,
  slow?: Int32Array,
): number {
  const compute = rowSums(t, who, consumer);
  return consumeSlots(t, (s, rows) => {
    if (slow) {
      Atomics.store(slow, 0, 1);
      Atomics.notify(slow, 0);
    }
    if (slowMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, slowMs);
    const ok = compute(s, rows);
    if (slow) Atomics.store(slow, 1, 1);
    return ok;
  });
}

export const rowSumsConsumerTask = registerTask(import.meta.url, 'rowSumsConsumer', rowSumsConsumer);
