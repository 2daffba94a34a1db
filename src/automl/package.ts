/**
 * Turning a training result into a model package and a tracked run — shared by `lathe train`,
 * `lathe tune` and `lathe run` so that every model Lathe writes has the same shape.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import type { Label } from '../core/labels.ts';
import { encodePlain, type PlainObject, type PlainValue } from '../core/plain.ts';
import type { ColumnType } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import type { ModelPackageInput } from '../track/package/write.ts';
import { encodeReference } from './reference.ts';
import type { TrainResult } from './train.ts';

/** The columns a model's predictions come in, as `lathe predict` writes them. */
export function outputSchemaFor(
  task: TrainResult['task'],
  classes: readonly Label[] | null,
  nComponents = 0,
  targetStorage?: ColumnType,
): Schema {
  if (task === 'binary' || task === 'multiclass') {
    const labels = (classes ?? []).map(String);
    return {
      version: 1,
      columns: [
        {
          name: 'prediction',
          type: 'categorical',
          // The predictions keep the target's type: numbers stay numbers, booleans booleans.
          storage: predictionStorage(classes, targetStorage),
          nullable: false,
          categories: labels,
        },
        ...labels.map((c) => ({
          name: `proba_${c}`,
          type: 'numeric' as const,
          storage: 'numeric' as const,
          nullable: false,
          min: 0,
          max: 1,
        })),
      ],
    };
  }
  if (task === 'regression') {
    return {
      version: 1,
      columns: [{ name: 'prediction', type: 'numeric', storage: 'numeric', nullable: false }],
    };
  }
  if (task === 'clustering') {
    return {
      version: 1,
      columns: [{ name: 'prediction', type: 'categorical', storage: 'numeric', nullable: false }],
    };
  }
  // As PCA names them (getFeatureNamesOut, scikit-learn's 'pca0', 'pca1', …) and `lathe predict`
  // writes them.
  return {
    version: 1,
    columns: Array.from({ length: nComponents }, (_, j) => ({
      name: `pca${j}`,
      type: 'numeric' as const,
      storage: 'numeric' as const,
      nullable: false,
    })),
  };
}

/**
 * How a classifier's `prediction` column is stored: `boolean` for a boolean target, `numeric` when
 * every class is a number (a 0/1 target), else `categorical` (strings).
 */
export function predictionStorage(
  classes: readonly Label[] | null,
  targetStorage?: ColumnType,
): 'boolean' | 'numeric' | 'categorical' {
  if (targetStorage === 'boolean') return 'boolean';
  if (classes?.length && classes.every((c) => typeof c === 'number')) return 'numeric';
  return 'categorical';
}

/** Finite metrics only (a package stores numbers; NaN marks "undefined here" and is left out). */
export function finiteMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

/**
 * SHA-256 of the fitted model's canonical plain-data encoding: equal hashes mean bit-identical
 * models (what `lathe reproduce` compares).
 */
export function modelDigest(model: { toJSON(): unknown }): string {
  const encoded = encodePlain(model.toJSON() as PlainValue);
  return createHash('sha256').update(JSON.stringify(encoded)).digest('hex');
}

/** The model-package input for a training result. */
export function packageInputFor(
  result: TrainResult,
  lineage: PlainObject,
  name?: string | null,
): ModelPackageInput {
  const nComponents = result.task === 'transform' ? Number(result.metrics.nComponents ?? 0) : 0;
  return {
    model: result.model,
    task: result.task,
    target: result.target,
    inputSchema: result.inputSchema,
    outputSchema: outputSchemaFor(
      result.task,
      result.classes,
      nComponents,
      result.tableSchema.columns.find((c) => c.name === result.target)?.storage,
    ),
    metrics: finiteMetrics(result.metrics),
    lineage,
    name: name ?? null,
    // The sample drift is measured against, and what the metrics were measured on (lathe monitor).
    extra: { reference: encodeReference(result.reference), metricsOn: result.metricsOn },
    description: `${result.family} ${result.task} model${result.target ? ` of '${result.target}'` : ''}`,
  };
}
