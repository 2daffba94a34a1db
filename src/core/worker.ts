/**
 * The code each pool worker runs: receive `{ id, module, fn, args }`, import the module (cached),
 * call the exported function, and send back `{ id, ok, value }` or `{ id, ok: false, error }` on the
 * result port, then bump the shared completion counter and wake the waiting thread.
 *
 * Only modules named by the main thread are imported — never anything read from a data file.
 *
 * @module
 */

import { type MessagePort, parentPort, type TransferListItem, workerData } from 'node:worker_threads';
import { taskErrorOf } from './task-error.ts';
import { type LatheWarning, onWarning } from './warnings.ts';

interface WorkerInit {
  resultPort: MessagePort;
  signal: Int32Array;
}

interface TaskMessage {
  id: number;
  module: string;
  fn: string;
  args: unknown[];
}

const { resultPort, signal } = workerData as WorkerInit;

// A task's warnings go back with its result and are emitted on the calling thread, whose handler
// prints each distinct one once (each worker printing its own would repeat them once per worker).
let warnings: LatheWarning[] = [];
onWarning((w) => warnings.push(w));

/** The warnings of the task that ends, and a fresh list for the next. */
function takeWarnings(): LatheWarning[] {
  const w = warnings;
  warnings = [];
  return w;
}
const modules = new Map<string, Promise<Record<string, unknown>>>();

function load(url: string): Promise<Record<string, unknown>> {
  let m = modules.get(url);
  if (!m) {
    m = import(url) as Promise<Record<string, unknown>>;
    modules.set(url, m);
  }
  return m;
}

function done(message: unknown, transfer: TransferListItem[] = []): void {
  resultPort.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** Typed-array buffers in a result are transferred rather than copied (unless shared). */
function transferables(value: unknown, out: TransferListItem[] = [], depth = 0): TransferListItem[] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    if (b instanceof ArrayBuffer && b.byteLength === value.byteLength && !out.includes(b)) out.push(b);
    return out;
  }
  if (Array.isArray(value)) for (const v of value) transferables(v, out, depth + 1);
  else for (const v of Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

let current = -1;

// A task that ends the thread (process.exit) must still release the waiting caller.
process.on('exit', (code) => {
  if (current >= 0) {
    done({
      id: current,
      ok: false,
      fatal: true,
      error: { name: 'Error', message: `worker thread exited (code ${code}) while running a task` },
    });
  }
});

parentPort!.on('message', async (task: TaskMessage) => {
  current = task.id;
  warnings = [];
  try {
    const mod = await load(task.module);
    const fn = mod[task.fn];
    if (typeof fn !== 'function')
      throw new Error(`worker task: ${task.module} has no exported function '${task.fn}'`);
    const value = await (fn as (...a: unknown[]) => unknown)(...task.args);
    current = -1;
    done({ id: task.id, ok: true, value, warnings: takeWarnings() }, transferables(value));
  } catch (e) {
    current = -1;
    done({ id: task.id, ok: false, error: taskErrorOf(e), warnings: takeWarnings() });
  }
});
