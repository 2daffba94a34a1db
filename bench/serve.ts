// Model serving: `lathe serve` vs a FastAPI + scikit-learn server (bench/serve-anchor.py, uvicorn,
// one process), side by side in one invocation.
//
//   node --import tsx bench/serve.ts [--rows 1,100,1000] [--concurrency 1,8] [--seconds 5] [--repeats 3]
//
// Both serve a logistic regression with imputation, standardisation and one-hot encoding, trained
// on examples/customers.csv (its id and date columns left out, so both read the same nine
// columns), over the same route and JSON (the Open Inference Protocol's: one input tensor per
// column, the `prediction` output). Lathe's side is the built CLI (`lathe serve <package>`, dist/
// rebuilt first), one Node process; the anchor one uvicorn process. Each server is started fresh
// for each repetition (alternating which goes first), warmed with 200 requests, then loaded by this
// process for --seconds per configuration: `concurrency` keep-alive connections each sending the
// next request as soon as the last is answered, bodies of `rows` rows drawn from the CSV. Printed
// per configuration: requests/s and rows/s (medians over repetitions, with min and max), latency
// p50 and p99 (ms, medians), each server's peak resident memory (VmHWM) and the ratio
// Lathe/anchor of throughput (> 1: Lathe serves more). Both servers' predictions for the same body
// are compared first (their agreement is printed: they are different fits of the same model
// family, so a few rows may differ).
//
// The load generator shares the machine's two cores with the server under test: run with nothing
// else busy (`uptime`), and compare the ratios, not the absolute figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, flag, median, root } from './forest-data.ts';

const rowCounts = flag('rows', '1,100,1000').split(',').map(Number);
const concurrencies = flag('concurrency', '1,8').split(',').map(Number);
const seconds = Number(flag('seconds', '5'));
const repeats = Number(flag('repeats', '3'));
const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-serve-'));

/** The CSV without its id and date columns: what both servers train on and score. */
function benchCsv(): { path: string; header: string[]; rows: string[][] } {
  const lines = readFileSync(join(root, 'examples', 'customers.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  const header = lines[0].split(',');
  const keep = header
    .map((h, j) => (h === 'customer_id' || h === 'signup_date' ? -1 : j))
    .filter((j) => j >= 0);
  const rows = lines.slice(1).map((l) => {
    const f = l.split(',');
    return keep.map((j) => f[j]);
  });
  const path = join(dir, 'customers.csv');
  writeFileSync(path, [keep.map((j) => header[j]).join(','), ...rows.map((r) => r.join(','))].join('\n'));
  return { path, header: keep.map((j) => header[j]), rows };
}

/** A request body of `n` rows (cycling through the file), one tensor per feature column, typed. */
function body(header: string[], rows: string[][], n: number, target: string): string {
  const inputs = header
    .map((name, j) => ({ name, j }))
    .filter((c) => c.name !== target)
    .map(({ name, j }) => {
      const raw = Array.from({ length: n }, (_, i) => rows[i % rows.length][j]);
      const numeric = raw.every((v) => v === '' || Number.isFinite(Number(v)));
      const boolean = raw.every((v) => v === 'true' || v === 'false');
      const data = raw.map((v) => (v === '' ? null : boolean ? v === 'true' : numeric ? Number(v) : v));
      return { name, shape: [n], datatype: boolean ? 'BOOL' : numeric ? 'FP64' : 'BYTES', data };
    });
  return JSON.stringify({ inputs });
}

interface Server {
  child: ChildProcess;
  port: number;
  url: string;
}

/** Starts a server process and waits until `ready(stdout)` gives its port. */
function start(
  cmd: string,
  args: string[],
  ready: (out: string) => number | null,
  env = {},
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const port = ready(out);
      if (port !== null) resolve({ child, port, url: `http://127.0.0.1:${port}` });
    });
    child.on('close', (code) => reject(new Error(`${cmd} exited (${code}): ${err}`)));
  });
}

/** Resolves once 127.0.0.1:port accepts connections (within 20 s). */
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.on('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

function post(
  agent: Agent,
  url: string,
  path: string,
  payload: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Peak resident memory of a process, in MB. */
function peakMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
}

/** `concurrency` loops posting `payload` for `seconds`; every answer must be a 200. */
async function load(s: Server, path: string, payload: string, concurrency: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await post(agent, s.url, path, payload);
        if (r.status !== 200) throw new Error(`status ${r.status}: ${r.text.slice(0, 300)}`);
        lat.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    rps: lat.length / seconds,
    p50: lat[Math.floor(lat.length * 0.5)],
    p99: lat[Math.floor(lat.length * 0.99)],
  };
}

async function main(): Promise<void> {
  buildOnce();
  const { path, header, rows } = benchCsv();
  const target = 'churned';
  const train = spawn(
    process.execPath,
    [
      join(root, 'bin', 'lathe.js'),
      'train',
      path,
      '--target',
      target,
      '--model',
      'logistic',
      '--out',
      'model',
      '--quiet',
      '--store',
      join(dir, 'lathe.db'),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const code = await new Promise((r) => train.on('close', r));
  if (code !== 0) throw new Error(`lathe train exited ${code}`);
  const sides = {
    lathe: () =>
      start(
        process.execPath,
        [
          join(root, 'bin', 'lathe.js'),
          'serve',
          'm=model',
          '--port',
          '0',
          '--json',
          '--quiet',
          '--max-rows',
          '1000000',
        ],
        (out) => {
          try {
            return Number(new URL(JSON.parse(out).url).port);
          } catch {
            return null;
          }
        },
      ),
    fastapi: async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const s = await start(
        '/usr/bin/python3',
        [join(root, 'bench', 'serve-anchor.py'), path, target, String(port)],
        (out) => (/ready (\d+)/.test(out) ? port : null),
      );
      // uvicorn runs the startup hook before it binds: wait for the port to answer.
      await listening(s.port);
      return s;
    },
  };
  const infer = '/v2/models/m/infer';
  // Agreement of the two fits on 1000 rows.
  {
    const [a, b] = [await sides.lathe(), await sides.fastapi()];
    const agent = new Agent({ keepAlive: true });
    const payload = body(header, rows, 1000, target);
    const pa = JSON.parse((await post(agent, a.url, infer, payload)).text).outputs[0].data as string[];
    const pb = JSON.parse((await post(agent, b.url, infer, payload)).text).outputs[0].data as string[];
    agent.destroy();
    a.child.kill();
    b.child.kill();
    console.log(
      `agreement of the two servers' predictions on 1000 rows: ${pa.filter((v, i) => v === pb[i]).length / 10} %`,
    );
  }
  const results: Record<string, Record<string, (Load & { peak: number })[]>> = {};
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 ? (['fastapi', 'lathe'] as const) : (['lathe', 'fastapi'] as const);
    for (const side of order) {
      const s = await sides[side]();
      const agent = new Agent({ keepAlive: true });
      const warm = body(header, rows, 10, target);
      for (let i = 0; i < 200; i++) await post(agent, s.url, infer, warm);
      agent.destroy();
      for (const n of rowCounts) {
        const payload = body(header, rows, n, target);
        for (const c of concurrencies) {
          const key = `${n} rows × ${c} connections`;
          const l = await load(s, infer, payload, c);
          results[key] ??= {};
          (results[key][side] ??= []).push({ ...l, peak: peakMb(s.child.pid!) });
        }
      }
      s.child.kill();
      await new Promise((res) => s.child.on('close', res));
    }
  }
  const la = loadavg();
  console.log(
    `\nserving: ${repeats} repetitions × ${seconds} s per configuration (load average ${la[0].toFixed(1)})`,
  );
  console.log(
    'configuration                 side       requests/s [min, max]        rows/s     p50 ms   p99 ms   peak RSS MB',
  );
  for (const [key, bySide] of Object.entries(results)) {
    const n = Number(key.split(' ')[0]);
    const med: Record<string, number> = {};
    for (const side of ['lathe', 'fastapi']) {
      const xs = bySide[side];
      const rps = xs.map((x) => x.rps);
      med[side] = median(rps);
      console.log(
        `${key.padEnd(29)} ${side.padEnd(10)} ${median(rps).toFixed(0).padStart(8)} [${Math.min(...rps).toFixed(0)}, ${Math.max(...rps).toFixed(0)}]`.padEnd(
          70,
        ) +
          `${(median(rps) * n).toFixed(0).padStart(9)}   ${median(xs.map((x) => x.p50))
            .toFixed(2)
            .padStart(6)}   ${median(xs.map((x) => x.p99))
            .toFixed(2)
            .padStart(6)}   ${median(xs.map((x) => x.peak))
            .toFixed(0)
            .padStart(6)}`,
      );
    }
    console.log(`${''.padEnd(29)} ratio lathe/fastapi throughput ${(med.lathe / med.fastapi).toFixed(2)}`);
    console.log(
      JSON.stringify({
        bench: 'serve',
        config: key,
        lathe: bySide.lathe,
        fastapi: bySide.fastapi,
        throughputRatio: med.lathe / med.fastapi,
      }),
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
