/**
 * `lathe profile <data>`: the data-quality report of a file — as text (default), JSON (the
 * stable shape in docs/profile.md) or one self-contained HTML file.
 *
 *   lathe profile examples/customers.csv --target churned
 *   lathe profile data.csv --format html --out report.html
 *   lathe profile data.csv --json > report.json
 *   lathe profile dirty.csv --on-bad-rows quarantine
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DataError } from '../core/errors.ts';
import { makeDirs } from '../core/make-dirs.ts';
import { keepMode, trackTempPath, writeTarget } from '../core/temp-files.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import { renderQualityHtml } from '../plots/quality-report.ts';
import { fixableFindings } from '../quality/clean.ts';
import { profileFile } from '../quality/profile-file.ts';
import { renderQualityText } from '../quality/render-text.ts';
import type { QualityReport } from '../quality/report.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  intFlag,
  note,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkOutputs, rejectsOutput, storeInputs } from './paths.ts';

const FORMATS = ['text', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface ProfileFlags extends CommonOptions {
  target?: string;
  task?: 'classification' | 'regression';
  format?: Format;
  out?: string;
  onBadRows?: BadRowPolicy;
  rejects?: string;
  schema?: string;
  sample?: number;
}

/** The output format: `--format`, else the extension of `--out`, else JSON with `--json`, else text. */
function resolveFormat(flags: ProfileFlags): Format {
  if (flags.format) {
    if (flags.json && !flags.out && flags.format !== 'json') {
      throw new UsageError(
        `--json prints the JSON report on stdout, so it cannot be combined with --format ${flags.format} without --out. Add --out report.${flags.format === 'html' ? 'html' : 'txt'} to write the ${flags.format} report to a file (the JSON still goes to stdout), or drop --json.`,
      );
    }
    return flags.format;
  }
  if (flags.out) {
    const ext = extname(flags.out).toLowerCase();
    if (ext === '.html' || ext === '.htm') return 'html';
    if (ext === '.json') return 'json';
    return 'text';
  }
  return flags.json ? 'json' : 'text';
}

/** Writes `content` to `path` atomically: a temporary file in the same directory, then a rename. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = writeTarget(path); // a symbolic link stays: its target is written
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const release = trackTempPath(tmp);
  try {
    await makeDirs(dir);
    await writeFile(tmp, content);
    keepMode(tmp, target);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new DataError(`cannot write the report: ${(e as Error).message}`, {
      file: path,
      fix: 'choose a writable location for --out',
      cause: e,
    });
  } finally {
    release();
  }
}

async function render(report: QualityReport, format: Format): Promise<string> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'html') return renderQualityHtml(report);
  return renderQualityText(report);
}

/** Registers `lathe profile`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('profile')
      .description(
        'data-quality report: per-column statistics, problems (with severity, evidence and a fix), correlations, and the target’s balance and leakage suspects',
      )
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option(
        '--target <column>',
        'the column to predict: adds class balance or its distribution, and the leakage check',
      )
      .option(
        '--task <task>',
        'classification or regression (default: from the target column)',
        choiceFlag('--task', ['classification', 'regression'] as const),
      )
      .option(
        '--format <format>',
        'text, json or html (default: from --out’s extension, else text)',
        choiceFlag('--format', FORMATS),
      )
      .option('--out <file>', 'write the report to this file (atomically) instead of stdout')
      .option(
        '--on-bad-rows <policy>',
        'error (stop at the first bad row) or quarantine (set bad rows aside and profile the rest)',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option(
        '--rejects <file>',
        'with --on-bad-rows quarantine: where the rejected rows go (default <data>.rejects.csv)',
      )
      .option('--schema <file.json>', 'a schema file whose column types override the inferred ones')
      .option(
        '--sample <rows>',
        'rows for correlations and target associations (default 100000)',
        intFlag('--sample', 2),
      ),
  ).action(
    action(async (data: string, flags: ProfileFlags) => {
      if (flags.task && !flags.target) {
        // Said in flags before anything is read (the library's message names its own options).
        throw new UsageError(
          `--task ${flags.task} says what kind of target --target is, but no --target was given. Add --target <column> (the column to predict), or drop --task.`,
        );
      }
      const format = resolveFormat(flags);
      checkOutputs(
        [
          ...(flags.out ? [{ path: flags.out, what: '--out' }] : []),
          ...rejectsOutput(data, flags.onBadRows, flags.rejects),
        ],
        [
          { path: data, what: 'the data file' },
          ...(flags.schema ? [{ path: flags.schema, what: '--schema' }] : []),
          ...storeInputs(flags.store),
        ],
      );
      const { report } = await profileFile(data, {
        target: flags.target,
        task: flags.task,
        sample: flags.sample,
        seed: flags.seed,
        read: {
          onBadRows: flags.onBadRows,
          ...(flags.rejects ? { rejectsPath: flags.rejects } : {}),
          ...(flags.schema ? { schema: flags.schema } : {}),
        },
      });
      const src = report.source!;
      // Paths in --json (and the report files) are absolute (docs/cli-json.md).
      src.path = resolve(src.path);
      if (src.rejectsPath) src.rejectsPath = resolve(src.rejectsPath);
      if (src.rejected > 0) {
        note(
          flags,
          `quarantined ${src.rejected} of ${src.rowsRead} rows (accepted ${src.accepted}) to ${src.rejectsPath}`,
        );
      }
      const c = report.counts;
      const counts = `${c.critical} critical, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`;
      if (flags.out) {
        await writeFileAtomic(flags.out, await render(report, format));
        output(flags, report, `wrote the ${format} report to ${flags.out}: ${counts}`);
        return;
      }
      if (flags.json) {
        output(flags, report, '');
        return;
      }
      process.stdout.write(await render(report, format));
      const fixable = fixableFindings(report);
      if (fixable.length > 0) {
        note(
          flags,
          `lathe clean ${data}${flags.target ? ` --target ${flags.target}` : ''} -o <file> fixes ${fixable.length === 1 ? 'one of these findings' : `${fixable.length} of these findings`} (${fixable.map((f) => f.id).join(', ')}); see docs/clean.md`,
        );
      }
    }),
  );
}
