// The load check of row streams (cpu-load.ts): /proc/stat parsing, other processes' busy cores
// over a window (this process's own CPU time left out), and the decision with and without a
// usable window.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  coresTaken,
  type LoadSample,
  MAX_WINDOW_MS,
  MIN_WINDOW_MS,
  othersBusyCores,
  type ProcStat,
  parseProcStat,
} from '../../src/core/cpu-load.ts';

const STAT = `cpu  7233163 166 1542036 2398457 13647 0 17161 25 0 0
cpu0 3545636 8 746886 1297703 4293 0 7672 0 0 0
cpu1 3687526 157 795150 1100754 9354 0 9489 25 0 0
intr 1 2 3
ctxt 99
procs_running 3
procs_blocked 0
`;

describe('parseProcStat', () => {
  it('reads busy ticks (all but idle and iowait, steal included) and procs_running', () => {
    const s = parseProcStat(STAT);
    assert.deepEqual(s, { busyTicks: 7233163 + 166 + 1542036 + 17161 + 25, procsRunning: 3 });
  });

  it('returns null for a text without the lines', () => {
    assert.equal(parseProcStat('cpu0 1 2 3 4\n'), null);
    assert.equal(parseProcStat('cpu  1 2 3 4 5 6 7 8\n'), null);
  });

  it('reads this machine', { skip: process.platform !== 'linux' }, () => {
    const s = parseProcStat(readFileSync('/proc/stat', 'latin1'));
    assert.ok(s && s.busyTicks > 0 && s.procsRunning >= 1);
  });
});

const at = (wall: number, busyTicks: number, ownMicros: number): LoadSample => ({
  wall,
  busyTicks,
  ownMicros,
});

describe('othersBusyCores', () => {
  it('is the busy time per second less this process own CPU time', () => {
    // 2 s; 300 ticks = 3 busy core-seconds, of which 1 s is this process: 1 core elsewhere.
    assert.equal(othersBusyCores(at(1000, 500, 0), at(3000, 800, 1e6)), 1);
    // This process alone kept both cores busy.
    assert.equal(othersBusyCores(at(0, 0, 0), at(1000, 200, 2e6)), 0);
  });

  it('never goes below zero (tick rounding)', () => {
    assert.equal(othersBusyCores(at(0, 0, 0), at(100, 0, 5000)), 0);
  });
});

describe('coresTaken', () => {
  const stat = (procsRunning: number): ProcStat => ({ busyTicks: 0, procsRunning });

  it('uses other processes busy cores over a usable window', () => {
    const from = at(0, 0, 0);
    // One core busy elsewhere on 2 cores: 2 threads do not fit; 1.
    const busy = at(1000, 100, 0);
    assert.equal(coresTaken(stat(1), busy, from, 2, 2), true);
    assert.equal(coresTaken(stat(1), busy, from, 1, 2), false);
    // This process's own threads (a worker, V8's compiler) are not others: 2 threads fit, whatever
    // procs_running said at that instant.
    const own = at(1000, 200, 2e6);
    assert.equal(coresTaken(stat(3), own, from, 2, 2), false);
    // Less than half a core elsewhere is rounding; more is not.
    assert.equal(coresTaken(stat(1), at(1000, 40, 0), from, 2, 2), false);
    assert.equal(coresTaken(stat(1), at(1000, 60, 0), from, 2, 2), true);
  });

  it('falls back to the instant count without a usable window', () => {
    const now = at(MAX_WINDOW_MS + 10_000, 0, 0);
    for (const reference of [null, at(now.wall - MIN_WINDOW_MS / 2, 0, 0), at(0, 0, 0)]) {
      // The calling thread counts itself among the runnable threads.
      assert.equal(coresTaken(stat(1), now, reference, 2, 2), false);
      assert.equal(coresTaken(stat(2), now, reference, 2, 2), true);
    }
  });
});

describe('othersFillCores on this machine', { skip: process.platform !== 'linux' }, () => {
  it('sees another process that keeps a core busy', async () => {
    const { loadReads, othersFillCores } = await import('../../src/core/cpu-load.ts');
    const child = spawn(process.execPath, [
      '-e',
      "process.stdout.write('go'); const t = Date.now() + 3000; while (Date.now() < t);",
    ]);
    try {
      await new Promise((r) => child.stdout.once('data', r));
      othersFillCores(2, 2); // the reference sample
      await new Promise((r) => setTimeout(r, 400));
      // About one core busy elsewhere out of two: two threads of this process do not fit.
      assert.equal(othersFillCores(2, 2), true);
      // Kept for MIN_WINDOW_MS: no second read of /proc/stat.
      const reads = loadReads();
      assert.equal(othersFillCores(2, 2), true);
      assert.equal(loadReads(), reads);
      othersFillCores(1, 2);
      assert.equal(loadReads(), reads + 1, 'another thread count is decided anew');
    } finally {
      child.kill();
    }
  });
});
