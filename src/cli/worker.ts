/**
 * `lathe worker --queue redis://HOST:PORT`: lends this machine's cores to the searches other
 * machines run with `lathe tune --queue`. Takes the cross-validation fits of their trials from the
 * Redis-backed queue, one per thread, until Ctrl-C or SIGTERM, then finishes the fits under way.
 *
 *   lathe worker --queue redis://10.0.0.5:6379 --threads 8
 *
 * @module
 */

import type { Command } from 'commander';
import { checkQueueUrl, DEFAULT_QUEUE, redactUrl } from '../core/queue/names.ts';
import { type QueueWorker, startQueueWorker } from '../core/queue/worker.ts';
import { action, type CommonOptions, intFlag, note, withCommonOptions } from './common.ts';

interface WorkerFlags extends CommonOptions {
  queue?: string;
  queueName: string;
  threads?: number;
}

/** Registers `lathe worker`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('worker')
      .description('run the trials of searches started elsewhere with --queue (a Redis-backed queue)')
      .option(
        '--queue <url>',
        'the Redis server of the queue (default LATHE_QUEUE), e.g. redis://10.0.0.5:6379',
      )
      .option('--queue-name <name>', 'the queue, when several share one Redis server', DEFAULT_QUEUE)
      .option('--threads <n>', 'fits run at once (default LATHE_THREADS or all cores)', intFlag('--threads')),
  )
    .addHelpText(
      'after',
      '\nOn the machine that searches: lathe tune <data> --target COL --model gbdt --queue redis://HOST:6379 --batch-size 16\n\nSee docs/scale-out.md.',
    )
    .action(action(workerCommand));
}

async function workerCommand(flags: WorkerFlags): Promise<void> {
  // --queue, else LATHE_QUEUE; neither is a usage error naming --queue.
  const url = checkQueueUrl(flags.queue ?? process.env.LATHE_QUEUE ?? '');
  const worker = await startQueueWorker(url, {
    queue: flags.queueName,
    threads: flags.threads,
    onTask: (e) => {
      if (!e.ok) note(flags, `a task (${e.fn}) failed; its error went back to the search that queued it`);
    },
  });
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ queue: redactUrl(url), queueName: worker.queue, threads: worker.threads, pid: process.pid })}\n`,
    );
  }
  note(
    flags,
    `working for the queue '${worker.queue}' at ${redactUrl(url)} with ${worker.threads} thread${worker.threads === 1 ? '' : 's'}. Ctrl-C stops.`,
  );
  await stopOnSignals(worker, flags);
}

/** Resolves once the worker has stopped: the first SIGINT/SIGTERM finishes the fits under way, a second ends at once. */
function stopOnSignals(worker: QueueWorker, flags: WorkerFlags): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      note(flags, `${signal}: finishing the fits under way, then stopping.`);
      worker.close().then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        note(
          flags,
          `stopped after ${worker.stats.tasks} task${worker.stats.tasks === 1 ? '' : 's'}${worker.stats.failed ? ` (${worker.stats.failed} failed)` : ''}.`,
        );
        resolve();
      }, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
