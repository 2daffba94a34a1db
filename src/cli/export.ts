/**
 * `lathe export <model> --format onnx -o FILE`: a model package (a directory, a `.lathe` archive,
 * or a registry reference `name@alias` / `name/version`) as one ONNX graph. The file is written
 * atomically (a temporary file in the same directory, then a rename). See docs/export.md.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { FAMILIES } from '../automl/families.ts';
import { DataError, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { keepMode, trackTempPath, writeTarget } from '../core/temp-files.ts';
import { SUPPORTED_MODELS as ONNX_SUPPORTED_MODELS } from '../export/context.ts';
import { exportOnnxModel, ONNX_OPSET_RANGE, type OnnxTensorInfo } from '../export/export-onnx.ts';
// Every estimator class registers itself when its module loads: load them all, so that any
// package can be read (and an unsupported one refused by name rather than as an unknown type).
import '../models/index.ts';
import { makeDirs } from '../core/make-dirs.ts';
import { Pipeline } from '../preprocess/index.ts';
import { loadModelPackage } from '../track/registry.ts';
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
import { checkOutputExtension, checkOutputs, modelInput, storedModelInput, storeInputs } from './paths.ts';

interface ExportFlags extends CommonOptions {
  format: 'onnx';
  out?: string;
  opset?: number;
  inputLayout?: 'columns' | 'matrix';
}

/** What `lathe export --json` prints. */
export interface ExportView {
  /** Absolute path of the file written. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** The graph's inputs: name, element type, shape, and the column(s) each carries. */
  inputs: OnnxTensorInfo[];
  /** The graph's outputs. */
  outputs: OnnxTensorInfo[];
  /** Operator set versions. */
  opset: { 'ai.onnx': number; 'ai.onnx.ml': number };
  /** classifier, regressor or transformer. */
  kind: 'classifier' | 'regressor' | 'transformer';
  /** The classes in `probabilities` column order (classifiers), else null. */
  classes: (string | number)[] | null;
  /** Columns of the model's input schema it does not read (not inputs of the graph). */
  unusedColumns: string[];
  /** The package exported. */
  model: { ref: string; path: string; name: string | null; version: number | null };
}

/** Registers `lathe export`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('export <model>')
      .description(
        'export a model package (path, name@alias or name/version) as an ONNX graph (see docs/export.md)',
      )
      .option(
        '--format <format>',
        'the interchange format (only onnx)',
        choiceFlag('--format', ['onnx'] as const),
        'onnx',
      )
      .option('-o, --out <file>', 'the file to write (e.g. model.onnx); written atomically')
      .option(
        '--opset <n>',
        `ai.onnx opset, ${ONNX_OPSET_RANGE.min}–${ONNX_OPSET_RANGE.max} (default ${ONNX_OPSET_RANGE.default}); ai.onnx.ml is 3`,
        intFlag('--opset', ONNX_OPSET_RANGE.min, ONNX_OPSET_RANGE.max),
      )
      .option(
        '--input-layout <layout>',
        "'columns' (one input per column, default) or 'matrix' (one float64 [N, k] input X; numeric columns only)",
        choiceFlag('--input-layout', ['columns', 'matrix'] as const),
      ),
  ).action(
    action(async (ref: string, flags: ExportFlags) => {
      if (!flags.out) throw new UsageError('lathe export needs -o FILE (e.g. -o model.onnx).');
      // Never the model itself, nor the tracking store holding it (its database, its artifacts).
      checkOutputs([{ path: flags.out, what: '-o' }], [...modelInput(ref), ...storeInputs(flags.store)]);
      checkOutputExtension('-o', flags.out, 'an ONNX file', '.onnx', 'model');
      const loaded = await loadModelPackage(ref, { store: flags.store ?? null });
      checkOutputs([{ path: flags.out, what: '-o' }], storedModelInput(ref, loaded.ref));
      checkExportable(ref, loaded.model);
      const ex = exportOnnxModel(loaded.model, {
        preprocessing: loaded.preprocessing,
        inputSchema: loaded.pkg.inputSchema,
        opset: flags.opset,
        inputLayout: flags.inputLayout,
        metadata: {
          'lathe.package': loaded.ref.name
            ? `${loaded.ref.name}/${loaded.ref.version}`
            : (loaded.pkg.name ?? basename(loaded.pkg.path)),
          ...(loaded.pkg.target ? { 'lathe.target': loaded.pkg.target } : {}),
        },
      });
      const path = resolve(flags.out);
      await writeAtomic(path, ex.bytes);
      const view: ExportView = {
        path,
        bytes: ex.bytes.length,
        inputs: ex.inputs,
        outputs: ex.outputs,
        opset: ex.opset,
        kind: ex.kind,
        classes: ex.classes,
        unusedColumns: ex.unusedColumns,
        model: {
          ref,
          path: loaded.pkg.path,
          name: loaded.ref.name ?? loaded.pkg.name,
          version: loaded.ref.version ?? null,
        },
      };
      if (ex.unusedColumns.length) {
        note(
          flags,
          `note: the model does not read ${ex.unusedColumns.join(', ')}; ${ex.unusedColumns.length === 1 ? 'it is not an input' : 'they are not inputs'} of the graph.`,
        );
      }
      output(flags, view, () => exportText(view));
    }),
  );
}

/** The CLI family (`lathe train --model`) of an estimator, when it is one of theirs. */
function familyOf(est: Estimator): string | null {
  for (const f of FAMILIES) {
    for (const C of [f.classifier, f.regressor, f.unsupervised]) if (C && est instanceof C) return f.name;
  }
  return null;
}

/** The families whose models `lathe export` converts, in `lathe train --help` order. */
export function exportableFamilies(): string[] {
  const supported = new Set<string>(ONNX_SUPPORTED_MODELS);
  return FAMILIES.filter((f) =>
    [f.classifier, f.regressor].some((C) => C && supported.has(new C().typeName)),
  ).map((f) => f.name);
}

/**
 * A model whose estimator the exporter has no converter for (knn, naive Bayes, clusterers, pca) is
 * refused in CLI terms — its family and the families that can be exported — before any work.
 */
function checkExportable(ref: string, model: Estimator): void {
  let final: Estimator | undefined = model;
  while (final instanceof Pipeline) final = final.finalEstimator;
  if (!final || (ONNX_SUPPORTED_MODELS as readonly string[]).includes(final.typeName)) return;
  const family = familyOf(final);
  if (!family) return; // not a lathe train model (e.g. a preprocessing step alone): the exporter says
  const predicts = typeof (final as { predict?: unknown }).predict === 'function';
  throw new ValidationError(
    `${ref} cannot be exported to ONNX: it is a ${family} model (${final.typeName}); the model families lathe export converts are ${exportableFamilies().join(', ')}.`,
    {
      field: 'model',
      fix: `train one of those families on the same data and export that (e.g. lathe train <data> --target COL --model gbdt)${predicts ? `; this model can still score rows with lathe predict ${ref} <data>` : ''}`,
    },
  );
}

function shape(t: OnnxTensorInfo): string {
  return `${t.name} ${t.type}[${t.shape.join(', ')}]`;
}

function exportText(v: ExportView): string {
  const kb = v.bytes >= 10_240 ? `${Math.round(v.bytes / 1024)} KB` : `${v.bytes} bytes`;
  const lines = [
    `wrote ${v.path} (${kb}): ONNX ai.onnx ${v.opset['ai.onnx']}, ai.onnx.ml ${v.opset['ai.onnx.ml']}, a ${v.kind}`,
    `  inputs  (${v.inputs.length}): ${v.inputs.map(shape).join(', ')}`,
    `  outputs (${v.outputs.length}): ${v.outputs.map(shape).join(', ')}`,
  ];
  if (v.classes) lines.push(`  classes: ${v.classes.join(', ')}`);
  lines.push('  run it with onnxruntime: numbers as float64 (NaN = missing), text as strings ("" = missing)');
  return lines.join('\n');
}

/** Writes `bytes` to `path` through a temporary file in the same directory and a rename. */
async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const target = writeTarget(path); // a symbolic link stays: its target is written
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const release = trackTempPath(tmp);
  try {
    await makeDirs(dir);
    await writeFile(tmp, bytes);
    keepMode(tmp, target);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new DataError(`cannot write the ONNX file: ${(e as Error).message}`, {
      file: path,
      fix: 'choose a writable location for -o',
      cause: e,
    });
  } finally {
    release();
  }
}
