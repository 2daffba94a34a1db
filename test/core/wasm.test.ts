import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignUp, MemoryLayout } from '../../src/core/wasm.ts';

describe('alignUp and MemoryLayout', () => {
  it('rounds up to a multiple, leaving multiples alone', () => {
    assert.equal(alignUp(0, 64), 0);
    assert.equal(alignUp(1, 64), 64);
    assert.equal(alignUp(64, 64), 64);
    assert.equal(alignUp(65, 16), 80);
  });

  it('hands out regions one after another, each start after the previous end rounded up', () => {
    const m = new MemoryLayout(1000, 64); // the base is used as given
    assert.equal(m.take(10), 1000);
    assert.equal(m.take(0), 1024);
    assert.equal(m.take(64), 1024);
    assert.equal(m.take(1), 1088);
    assert.equal(m.end, 1152);
  });
});
