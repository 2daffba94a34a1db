// Tracking-store write throughput under contention: W processes each log M metrics one by one
// (one transaction each) to one store, released together by a start barrier. Prints, per
// repetition, the wall time from release to the last writer done and the points per second, then
// the median/min/max. There is no Python anchor here (MLflow is not installed on the build machines);
// the figure to watch is the SQLite-vs-PostgreSQL throughput and that no writer ever errors.
//
//   node --import tsx bench/track-writers.ts [--writers 16] [--metrics 1000] [--reps 3] [--store sqlite|postgres] [--each]
//
// --each writes every point on its own (flush after each logMetric: the worst case); without it,
// points go through the run's background batching as in normal use.
//
// --store postgres uses LATHE_TEST_PG (a fresh schema per repetition).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/track/open.ts';
import { startRun } from '../src/track/tracker.ts';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

if (args[0] === '--child') {
  // Child: open, start a run, wait for the go file, log, report elapsed time.
  const [, url, artifacts, go, count, mode] = args;
  const eachWrite = mode === 'each';
  const store = await openStore(url, { artifacts });
  const run = await startRun({ store, experiment: 'bench', lineage: false });
  process.stdout.write('ready\n');
  while (!existsSync(go)) await new Promise((r) => setTimeout(r, 2));
  for (let i = 0; i < Number(count); i++) {
    await run.logMetric('m', i);
    if (eachWrite) await run.flush();
  }
  await run.end();
  await store.close();
  process.stdout.write(`done ${Date.now()}\n`);
} else {
  const writers = Number(flag('writers', '16'));
  const metrics = Number(flag('metrics', '1000'));
  const reps = Number(flag('reps', '3'));
  const kind = flag('store', 'sqlite');
  const mode = args.includes('--each') ? 'each' : 'batched';
  const self = fileURLToPath(import.meta.url);
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-track-'));
    let url = join(dir, 'lathe.db');
    let schema: string | undefined;
    if (kind === 'postgres') {
      if (!process.env.LATHE_TEST_PG) throw new Error('--store postgres needs LATHE_TEST_PG');
      const u = new URL(process.env.LATHE_TEST_PG);
      schema = `lathe_bench_${randomBytes(4).toString('hex')}`;
      u.searchParams.set('schema', schema);
      url = u.toString();
    }
    const artifacts = join(dir, 'artifacts');
    await (await openStore(url, { artifacts })).close();
    const go = join(dir, 'go');
    const children = Array.from({ length: writers }, () => {
      const c = spawn(
        process.execPath,
        ['--import', 'tsx', self, '--child', url, artifacts, go, String(metrics), mode],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const ready = new Promise<void>((resolve) => {
        const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 5));
        check();
      });
      const done = new Promise<number>((resolve, reject) =>
        c.on('close', (code) =>
          code === 0
            ? resolve(Number(/done (\d+)/.exec(out)![1]))
            : reject(new Error(`writer exited ${code}`)),
        ),
      );
      return { ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    const t0 = Date.now();
    writeFileSync(go, '');
    const ends = await Promise.all(children.map((c) => c.done));
    const ms = Math.max(...ends) - t0;
    times.push(ms);
    console.log(
      `${kind} rep ${rep + 1}: ${writers}×${metrics} in ${ms} ms (${Math.round((writers * metrics * 1000) / ms)} points/s)`,
    );
    if (schema) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: process.env.LATHE_TEST_PG });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  console.log(
    JSON.stringify({
      bench: 'track-writers',
      store: kind,
      mode,
      writers,
      metrics,
      medianMs: median,
      minMs: times[0],
      maxMs: times[times.length - 1],
      pointsPerSecond: Math.round((writers * metrics * 1000) / median),
    }),
  );
}
