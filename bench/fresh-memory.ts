// What fresh memory costs on this machine, in Node and in NumPy side by side — the floor under
// every "make a new output per call" figure in the other benches (a prediction array, a
// transformed matrix).
//
// Three jobs, each timed as the median of many calls in a warmed-up process:
//   - labels:  a new n-element array filled with class labels (JS Array in Node; an int64 array
//              in NumPy, what `predict` returns) — over 16 384 elements a JS array lives in V8's
//              large-object space, which maps fresh pages for every array and unmaps them after GC;
//   - f64:     a new n-element Float64Array / float64 array, filled;
//   - touch:   the first write to each 4 KiB page of a fresh 64 MiB buffer, per page.
// NumPy frees an array the moment its last reference goes and glibc hands the same memory to the
// next one; V8 frees in batches at garbage collection, and freed large blocks go back to the
// kernel. Where first touches are expensive (a virtual machine whose freed pages go back to the
// host) the difference dominates small per-call figures. Node runs twice: as is, and with
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (the setting bench/linear.ts and bench/cluster-pca.ts use:
// glibc then asks for transparent huge pages for large blocks, as NumPy does for its arrays). The
// setting reaches memory from malloc (typed arrays), not V8's own heap (the JS label array).
//
//   node --import tsx bench/fresh-memory.ts [--calls 300]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const i = args.indexOf('--calls');
const calls = i >= 0 ? Number(args[i + 1]) : 300;
const SIZES = [10_000, 20_000, 200_000];
const TOUCH_BYTES = 64 << 20;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timeCalls(job: () => unknown): number {
  for (let k = 0; k < 20; k++) job(); // warm-up (JIT)
  const times: number[] = [];
  let sink: unknown;
  for (let k = 0; k < calls; k++) {
    const t = performance.now();
    sink = job();
    times.push(performance.now() - t);
  }
  if (sink === undefined) throw new Error('unreachable');
  return median(times);
}

function nodeFigures(): Record<string, number> {
  const out: Record<string, number> = {};
  const classes = [0, 1];
  for (const n of SIZES) {
    const codes = Int32Array.from({ length: n }, (_, k) => (k * 7919) % 2);
    out[`labels ${n}`] = timeCalls(() => {
      const a = new Array<number>(n);
      for (let k = 0; k < n; k++) a[k] = classes[codes[k]];
      return a;
    });
    out[`f64 ${n}`] = timeCalls(() => {
      const a = new Float64Array(n);
      for (let k = 0; k < n; k++) a[k] = codes[k];
      return a;
    });
  }
  const touches: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    const b = new Uint8Array(TOUCH_BYTES);
    for (let k = 0; k < TOUCH_BYTES; k += 4096) b[k] = 1;
    touches.push(((performance.now() - t) / (TOUCH_BYTES / 4096)) * 1000);
  }
  out['touch µs/page'] = median(touches);
  return out;
}

const PY = `
import json, sys, time
import numpy as np
calls = int(sys.argv[1]); sizes = json.loads(sys.argv[2]); touch = int(sys.argv[3])
def t(job):
    for _ in range(20): job()
    xs = []
    for _ in range(calls):
        a = time.perf_counter(); job(); xs.append((time.perf_counter() - a) * 1e3)
    xs.sort(); return xs[len(xs) // 2]
out = {}
classes = np.array([0, 1])
for n in sizes:
    codes = (np.arange(n) * 7919) % 2
    out[f"labels {n}"] = t(lambda: classes.take(codes))
    out[f"f64 {n}"] = t(lambda: codes.astype(np.float64))
ts = []
for _ in range(5):
    a = time.perf_counter(); b = np.empty(touch, np.uint8); b[::4096] = 1; ts.append((time.perf_counter() - a) / (touch / 4096) * 1e6)
ts.sort(); out["touch µs/page"] = ts[len(ts) // 2]
print(json.dumps(out))
`;

if (args.includes('--child')) {
  console.log(JSON.stringify(nodeFigures()));
  process.exit(0);
}

function nodeChild(hugepages: boolean): Record<string, number> {
  const env = { ...process.env, ...(hugepages ? { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } : {}) };
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', '--calls', String(calls)],
    { encoding: 'utf8', env },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

const lathe = nodeChild(false);
const latheHuge = nodeChild(true);
const numpy = JSON.parse(
  execFileSync('/usr/bin/python3', ['-c', PY, String(calls), JSON.stringify(SIZES), String(TOUCH_BYTES)], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!,
) as Record<string, number>;

console.log(`fresh memory, median of ${calls} calls (ms per call; the touch row in µs per 4 KiB page)`);
console.log(
  `${'job'.padEnd(16)} ${'node'.padStart(10)} ${'node+huge'.padStart(10)} ${'numpy'.padStart(10)}  ratio  ratio+huge`,
);
for (const k of Object.keys(lathe)) {
  const r = (x: number) => (x / numpy[k]).toFixed(2);
  console.log(
    `${k.padEnd(16)} ${lathe[k].toFixed(4).padStart(10)} ${latheHuge[k].toFixed(4).padStart(10)} ${numpy[k].toFixed(4).padStart(10)}  ${r(lathe[k]).padStart(5)}  ${r(latheHuge[k]).padStart(10)}`,
  );
}
console.log(JSON.stringify({ bench: 'fresh-memory', calls, node: lathe, nodeHugepages: latheHuge, numpy }));
