/**
 * Whether other processes keep this machine's cores busy: the test row streams (`row-stream.ts`)
 * make before they put a worker beside the calling thread. On a 2-core VM with a load average of
 * ~5 from other jobs, a streamed 100 000-row predict took about twice one thread's time (a worker
 * that gets no core holds its slots while the calling thread waits for them).
 *
 * The measure is the CPU time other processes used over the last 0.1–60 s: the machine's busy
 * time from `/proc/stat` (all processes, in clock ticks) minus this process's own CPU time (all its
 * threads: `process.cpuUsage`), per second of wall time. This process's threads are left out on
 * purpose — the pool's workers, and V8's compiler and garbage-collector threads, which run for a
 * few ms after much new code has run (right after a fit): the instant count of runnable threads
 * (`procs_running`), which the streams used before, caught those about half the time in the
 * 10 ms after a k-means fit, and the first predict then ran on one thread. Without a window old
 * enough (the first call in a process that has not sampled before, or one more than a minute after
 * the last sample) the instant count is used, less one for the calling thread. A decision is kept
 * for 0.1 s: reading `/proc/stat` costs 0.1–0.3 ms on the VMs measured, a tenth of a 100 000-row
 * predict.
 *
 * Linux only; elsewhere the cores are taken to be free.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** One reading: wall ms (`performance.now()`), the machine's busy clock ticks, this process's CPU µs. */
export interface LoadSample {
  wall: number;
  busyTicks: number;
  ownMicros: number;
}

/** What `/proc/stat` says: the aggregate CPU line's busy ticks and the runnable-thread count. */
export interface ProcStat {
  busyTicks: number;
  procsRunning: number;
}

/** Clock ticks per second of `/proc/stat` (USER_HZ, 100 on every Linux build in use). */
export const TICKS_PER_SECOND = 100;
/** The shortest window worth a rate: at 100 ticks a second, shorter ones are mostly rounding. */
export const MIN_WINDOW_MS = 100;
/** Samples older than this no longer describe the present. */
export const MAX_WINDOW_MS = 60_000;
/** A new reference sample is kept every this many ms (so a busy caller's window stays recent). */
const ROTATE_MS = 500;

/**
 * Reads the aggregate `cpu` line (user, nice, system, idle, iowait, irq, softirq, steal, …) and
 * `procs_running` of a `/proc/stat` text; busy = everything but idle and iowait (steal counts as
 * busy: the hypervisor gave that time to someone else). Null when the text has neither.
 */
export function parseProcStat(text: string): ProcStat | null {
  const cpu = /^cpu\s+([\d\s]+)$/m.exec(text);
  const running = /^procs_running (\d+)$/m.exec(text);
  if (!cpu || !running) return null;
  const f = cpu[1].trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busyTicks: total - (f[3] ?? 0) - (f[4] ?? 0), procsRunning: Number(running[1]) };
}

/** Cores other processes kept busy between two samples (never below zero). */
export function othersBusyCores(from: LoadSample, to: LoadSample): number {
  const seconds = (to.wall - from.wall) / 1000;
  const busy = (to.busyTicks - from.busyTicks) / TICKS_PER_SECOND;
  const own = (to.ownMicros - from.ownMicros) / 1e6;
  return Math.max(0, (busy - own) / seconds);
}

/**
 * The decision, from the samples: `threads` threads fit when other processes' busy cores leave
 * them room (with half a core to spare for rounding); with no usable window, when the runnable
 * threads besides the calling one leave room.
 */
export function coresTaken(
  stat: ProcStat,
  now: LoadSample,
  reference: LoadSample | null,
  threads: number,
  cores: number,
): boolean {
  const window = reference ? now.wall - reference.wall : 0;
  if (reference && window >= MIN_WINDOW_MS && window <= MAX_WINDOW_MS) {
    return othersBusyCores(reference, now) + threads > cores + 0.5;
  }
  return stat.procsRunning - 1 + threads > cores;
}

/** This process's samples: the older is the reference once the newer is too recent. */
let older: LoadSample | null = null;
let newer: LoadSample | null = null;
/** The last decision of {@link othersFillCores}, reused for {@link MIN_WINDOW_MS}. */
let lastDecision: { wall: number; threads: number; cores: number; taken: boolean } | null = null;

let reads = 0;

/** How many times this thread has read /proc/stat (lets tests see a decision reused). */
export function loadReads(): number {
  return reads;
}

function readStat(): ProcStat | null {
  if (process.platform !== 'linux') return null;
  reads++;
  try {
    return parseProcStat(readFileSync('/proc/stat', 'latin1'));
  } catch {
    return null;
  }
}

function sampleOf(stat: ProcStat): LoadSample {
  const c = process.cpuUsage();
  return { wall: performance.now(), busyTicks: stat.busyTicks, ownMicros: c.user + c.system };
}

/** Keeps `s` as the newer sample if the newer one is old enough to become the older. */
function keep(s: LoadSample): void {
  if (!newer || s.wall - newer.wall >= ROTATE_MS) {
    older = newer;
    newer = s;
  }
}

/**
 * Takes a sample now, so that a decision soon after has a window (called when a fit gets the
 * pool ready for later streams: the fit's time becomes the first predict's window).
 */
export function sampleLoad(): void {
  const stat = readStat();
  if (stat) keep(sampleOf(stat));
}

/**
 * True when other processes keep busy the cores that `threads` threads of this process would
 * need, out of `cores` (see the module comment for the measure).
 */
export function othersFillCores(threads: number, cores: number): boolean {
  // Reading /proc/stat costs ~0.1-0.3 ms (a tenth of a 100 000-row predict): a decision is kept
  // for MIN_WINDOW_MS, the shortest window a new one could measure anyway.
  const wall = performance.now();
  const last = lastDecision;
  if (last && last.threads === threads && last.cores === cores && wall - last.wall < MIN_WINDOW_MS) {
    return last.taken;
  }
  const stat = readStat();
  if (!stat) return false;
  const now = sampleOf(stat);
  const reference = newer && now.wall - newer.wall >= MIN_WINDOW_MS ? newer : older;
  const taken = coresTaken(stat, now, reference, threads, cores);
  keep(now);
  lastDecision = { wall: now.wall, threads, cores, taken };
  return taken;
}
