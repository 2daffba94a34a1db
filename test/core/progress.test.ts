// The progress reporter: a bar on a terminal after the delay, nothing otherwise or when quiet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, silentProgress } from '../../src/core/progress.ts';

/** A stand-in for stderr that records what is written. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => writes.push(s) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

describe('createProgress', () => {
  it('draws nothing when the stream is not a terminal, or when quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const { stream, writes } = fakeStream(tty);
      const p = createProgress({ total: 10, stream, quiet, delayMs: 0 });
      assert.equal(p, silentProgress);
      p.tick(5);
      p.finish();
      assert.deepEqual(writes, []);
    }
  });

  it('draws a bar with the label, percentage and count on a terminal, then clears it', () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgress({ total: 4, label: 'tune gbdt', stream, delayMs: 0 });
    p.label('tune gbdt'); // a label change always redraws
    p.update(2);
    p.label('tune gbdt (2 pruned)');
    const last = writes[writes.length - 1];
    assert.match(last, /^\rtune gbdt \(2 pruned\) \[#+-+\]\s+50% 2\/4/);
    assert.ok(last.endsWith('\x1b[K'));
    p.finish();
    assert.equal(writes[writes.length - 1], '\r\x1b[K');
    const n = writes.length;
    p.finish(); // safe twice: nothing more to clear
    assert.equal(writes.length, n);
  });

  it('shows a counter when the total is unknown', () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgress({ label: 'rows', stream, delayMs: 0 });
    p.update(1234);
    p.label('rows');
    assert.match(writes[writes.length - 1], /^\rrows 1234 \(\d+\.\ds\)/);
  });

  it('stays silent until the delay has passed (short jobs draw nothing)', () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgress({ total: 3, stream, delayMs: 60_000 });
    p.tick();
    p.label('x');
    p.tick(2);
    p.finish();
    assert.deepEqual(writes, []);
  });

  it('omits the eta with eta: false, and always draws the last step (no throttle at 100 %)', () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgress({ total: 3, label: 'train: fitting', stream, delayMs: 0, eta: false });
    p.label('train: fitting');
    p.tick();
    p.tick(2); // within 100 ms of the last draw: drawn because it completes the bar
    assert.match(writes[writes.length - 1], /^\rtrain: fitting \[#+\] 100% 3\/3/);
    assert.ok(writes[writes.length - 1].endsWith('\x1b[K'));
    assert.ok(writes.every((w) => !w.includes('eta')));
  });

  it('draws a new stage label at once when it starts after the delay', async () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgress({ total: 4, label: 'train: reading', stream, delayMs: 20 });
    p.tick(); // before the delay: nothing
    assert.deepEqual(writes, []);
    await new Promise((r) => setTimeout(r, 30));
    p.label('train: fitting'); // a long synchronous stage starts: its label shows from its start
    assert.match(writes[writes.length - 1], /^\rtrain: fitting \[/);
  });
});
