/**
 * `--queue URL` and `--queue-name NAME`, shared by the commands whose fits can run on `lathe
 * worker` processes through Redis (`lathe tune`, and `lathe run`'s tuning): the flags, connecting
 * before any work (an unreachable server, or no worker listening, is said at once), and the note
 * saying where the fits go. The queue's client (BullMQ) is loaded only when a queue is asked for.
 *
 * @module
 */

import type { Command } from 'commander';
import type { QueueExecutor } from '../core/queue/executor.ts';
import { checkQueueUrl, DEFAULT_QUEUE, redactUrl } from '../core/queue/names.ts';

/** The flags of {@link withQueueOptions}. */
export interface QueueFlags {
  queue?: string;
  queueName: string;
}

/** Adds `--queue <url>` and `--queue-name <name>` to `cmd`; `what` says whose fits go there. */
export function withQueueOptions(cmd: Command, what: string): Command {
  return cmd
    .option(
      '--queue <url>',
      `run ${what} on lathe worker processes through this Redis server (or LATHE_QUEUE), e.g. redis://10.0.0.5:6379`,
    )
    .option('--queue-name <name>', 'the queue, when several share one Redis server', DEFAULT_QUEUE);
}

/**
 * The queue asked for by `--queue` (or `LATHE_QUEUE`), connected, with at least one worker
 * listening; undefined when none is asked for. An empty `LATHE_QUEUE` means none; an empty
 * `--queue` is a mistake (an unset shell variable) and refused.
 */
export async function connectQueue(flags: QueueFlags): Promise<QueueExecutor | undefined> {
  const queue = flags.queue ?? (process.env.LATHE_QUEUE || undefined);
  if (queue === undefined) return undefined;
  const { QueueExecutor } = await import('../core/queue/executor.ts');
  return QueueExecutor.connect(checkQueueUrl(queue), { queue: flags.queueName });
}

/** `<command>: <what> go to the queue 'q' at redis://… (n worker threads listening)`. */
export function queueNote(command: string, what: string, executor: QueueExecutor): string {
  const n = executor.parallelism;
  return `${command}: ${what} go to the queue '${executor.queueName}' at ${redactUrl(executor.url)} (${n} worker thread${n === 1 ? '' : 's'} listening)`;
}
