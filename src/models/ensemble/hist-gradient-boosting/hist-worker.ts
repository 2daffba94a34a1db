/**
 * The code each thread of a {@link HistWorkers} group runs: wait on the control block, do the job
 * (take a new arena, build a range of features of one node's histograms, or let go of the arena),
 * count itself done, wait again.
 *
 * @module
 */

import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { WasmMemory } from '../../../core/wasm.ts';
import {
  barrier,
  CALL_SLOTS,
  CTRL,
  featureRange,
  JOB,
  joinPartition,
  rowRange,
  SPIN,
} from './hist-workers.ts';
import { type KernelKind, type Kernels, makeKernels } from './kernels.ts';
import { addRaw, type TreeEnsemble } from './predictor.ts';
import { PredictKernel } from './wasm-predictor.ts';

const { ctrl, calls, port, index } = workerData as {
  ctrl: Int32Array;
  calls: Float64Array;
  port: MessagePort;
  index: number;
};
let kernels: Kernels | null = null;
let arena: WasmMemory | null = null;
let predictKernel: PredictKernel | null = null;
let seen = 0;

for (;;) {
  // Spin briefly for the next job (they come every few tens of microseconds while a tree grows)
  // before sleeping: waking a sleeping thread costs more than most jobs.
  for (let spin = 0; spin < SPIN && Atomics.load(ctrl, CTRL.GEN) === seen; spin++);
  Atomics.wait(ctrl, CTRL.GEN, seen);
  seen = Atomics.load(ctrl, CTRL.GEN);
  const type = Atomics.load(ctrl, CTRL.TYPE);
  if (type === JOB.ARENA) {
    let msg = receiveMessageOnPort(port);
    while (!msg) msg = receiveMessageOnPort(port);
    const { memory, kind } = msg.message as { memory: WasmMemory; kind: KernelKind };
    kernels = makeKernels(memory, kind);
    arena = memory;
  } else if (type === JOB.PREDICT_MEMORY) {
    let msg = receiveMessageOnPort(port);
    while (!msg) msg = receiveMessageOnPort(port);
    predictKernel = new PredictKernel((msg.message as { memory: WasmMemory }).memory);
  } else if (type === JOB.PREDICT_CHUNK && predictKernel) {
    const c = index * CALL_SLOTS;
    const len = calls[c];
    if (len > 0) predictKernel.run(calls.subarray(c + 1, c + 1 + len));
  } else if (type === JOB.PREDICT) {
    let msg = receiveMessageOnPort(port);
    while (!msg) msg = receiveMessageOnPort(port);
    const { e, X, out, d, n } = msg.message as {
      e: TreeEnsemble;
      X: Float64Array;
      out: Float64Array;
      d: number;
      n: number;
    };
    const [r0, r1] = rowRange(n, ctrl[CTRL.THREADS], index);
    if (r1 > r0) addRaw(e, X, d, r0, r1, 0, e.treeStart.length - 1, out, n, r0);
  } else if (type === JOB.RELEASE) {
    kernels = null;
    arena = null;
  } else if (type === JOB.GRAD && kernels) {
    const a = CTRL.ARGS;
    const [y, raw, wt, gh, n] = [ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4]];
    const [r0, r1] = rowRange(n, ctrl[CTRL.THREADS], index);
    if (r1 > r0) kernels.gradBinomial(y, raw, wt, gh, r0, r1);
  } else if (type === JOB.PARTITION && kernels && arena) {
    const a = CTRL.ARGS;
    const [col, idx, cnt, goesLeft, buf] = [ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4]];
    const threads = ctrl[CTRL.THREADS];
    const [r0, r1] = rowRange(cnt, threads, index);
    ctrl[CTRL.LEFT + index] = kernels.partition(col, idx + r0 * 4, r1 - r0, goesLeft, buf + r0 * 4);
    barrier(ctrl, threads);
    joinPartition(ctrl, new Uint32Array(arena.buffer), idx >> 2, buf >> 2, cnt, threads, index);
  } else if (type === JOB.HIST && kernels) {
    const a = CTRL.ARGS;
    const [bins, nRows, idx, cnt, gh, d, slots, hist, counts, root, grad, rootCounts] = [
      ctrl[a],
      ctrl[a + 1],
      ctrl[a + 2],
      ctrl[a + 3],
      ctrl[a + 4],
      ctrl[a + 5],
      ctrl[a + 6],
      ctrl[a + 7],
      ctrl[a + 8],
      ctrl[a + 9],
      ctrl[a + 10],
      ctrl[a + 11],
    ];
    const threads = ctrl[CTRL.THREADS];
    const [r0, r1] = rowRange(cnt, threads, index);
    if (r1 > r0 && !root) kernels.gather(idx + r0 * 4, r1 - r0, grad, gh + r0 * 16);
    barrier(ctrl, threads);
    const [f0, f1] = featureRange(d, threads, index);
    if (f1 > f0) {
      kernels.clearHist(f0, f1, slots, hist, counts);
      if (rootCounts)
        kernels.buildHistRootSums(bins, nRows, cnt, gh, f0, f1, slots, hist, rootCounts, counts);
      else if (root) kernels.buildHistRoot(bins, nRows, cnt, gh, f0, f1, slots, hist, counts);
      else kernels.buildHist(bins, nRows, idx, cnt, gh, f0, f1, slots, hist, counts);
    }
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
