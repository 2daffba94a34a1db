/**
 * `lathe reproduce <run-id>`: re-runs a recorded `train` or `tune` run from its recorded inputs
 * and checks that the model bytes and the metrics are identical. Exit code 0 when they are, 1
 * when anything differs (the differences are listed), 2 when the run cannot be re-run (unknown
 * run, data changed or missing).
 *
 *   lathe reproduce 1b72ae22
 *
 * @module
 */

import type { Command } from 'commander';
import { reproduceRun } from '../automl/reproduce.ts';
import { openStore } from '../track/open.ts';
import { action, type CommonOptions, output, withCommonOptions } from './common.ts';

/** Registers `lathe reproduce`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('reproduce')
      .description('re-run a recorded train/tune run and check the model and metrics are bit-identical')
      .argument('<run-id>', 'the run id (or a unique prefix of at least 4 characters)'),
  ).action(
    action(async (id: string, flags: CommonOptions) => {
      // Only reads the store: a missing one is an error, never created here.
      const store = await openStore(flags.store, { create: false });
      let result: Awaited<ReturnType<typeof reproduceRun>>;
      try {
        result = await reproduceRun(await store.getRun(id));
      } finally {
        await store.close();
      }
      output(flags, result, () => {
        const lines = [
          `Run ${result.runId} (lathe ${result.command}) on ${result.dataPath}`,
          `data fingerprint ${result.dataFingerprint.slice(0, 16)}… matches the recorded one.`,
          '',
        ];
        for (const c of result.checks) {
          lines.push(
            `  ${c.identical ? 'identical' : 'DIFFERENT'}  ${c.what}${c.identical ? '' : `: recorded ${c.recorded}, now ${c.reproduced}`}`,
          );
        }
        lines.push(
          '',
          result.identical ? 'Reproduced bit for bit.' : 'NOT reproduced: see the differences above.',
        );
        return lines.join('\n');
      });
      if (!result.identical) process.exitCode = 1;
    }),
  );
}
