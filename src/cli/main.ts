/**
 * The `lathe` command line: one file per command in this folder; this file only wires them.
 *
 * @module
 */

import { Command, CommanderError } from 'commander';
import { removeTempPathsOnSignals } from '../core/temp-files.ts';
import { packageVersion, reportError, UsageError } from './common.ts';

/** A command: its name, one line for the overview, and its module (which exports `register`). */
interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ register(program: Command): void }>;
}

/**
 * Every command. Only the module of the command being run is loaded (each pulls in what it needs:
 * models, DuckDB, the store, …), so `lathe --help` and light commands start fast.
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    summary: 'the main job: profile, compare, tune, evaluate, report',
    load: () => import('./run.ts'),
  },
  { name: 'profile', summary: 'data-quality report of a file', load: () => import('./profile.ts') },
  {
    name: 'clean',
    summary: "apply a data-quality report's fixes and write the cleaned table",
    load: () => import('./clean.ts'),
  },
  {
    name: 'train',
    summary: 'fit one pipeline and save it as a model package',
    load: () => import('./train.ts'),
  },
  { name: 'predict', summary: 'score a data file with a model', load: () => import('./predict.ts') },
  {
    name: 'evaluate',
    summary: 'metrics of a model with confidence intervals',
    load: () => import('./evaluate.ts'),
  },
  { name: 'tune', summary: 'hyperparameter search with cross-validation', load: () => import('./tune.ts') },
  {
    name: 'stats',
    summary: 'describe, test, corr, ols, logit: statistics of a table',
    load: () => import('./stats.ts'),
  },
  { name: 'runs', summary: 'list, show and compare tracked runs', load: () => import('./runs.ts') },
  {
    name: 'models',
    summary: 'the model registry: list, show, register, alias, promote',
    load: () => import('./models.ts'),
  },
  {
    name: 'retrain',
    summary: "fit a model's recipe on new data; compare old and new on the same rows",
    load: () => import('./retrain.ts'),
  },
  {
    name: 'reproduce',
    summary: 're-run a recorded run and check it is bit-identical',
    load: () => import('./reproduce.ts'),
  },
  { name: 'export', summary: 'export a model to ONNX', load: () => import('./export.ts') },
  { name: 'serve', summary: 'serve models over HTTP', load: () => import('./serve.ts') },
  {
    name: 'worker',
    summary: 'run the trials of searches started elsewhere (--queue)',
    load: () => import('./worker.ts'),
  },
  {
    name: 'monitor',
    summary: 'data drift of what a model scores against its training data',
    load: () => import('./monitor.ts'),
  },
];

/** The command named on the command line (`lathe <command> …` or `lathe help <command>`), if any. */
function requestedCommand(argv: readonly string[]): CommandEntry | undefined {
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  const name = first === 'help' ? args[args.indexOf('help') + 1] : first;
  return COMMANDS.find((c) => c.name === name);
}

/**
 * Builds the program: the requested command fully (its options, subcommands and action), the
 * others as names and summaries for the overview.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('lathe')
    .description(
      "Lathe: the machine-learning engineer's workbench — profile, train, tune, evaluate, track, export, serve, monitor.",
    )
    .version(await packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const wanted = requestedCommand(argv);
  for (const c of COMMANDS) {
    if (c === wanted) (await c.load()).register(program);
    else program.command(c.name).description(c.summary);
  }
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`). Sets `process.exitCode`. */
export async function main(argv: string[] = process.argv): Promise<void> {
  // Ctrl-C or SIGTERM while an output is being written removes its temporary file (exit 130/143).
  removeTempPathsOnSignals();
  // `lathe predict … | head`: a closed pipe ends the output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // `lathe profile … 2>&1 | head`: notes on a closed stderr are dropped and the command goes on
  // to its own exit code (unhandled, the EPIPE made a command that had done its work exit 1).
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  let program: Command;
  try {
    program = await buildProgram(argv);
    program.commands.forEach((c) => c.exitOverride());
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // `commander.help` is both `lathe help …` (exit code 0) and a command group run without its
      // command (`lathe`, `lathe runs`: the help on stderr, exit code 1): the latter is bad usage.
      if (e.code === 'commander.help' && e.exitCode !== 0) {
        process.stderr.write('error: a command is missing. Fix: add one of the commands listed above.\n');
        process.exitCode = 2;
        return;
      }
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
