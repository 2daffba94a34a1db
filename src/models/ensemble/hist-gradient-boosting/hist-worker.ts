/**
 * The code each thread of a {@link HistWorkers} group runs: wait on the control block, do the job
 * (take a new arena, build a range of features of one node's histograms, or let go of the arena),
 * count itself done, wait again.
 *
 * @module
 */

import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CTRL, featureRange, JOB } from './hist-workers.ts';
import { type KernelKind, type Kernels, makeKernels } from './kernels.ts';
import type { WasmMemory } from './wasm.ts';

const { ctrl, port, index } = workerData as { ctrl: Int32Array; port: MessagePort; index: number };
let kernels: Kernels | null = null;
let seen = 0;

for (;;) {
  Atomics.wait(ctrl, CTRL.GEN, seen);
  seen = Atomics.load(ctrl, CTRL.GEN);
  const type = Atomics.load(ctrl, CTRL.TYPE);
  if (type === JOB.ARENA) {
    let msg = receiveMessageOnPort(port);
    while (!msg) msg = receiveMessageOnPort(port);
    const { memory, kind } = msg.message as { memory: WasmMemory; kind: KernelKind };
    kernels = makeKernels(memory, kind);
  } else if (type === JOB.RELEASE) {
    kernels = null;
  } else if (type === JOB.HIST && kernels) {
    const a = CTRL.ARGS;
    const [bins, nRows, idx, cnt, gh, d, slots, hist, counts, root] = [
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
    ];
    const [f0, f1] = featureRange(d, ctrl[CTRL.THREADS], index);
    if (f1 > f0) {
      kernels.clearHist(f0, f1, slots, hist, counts);
      if (root) kernels.buildHistRoot(bins, nRows, cnt, gh, f0, f1, slots, hist, counts);
      else kernels.buildHist(bins, nRows, idx, cnt, gh, f0, f1, slots, hist, counts);
    }
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
