// Scale-out benchmark: a random search of gradient boosting (3-fold CV, roc_auc) run three ways on
// this machine, side by side in one invocation —
//   - Lathe on local worker threads (ThreadExecutor, --workers threads);
//   - Lathe through the queue: one `lathe worker --threads <workers>` process fed by a Redis server
//     on loopback (what `lathe tune --queue` does across machines), checked to give the local
//     search's trial table bit for bit;
//   - the anchor: Optuna 3.1's distributed optimisation, <workers> processes sharing one study
//     (JournalFileStorage), each fitting scikit-learn's HistGradientBoostingClassifier (OMP 1).
// Same rows, same folds, same space, same number of trials and cores on every side (the sampled
// configurations differ between Lathe and Optuna: random search on both).
//
//   npm run build && node --import tsx bench/queue.ts [--rows 20000] [--trials 24] [--max-iter 100]
//                                                     [--workers 2] [--repeats 3] [--redis URL]
//
// Without --redis it starts a private redis-server on a free port (in memory) and stops it after.
// One JSON line per measurement on stdout; the summary (medians, min–max, ratios) on stderr.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matrix } from '../src/core/matrix.ts';
import { ThreadExecutor } from '../src/core/pool.ts';
import { QueueExecutor } from '../src/core/queue/executor.ts';
import { Rng } from '../src/core/rng.ts';
import { HistGradientBoostingClassifier } from '../src/models/ensemble/hist-gradient-boosting/index.ts';
import { type SearchResult, searchCV } from '../src/select/search.ts';
import { floatDistribution, intDistribution } from '../src/select/space.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '20000'));
const trials = Number(flag('trials', '24'));
const maxIter = Number(flag('max-iter', '100'));
const workers = Number(flag('workers', '2'));
const repeats = Number(flag('repeats', '3'));
const COLS = 20;
const BIN = fileURLToPath(new URL('../bin/lathe.js', import.meta.url));
const ANCHOR = fileURLToPath(new URL('./queue-anchor.py', import.meta.url));

/** A binary problem with interactions, deterministic. */
function data(): { X: Float64Array; y: string[]; csv: string } {
  const rng = new Rng(17);
  const X = new Float64Array(rows * COLS);
  const y: string[] = [];
  const lines = [`${Array.from({ length: COLS }, (_, j) => `x${j}`).join(',')},label`];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < COLS; j++) X[i * COLS + j] = Number(rng.normal().toFixed(6));
    const r = X.subarray(i * COLS, (i + 1) * COLS);
    const z = r[0] - 0.8 * r[1] + 0.6 * r[2] * r[3] + 0.5 * Math.sin(2 * r[4]) + 0.7 * rng.normal();
    y.push(z > 0 ? '1' : '0');
    lines.push(`${Array.from(r).join(',')},${y[i]}`);
  }
  return { X, y, csv: `${lines.join('\n')}\n` };
}

const space = {
  learningRate: floatDistribution(0.02, 0.3, { log: true }),
  maxLeafNodes: intDistribution(8, 64, { log: true }),
  minSamplesLeaf: intDistribution(5, 50, { log: true }),
  l2Regularization: floatDistribution(1e-6, 1, { log: true }),
};

async function search(X: Float64Array, y: string[], executor: ThreadExecutor | QueueExecutor) {
  const t0 = performance.now();
  const r = await searchCV(
    new HistGradientBoostingClassifier({ maxIter, earlyStopping: false, nThreads: 1 }),
    matrix(X, rows, COLS),
    y,
    {
      space,
      sampler: 'random',
      nTrials: trials,
      cv: 3,
      scoring: 'roc_auc',
      seed: 0,
      batchSize: 4,
      refit: false,
      executor,
    },
  );
  return { seconds: (performance.now() - t0) / 1000, result: r };
}

const table = (r: SearchResult) =>
  JSON.stringify(r.trials.map((t) => [t.params, t.value, Array.from(t.foldScores)]));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const given = flag('redis', '');
  if (given) return { url: given, stop: () => {} };
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 50; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .includes('PONG')
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => child.kill('SIGTERM') };
}

function startWorker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'worker', '--queue', url, '--threads', String(workers), '--json', '--quiet'],
      {
        env: { ...process.env, LATHE_DEV: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lathe worker exited ${code} (run npm run build first)`)));
  });
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(2)} s (${s[0].toFixed(2)}–${s[s.length - 1].toFixed(2)})`;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { X, y, csv } = data();
const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-queue-'));
const csvPath = join(dir, 'data.csv');
writeFileSync(csvPath, csv);
const redis = await startRedis();
const worker = await startWorker(redis.url);
const pool = new ThreadExecutor(workers);
const queue = await QueueExecutor.connect(redis.url);
const times = { local: [] as number[], queue: [] as number[], optuna: [] as number[] };
try {
  console.error(
    `${rows} rows × ${COLS}, ${trials} trials of gbdt (maxIter ${maxIter}, 3-fold CV, random search), ${workers} cores per side, ${repeats} repeats; queue ${queue.parallelism} worker threads`,
  );
  for (let rep = 0; rep < repeats; rep++) {
    const local = await search(X, y, pool);
    const queued = await search(X, y, queue);
    if (table(queued.result) !== table(local.result))
      throw new Error('the queued search differs from the local one');
    const py = spawnSync(
      '/usr/bin/python3',
      [ANCHOR, csvPath, String(trials), String(workers), String(maxIter), String(rep)],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      },
    );
    if (py.status !== 0) throw new Error(`anchor failed: ${py.stderr}`);
    const anchor = JSON.parse(py.stdout.trim().split('\n').pop()!);
    times.local.push(local.seconds);
    times.queue.push(queued.seconds);
    times.optuna.push(anchor.seconds);
    const best = (r: SearchResult) => r.best?.value ?? null;
    for (const [side, seconds, bestValue] of [
      ['lathe-threads', local.seconds, best(local.result)],
      ['lathe-queue', queued.seconds, best(queued.result)],
      ['optuna-journal', anchor.seconds, anchor.best],
    ] as const) {
      console.log(
        JSON.stringify({ bench: 'queue', rep, side, seconds, trials, rows, workers, best: bestValue }),
      );
    }
    console.error(
      `repeat ${rep + 1}: threads ${local.seconds.toFixed(2)} s, queue ${queued.seconds.toFixed(2)} s (identical trials), Optuna ${anchor.seconds.toFixed(2)} s`,
    );
  }
  console.error(`Lathe, local threads:        ${summary(times.local)}`);
  console.error(`Lathe, through the queue:    ${summary(times.queue)}`);
  console.error(`Optuna, ${workers} processes (journal): ${summary(times.optuna)}`);
  console.error(
    `ratio queue / Optuna ${(median(times.queue) / median(times.optuna)).toFixed(2)}; queue / local threads ${(median(times.queue) / median(times.local)).toFixed(2)} (the queue's own overhead)`,
  );
} finally {
  await queue.close();
  await pool.close();
  worker.kill('SIGTERM');
  redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
