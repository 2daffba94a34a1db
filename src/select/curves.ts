/**
 * Learning and validation curves (scikit-learn's `learning_curve` and `validation_curve`): the
 * train and test scores of every fold as the training set grows, or as one parameter varies.
 * Every (size or value, fold) fit is a task on the {@link Executor}; results do not depend on the
 * number of threads.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import type { Executor, Task } from '../core/pool.ts';
import { Rng } from '../core/rng.ts';
import { warn } from '../core/warnings.ts';
import { checkFailures } from './cross-validate.ts';
import {
  type CvData,
  type CvDataOptions,
  type CvX,
  foldTask,
  needsOf,
  prepareCv,
  resolveExecutor,
  type ScoreFailure,
  scoreRowsCaught,
  settleScoreFailures,
} from './cv-core.ts';
import type { FoldOutcome } from './fold-task.ts';
import { resolveScoring, type Scorer, type ScoringInput } from './scoring.ts';

/** Options shared by the curves. */
export interface CurveOptions extends CvDataOptions {
  /** One scorer (default: the estimator's score). */
  scoring?: ScoringInput;
  nThreads?: number | null;
  executor?: Executor;
  /** Score of a failed fit or scoring (default NaN, with a warning), or `'raise'`. */
  errorScore?: 'raise' | number;
  modules?: readonly string[];
}

/** Options of {@link learningCurve}. */
export interface LearningCurveOptions extends CurveOptions {
  /**
   * Training set sizes: fractions in (0, 1] of the largest training fold, or row counts
   * (default [0.1, 0.325, 0.55, 0.775, 1]). Fractions if any value is not a whole number.
   */
  trainSizes?: readonly number[];
  /** Shuffle each fold's training rows before taking prefixes (default false). */
  shuffle?: boolean;
  /** Seed of that shuffle (default 0). */
  seed?: number;
}

/** Scores per tick (size or parameter value) and fold. */
export interface CurveResult {
  /** `trainScores[t][f]`: training score at tick t on fold f. */
  trainScores: Float64Array[];
  /** `testScores[t][f]`: test score at tick t on fold f. */
  testScores: Float64Array[];
  /** `fitTimes[t][f]`: seconds fitting. */
  fitTimes: Float64Array[];
}

/** What {@link learningCurve} returns. */
export interface LearningCurveResult extends CurveResult {
  /** The training set sizes used (sorted, distinct). */
  trainSizes: Int32Array;
}

/** scikit-learn's `_translate_train_sizes`. */
export function translateTrainSizes(sizes: readonly number[], nMax: number): Int32Array {
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new ValidationError('learningCurve: trainSizes must be a non-empty array.', {
      field: 'trainSizes',
    });
  }
  sizes.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new ValidationError(
        `learningCurve: trainSizes[${i}] is ${show(s)}; sizes must be finite numbers.`,
        {
          field: 'trainSizes',
          fix: 'use fractions in (0, 1] or row counts, e.g. [0.1, 0.5, 1]',
        },
      );
    }
  });
  const lo = Math.min(...sizes);
  const hi = Math.max(...sizes);
  let abs: number[];
  if (sizes.some((s) => !Number.isInteger(s))) {
    if (!(lo > 0) || !(hi <= 1)) {
      throw new ValidationError(
        `learningCurve: trainSizes are fractions of the largest training fold and must be within (0, 1]; they are within [${lo}, ${hi}].`,
        { field: 'trainSizes' },
      );
    }
    abs = sizes.map((s) => Math.min(Math.max(Math.trunc(s * nMax), 1), nMax));
  } else {
    if (lo <= 0 || hi > nMax) {
      throw new ValidationError(
        `learningCurve: trainSizes are row counts and must be within (0, ${nMax}]; they are within [${lo}, ${hi}].`,
        {
          field: 'trainSizes',
          fix: `use counts up to ${nMax} (the size of the first training fold), or fractions`,
        },
      );
    }
    abs = [...sizes];
  }
  const unique = [...new Set(abs)].sort((a, b) => a - b);
  if (unique.length < sizes.length) {
    warn(
      'UserWarning',
      `learningCurve: removed duplicate entries from trainSizes; ${unique.length} ticks instead of ${sizes.length}.`,
    );
  }
  return Int32Array.from(unique);
}

function single(scoring: ScoringInput | undefined, kind: string, who: string): Scorer {
  const s = resolveScoring(scoring, kind);
  if (s.length !== 1)
    throw new ValidationError(`${who} takes one scorer; got ${s.length}.`, { field: 'scoring' });
  return s[0];
}

function collect(
  data: CvData,
  scorer: Scorer,
  outcomes: FoldOutcome[],
  nTicks: number,
  index: (t: number, f: number) => number,
  trainRows: (t: number, f: number) => Int32Array,
  tick: (t: number) => string,
  errorScore: 'raise' | number,
  who: string,
): CurveResult {
  const nFolds = data.folds.length;
  const r: CurveResult = {
    trainScores: Array.from({ length: nTicks }, () => new Float64Array(nFolds)),
    testScores: Array.from({ length: nTicks }, () => new Float64Array(nFolds)),
    fitTimes: Array.from({ length: nTicks }, () => new Float64Array(nFolds)),
  };
  const failures: ScoreFailure[] = [];
  for (let t = 0; t < nTicks; t++) {
    for (let f = 0; f < nFolds; f++) {
      const o = outcomes[index(t, f)];
      r.fitTimes[t][f] = o.fitTime;
      if (!o.ok) {
        r.trainScores[t][f] = errorScore as number;
        r.testScores[t][f] = errorScore as number;
        continue;
      }
      const where = (part: string) => `the ${part} rows of fold ${f} ${tick(t)}`;
      scoreRowsCaught(
        data,
        [scorer],
        trainRows(t, f),
        o.train!,
        where('training'),
        'train',
        failures,
        (_, v) => {
          r.trainScores[t][f] = v;
        },
      );
      scoreRowsCaught(
        data,
        [scorer],
        data.folds[f].test,
        o.test!,
        where('test'),
        'test',
        failures,
        (_, v) => {
          r.testScores[t][f] = v;
        },
      );
    }
  }
  settleScoreFailures(failures, outcomes.filter((o) => o.ok).length, errorScore, who);
  return r;
}

/**
 * Train and test scores as the training set grows: for each fold, the estimator is fitted on the
 * first `size` rows of the fold's training set (shuffled first with `shuffle`) and scored on that
 * subset and on the fold's test rows.
 *
 * @example
 * const lc = learningCurve(new Ridge(), X, y, { cv: 5, scoring: 'r2' });
 * lc.trainSizes; lc.testScores; // one Float64Array of fold scores per size
 */
export function learningCurve(
  estimator: Estimator,
  X: CvX,
  y?: TargetInput | null,
  options: LearningCurveOptions = {},
): LearningCurveResult {
  const who = 'learningCurve';
  const data = prepareCv(estimator, X, y, options, who);
  const scorer = single(options.scoring, data.kind, who);
  const needs = needsOf([scorer]);
  const sizes = translateTrainSizes(
    options.trainSizes ?? [0.1, 0.325, 0.55, 0.775, 1.0],
    data.folds[0].train.length,
  );
  const rng = options.shuffle ? new Rng(options.seed ?? 0) : null;
  const trains = data.folds.map((f, i) => (rng ? rng.derive(i).shuffle(f.train.slice()) : f.train));
  for (const [i, t] of trains.entries()) {
    if (sizes[sizes.length - 1] > t.length) {
      throw new ValidationError(
        `learningCurve: fold ${i} has ${t.length} training rows, fewer than the largest size ${sizes[sizes.length - 1]}.`,
        { field: 'trainSizes', fix: 'use fractions, or sizes within every fold' },
      );
    }
  }
  const json = estimator.clone().toJSON();
  const tasks: Task[] = [];
  const rowsOf: Int32Array[] = [];
  for (let f = 0; f < data.folds.length; f++) {
    for (const size of sizes) {
      const rows = trains[f].slice(0, size);
      rowsOf.push(rows);
      tasks.push(
        foldTask(data, json, f, {
          testNeeds: needs,
          trainNeeds: needs,
          train: rows,
          modules: options.modules,
        }),
      );
    }
  }
  const outcomes = resolveExecutor(options).mapSync<FoldOutcome>(tasks);
  const errorScore = options.errorScore ?? Number.NaN;
  checkFailures(outcomes, errorScore, who);
  const nT = sizes.length;
  const idx = (t: number, f: number) => f * nT + t;
  const r = collect(
    data,
    scorer,
    outcomes,
    nT,
    idx,
    (t, f) => rowsOf[idx(t, f)],
    (t) => `(train size ${sizes[t]})`,
    errorScore,
    who,
  );
  return { trainSizes: sizes, ...r };
}

/** Options of {@link validationCurve}. */
export interface ValidationCurveOptions extends CurveOptions {
  /** The parameter to vary (a pipeline's as `step__param`). */
  paramName: string;
  /** Its values. */
  paramRange: readonly unknown[];
}

/**
 * Train and test scores of every fold for each value of one parameter.
 *
 * @example
 * const vc = validationCurve(new Ridge(), X, y, { paramName: 'alpha', paramRange: [0.01, 0.1, 1, 10], cv: 5 });
 */
export function validationCurve(
  estimator: Estimator,
  X: CvX,
  y: TargetInput | null | undefined,
  options: ValidationCurveOptions,
): CurveResult {
  const who = 'validationCurve';
  if (!options || typeof options.paramName !== 'string' || !Array.isArray(options.paramRange)) {
    throw new ValidationError(`${who}: options need paramName (a string) and paramRange (an array).`, {
      field: 'paramName',
    });
  }
  if (options.paramRange.length === 0) {
    throw new ValidationError(`${who}: paramRange is empty.`, { field: 'paramRange' });
  }
  // Unknown names fail here, before any fit, with the estimator's did-you-mean.
  estimator.clone().setParams({ [options.paramName]: options.paramRange[0] } as never);
  const data = prepareCv(estimator, X, y, options, who);
  const scorer = single(options.scoring, data.kind, who);
  const needs = needsOf([scorer]);
  const json = estimator.clone().toJSON();
  const P = options.paramRange.length;
  const tasks: Task[] = [];
  for (let f = 0; f < data.folds.length; f++) {
    for (const v of options.paramRange) {
      tasks.push(
        foldTask(data, json, f, {
          params: { [options.paramName]: v },
          testNeeds: needs,
          trainNeeds: needs,
          modules: options.modules,
        }),
      );
    }
  }
  const outcomes = resolveExecutor(options).mapSync<FoldOutcome>(tasks);
  const errorScore = options.errorScore ?? Number.NaN;
  checkFailures(outcomes, errorScore, who);
  return collect(
    data,
    scorer,
    outcomes,
    P,
    (t, f) => f * P + t,
    (_t, f) => data.folds[f].train,
    (t) => `(${options.paramName}=${show(options.paramRange[t])})`,
    errorScore,
    who,
  );
}
