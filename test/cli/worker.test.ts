import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, type RunningCli, runCli, startCli } from '../helpers/cli.ts';

const REDIS = process.env.LATHE_TEST_REDIS;
const customers = join(ROOT, 'examples', 'customers.csv');

type Running = RunningCli<{ queue: string; queueName: string; threads: number; pid: number }>;

/** Starts `lathe worker <args> --json` and resolves once it has said it is listening. */
function startWorker(args: string[], cwd: string): Promise<Running> {
  return startCli(['worker', ...args, '--json'], cwd);
}

/** The parts of lathe tune --json that do not depend on where or how fast the fits ran. */
function outcome(json: string) {
  const j = JSON.parse(json);
  return {
    sha256: j.model.sha256,
    best: j.best,
    holdout: j.holdout,
    trials: j.trialTable.map((t: Record<string, unknown>) => ({
      number: t.number,
      state: t.state,
      params: t.params,
      value: t.value,
      foldScores: t.foldScores,
    })),
  };
}

describe('lathe worker and lathe tune --queue', {
  skip: REDIS ? false : 'set LATHE_TEST_REDIS (redis://127.0.0.1:PORT/DB) to run',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-worker-'));
  const queueName = `cli-${process.pid}-${Date.now()}`;
  let worker: Running;
  before(async () => {
    worker = await startWorker(['--queue', REDIS!, '--queue-name', queueName, '--threads', '2'], dir);
  });
  after(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where it works, with how many threads', () => {
    assert.equal(worker.info.queueName, queueName);
    assert.equal(worker.info.threads, 2);
    assert.equal(worker.info.queue, REDIS);
  });

  it('runs a search whose trials, scores and model are those of a local search', async () => {
    const args = [
      'tune',
      customers,
      '--target',
      'churned',
      '--model',
      'logistic',
      '--trials',
      '6',
      '--cv',
      '3',
      '--pruner',
      'median',
      '--batch-size',
      '3',
      '--no-track',
      '--json',
    ];
    const queued = await runCli([...args, '--queue', REDIS!, '--queue-name', queueName, '--out', 'q'], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    assert.equal(queued.code, 0, queued.stderr);
    assert.match(
      queued.stderr,
      new RegExp(
        `the trials' fits go to the queue '${queueName}' at redis://.* \\(2 worker threads listening\\)`,
      ),
    );
    const local = await runCli([...args, '--out', 'l'], { cwd: dir, timeoutMs: 240_000 });
    assert.equal(local.code, 0, local.stderr);
    assert.deepEqual(outcome(queued.stdout), outcome(local.stdout));
  });

  it('lathe run --queue: the tuning goes to the workers, and the run chooses and evaluates the local model', async () => {
    // The first 400 customers: what is tested is where the fits run, not how well.
    const lines = readFileSync(customers, 'utf8').split('\n');
    writeFileSync(join(dir, 'c400.csv'), `${lines.slice(0, 401).join('\n')}\n`);
    const args = [
      'run',
      'c400.csv',
      '--target',
      'churned',
      '--models',
      'logistic',
      '--trials',
      '3',
      '--cv',
      '2',
      '--resamples',
      '100',
      '--json',
    ];
    // A worker of its own, to count the fits it was sent.
    const runQueue = `${queueName}-run`;
    const own = await startWorker(['--queue', REDIS!, '--queue-name', runQueue, '--threads', '2'], dir);
    const queued = await runCli(
      [...args, '--queue', REDIS!, '--queue-name', runQueue, '--out', 'rq', '--store', 'rq.db'],
      { cwd: dir, timeoutMs: 240_000 },
    );
    own.child.kill('SIGTERM');
    assert.equal(await own.exited, 0);
    assert.equal(queued.code, 0, queued.stderr);
    assert.match(
      queued.stderr,
      new RegExp(`run: the tuning's fits go to the queue '${runQueue}' at redis://`),
    );
    // 3 trials of 2 folds each (the comparison, the refit and the evaluation stay local).
    assert.match(own.stderr(), /stopped after 6 tasks\.\n$/);
    const local = await runCli([...args, '--out', 'rl', '--store', 'rl.db'], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    assert.equal(local.code, 0, local.stderr);
    const parts = (json: string) => {
      const j = JSON.parse(json);
      const { seconds: _s, warnings: _w, ...tuning } = j.tuning;
      return { model: j.model.sha256, tuning, evaluation: j.evaluation };
    };
    const q = parts(queued.stdout);
    assert.equal(q.tuning.trials, 3);
    assert.deepEqual(q, parts(local.stdout));
    // Clustering has no tuning to send: refused before any work.
    const clusters = await runCli(['run', customers, '--queue', REDIS!, '--out', 'rc'], { cwd: dir });
    assert.equal(clusters.code, 2);
    assert.match(
      clusters.stderr,
      /--queue: without --target, lathe run clusters the rows, which has no tuning/,
    );
  });

  it('refuses at once when no worker listens, or the server cannot be reached', async () => {
    const args = [
      'tune',
      customers,
      '--target',
      'churned',
      '--model',
      'logistic',
      '--trials',
      '2',
      '--no-track',
    ];
    const nobody = await runCli([...args, '--queue', REDIS!, '--queue-name', `${queueName}-none`], {
      cwd: dir,
    });
    assert.equal(nobody.code, 2);
    assert.match(
      nobody.stderr,
      /no lathe worker is listening on the queue '.*-none'.*Fix: start one on each machine/,
    );
    const down = await runCli([...args, '--queue', 'redis://:secret@127.0.0.1:1'], { cwd: dir });
    assert.equal(down.code, 2);
    assert.match(down.stderr, /cannot reach the Redis server at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    assert.doesNotMatch(down.stderr, /secret/);
    const bad = await runCli([...args, '--queue', 'http://127.0.0.1:6379'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--queue must be a Redis URL/);
    // An empty --queue (an unset shell variable: --queue "$QUEUE") is refused, not run locally unsaid.
    const empty = await runCli([...args, '--queue', ''], { cwd: dir });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--queue must be a Redis URL/);
    const noUrl = await runCli(['worker'], { cwd: dir, env: { LATHE_QUEUE: '' } });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /--queue must be a Redis URL/);
  });

  it('finishes on SIGTERM, saying how many tasks it ran', async () => {
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
    const said = worker.stderr();
    assert.ok(
      said.startsWith(`working for the queue '${queueName}' at ${REDIS} with 2 threads. Ctrl-C stops.\n`),
      said,
    );
    assert.match(
      said,
      /SIGTERM: finishing the fits under way, then stopping\.\nstopped after \d+ tasks\.\n$/,
    );
  });
});
