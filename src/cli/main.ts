/**
 * The `lathe` command line: one file per command in this folder; this file only wires them.
 *
 * @module
 */

import { Command, CommanderError } from 'commander';
import { reportError, UsageError } from './common.ts';

/** Command modules: each exports `register(program)`. */
const commands: Array<() => Promise<{ register(program: Command): void }>> = [
  () => import('./runs.ts'),
  () => import('./models.ts'),
  () => import('./profile.ts'),
  () => import('./train.ts'),
  () => import('./predict.ts'),
  () => import('./evaluate.ts'),
  () => import('./reproduce.ts'),
  () => import('./export.ts'),
  () => import('./tune.ts'),
  () => import('./stats.ts'),
];

/** Builds the program with every command registered. */
export async function buildProgram(): Promise<Command> {
  const program = new Command('lathe')
    .description(
      "Lathe: the machine-learning engineer's workbench — profile, train, tune, evaluate, track, serve.",
    )
    .version(await packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const load of commands) (await load()).register(program);
  return program;
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the CLI with `argv` (as `process.argv`). Sets `process.exitCode`. */
export async function main(argv: string[] = process.argv): Promise<void> {
  // `lathe predict … | head`: a closed pipe ends the output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  let program: Command;
  try {
    program = await buildProgram();
    program.commands.forEach((c) => c.exitOverride());
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      process.exitCode = ok ? 0 : 2;
      return;
    }
    if (e instanceof UsageError) {
      reportError(e);
      return;
    }
    reportError(e);
  }
}
