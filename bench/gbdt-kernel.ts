// The histogram kernel against the machine's memory bandwidth: ns per bin update and bytes
// touched per second for the WebAssembly and TypeScript kernels, at the root (rows in order) and
// for a node holding 40 % of the rows (sorted row indices, as the stable partition leaves them),
// next to a plain copy of a large array (read + write bytes per second).
//
//   node --import tsx bench/gbdt-kernel.ts [--rows 1000000] [--features 20]
import { Rng } from '../src/core/rng.ts';
import { Arena } from '../src/models/ensemble/hist-gradient-boosting/arena.ts';
import {
  type KernelKind,
  makeKernels,
  wasmAvailable,
} from '../src/models/ensemble/hist-gradient-boosting/kernels.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const n = flag('rows', 1_000_000);
const d = flag('features', 20);
const S = 256;
const arena = new Arena(n * d + n * 40 + d * S * 20);
const bins = arena.u8(n * d);
const idx = arena.u32(n);
const grad = arena.f64(2 * n);
const gh = arena.f64(2 * n);
const hist = arena.alloc(d * S * 16);
const counts = arena.alloc(d * S * 4);
const rng = new Rng(1);
for (let i = 0; i < n * d; i++) bins.view[i] = rng.int(255);
for (let i = 0; i < n; i++) {
  grad.view[2 * i] = rng.normal();
  grad.view[2 * i + 1] = rng.random();
}
const subsets = {
  'node40%': Int32Array.from(rng.sample(n, Math.floor(n * 0.4))).sort(),
  'node5%': Int32Array.from(rng.sample(n, Math.floor(n * 0.05))).sort(),
};
const passes = Math.ceil(d / 4);

function best(f: () => void, reps = 7): number {
  let b = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    b = Math.min(b, performance.now() - t);
  }
  return b / 1000;
}

const kinds: KernelKind[] = wasmAvailable() ? ['wasm', 'ts'] : ['ts'];
for (const kind of kinds) {
  const k = makeKernels(arena.memory, kind);
  for (const node of ['root', 'node40%', 'node5%'] as const) {
    const cnt = node === 'root' ? n : subsets[node].length;
    if (node === 'root') for (let i = 0; i < n; i++) idx.view[i] = i;
    else idx.view.set(subsets[node]);
    k.gather(idx.ptr, cnt, grad.ptr, gh.ptr);
    const secs = best(() => {
      k.clearHist(0, d, S, hist, counts);
      if (node === 'root') k.buildHistRoot(bins.ptr, n, cnt, gh.ptr, 0, d, S, hist, counts);
      else k.buildHist(bins.ptr, n, idx.ptr, cnt, gh.ptr, 0, d, S, hist, counts);
    });
    // Bytes read from memory: the bins of every feature, and per pass of four features the
    // (gradient, hessian) pair and, below the root, the row index.
    const bytes = cnt * d + cnt * passes * (16 + (node === 'root' ? 0 : 4));
    console.log(
      JSON.stringify({
        bench: 'gbdt-kernel',
        kernel: kind,
        node,
        rows: cnt,
        features: d,
        seconds: secs,
        nsPerUpdate: (secs * 1e9) / (cnt * d),
        bytesTouchedGBps: bytes / secs / 1e9,
      }),
    );
  }
}
const big = new Float64Array(32 << 20);
const dst = new Float64Array(32 << 20);
big.fill(1);
const copy = best(() => dst.set(big), 5);
console.log(JSON.stringify({ bench: 'gbdt-kernel', memoryCopyGBps: (2 * big.byteLength) / copy / 1e9 }));
