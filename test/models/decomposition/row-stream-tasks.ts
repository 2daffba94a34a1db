// Worker side of test/models/decomposition/row-stream.test.ts: a toy per-row computation on the
// arena (out = 2 × the row's sum) run by consumeSlots, so the streaming protocol can be tested
// without a model.
import { registerTask } from '../../../src/core/pool.ts';
import {
  consumeSlots,
  type SlotCompute,
  type StreamTicket,
} from '../../../src/models/decomposition/row-stream.ts';

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

/** A worker's share: counts the slots it computed in who[consumer]. */
export function rowSumsConsumer(t: StreamTicket, who: Int32Array, consumer: number): number {
  return consumeSlots(t, rowSums(t, who, consumer));
}

export const rowSumsConsumerTask = registerTask(import.meta.url, 'rowSumsConsumer', rowSumsConsumer);
