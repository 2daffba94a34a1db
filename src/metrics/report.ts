/**
 * The classification report: precision, recall, F1 and support per class and averaged, as data
 * and as scikit-learn's text table.
 *
 * @module
 */

import { codePointLength } from '../core/code-points.ts';
import { show } from '../core/errors.ts';
import { type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { warn } from '../core/warnings.ts';
import { type AveragedScores, type PerClassScores, prf } from './classification.ts';
import {
  asLabelsOption,
  checkZeroDivision,
  classificationTargets,
  fail,
  type LabelsInput,
  labelsOption,
  type ZeroDivision,
} from './validate.ts';

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** The labels to report, in order (default: every class in `yTrue` or `yPred`, sorted). */
  labels?: readonly (Label | boolean)[];
  /** Display names of the labels, in the same order (default: the labels as strings; booleans `True` / `False`). */
  targetNames?: readonly string[];
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /** Digits after the decimal point in the text rendering (default 2). */
  digits?: number;
  /** The value of an undefined ratio: `'warn'` (default: 0 with a warning), `0` or `1`. */
  zeroDivision?: ZeroDivision;
}

/** One line of the report. */
export interface ClassificationReportRow {
  /** The target name (per class) or `'micro avg'` / `'macro avg'` / `'weighted avg'`. */
  name: string;
  precision: number;
  recall: number;
  f1Score: number;
  /** The (weighted) number of true samples. */
  support: number;
}

/** The classification report as data, with its text rendering. */
export interface ClassificationReport {
  /** One row per reported class; `label` is the class, `name` its display name. */
  classes: (ClassificationReportRow & { label: Label })[];
  /**
   * The accuracy, when it equals the micro average (binary or multiclass targets with every class
   * reported); otherwise `null` and {@link ClassificationReport.microAvg} is given instead.
   */
  accuracy: number | null;
  /** The micro average, when it is not the accuracy (a subset of labels); else `null`. */
  microAvg: ClassificationReportRow | null;
  macroAvg: ClassificationReportRow;
  weightedAvg: ClassificationReportRow;
  /** The report as scikit-learn prints it (`classification_report(..., digits)`). */
  text: string;
}

/**
 * Precision, recall, F1 and support for each class, with the accuracy (or micro average), macro
 * and weighted averages — scikit-learn's `classification_report`, returned as data (the
 * `output_dict=True` content) together with the text table.
 *
 * @example
 * const r = classificationReport(['a', 'b', 'a', 'c'], ['a', 'b', 'b', 'c']);
 * r.accuracy;  // 0.75
 * console.log(r.text);
 * //               precision    recall  f1-score   support
 * //
 * //            a       1.00      0.50      0.67         2
 * //            b       0.50      1.00      0.67         1
 * //            c       1.00      1.00      1.00         1
 * //
 * //     accuracy                           0.75         4
 * //    macro avg       0.83      0.83      0.78         4
 * // weighted avg       0.88      0.75      0.75         4
 */
export function classificationReport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const who = 'classificationReport';
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    fail(who, 'digits', `digits must be an integer in [0, 20]; got ${show(digits)}.`, 'pass e.g. digits: 3');
  }
  const zeroDivision = checkZeroDivision(who, options.zeroDivision ?? 'warn');
  const t = classificationTargets(yTrue, yPred, who);
  const labelsGiven = options.labels !== undefined && options.labels !== null;
  const labels = labelsGiven ? asLabelsOption(options.labels, who)!.slice() : t.classes.slice();
  let microIsAccuracy = true;
  if (labelsGiven) {
    const codes = labelsOption(labels, t.classes, t.kind, who);
    const covered = new Set(codes);
    microIsAccuracy = !codes.includes(-1) && covered.size === t.classes.length;
  }
  let names = options.targetNames
    ? options.targetNames.map(String)
    : defaultNames(yTrue, yPred, options, labels);
  if (options.targetNames && options.targetNames.length !== labels.length) {
    if (!labelsGiven) {
      fail(
        who,
        'targetNames',
        `number of classes, ${labels.length}, does not match size of targetNames, ${options.targetNames.length}.`,
        'give one name per class, or pass labels',
      );
    }
    warn(
      'UserWarning',
      `labels size, ${labels.length}, does not match size of target_names, ${options.targetNames.length}`,
    );
    names = names.slice(0, Math.min(names.length, labels.length));
  }
  const common = { labels, sampleWeight: options.sampleWeight, zeroDivision };
  const per = prf(who, yTrue, yPred, { ...common, average: null }, ALL) as PerClassScores;
  const m = Math.min(names.length, labels.length);
  const classes = Array.from({ length: m }, (_, j) => ({
    name: names[j],
    label: labels[j],
    precision: per.precision[j],
    recall: per.recall[j],
    f1Score: per.fbeta[j],
    support: per.support[j],
  }));
  const total = pairwiseSum(per.support, 0, per.support.length); // np.sum(s)
  const avg = (average: 'micro' | 'macro' | 'weighted', name: string): ClassificationReportRow => {
    const r = prf(who, yTrue, yPred, { ...common, average }, ALL) as AveragedScores;
    return { name, precision: r.precision, recall: r.recall, f1Score: r.fbeta, support: total };
  };
  const micro = avg('micro', microIsAccuracy ? 'accuracy' : 'micro avg');
  const macroAvg = avg('macro', 'macro avg');
  const weightedAvg = avg('weighted', 'weighted avg');
  // scikit-learn's supports are floats (printed 2.0) with weights, and also when no sample at all
  // is predicted correctly (its counts then start from np.zeros rather than np.bincount).
  const weighted =
    (options.sampleWeight !== undefined && options.sampleWeight !== null) || !anyCorrect(t.yTrue, t.yPred);
  const nameWidth = Math.max(0, ...(options.targetNames ?? names).map((x) => codePointLength(String(x))));
  const text = renderReport(
    classes,
    nameWidth,
    microIsAccuracy,
    micro,
    macroAvg,
    weightedAvg,
    digits,
    weighted,
  );
  return {
    classes,
    accuracy: microIsAccuracy ? micro.precision : null,
    microAvg: microIsAccuracy ? null : micro,
    macroAvg,
    weightedAvg,
    text,
  };
}

const ALL = new Set(['precision', 'recall', 'f-score'] as const);

/**
 * scikit-learn's default target names, `'%s' % label`: a boolean class prints as `True` /
 * `False` (NumPy keeps a bool dtype when every label — of `labels`, or else of both labelings — is
 * a boolean); any other label as its string.
 */
function defaultNames(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ClassificationReportOptions,
  labels: readonly Label[],
): string[] {
  const given = options.labels;
  const boolean =
    given !== undefined && given !== null
      ? given.length > 0 && given.every((l) => typeof l === 'boolean')
      : allBooleans(yTrue) && allBooleans(yPred);
  return boolean ? labels.map((l) => (l ? 'True' : 'False')) : labels.map(String);
}

function allBooleans(y: LabelsInput): boolean {
  const v = targetValues(y as TargetInput);
  if (ArrayBuffer.isView(v) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'boolean') return false;
  return true;
}

/** scikit-learn's text layout: right-aligned columns of width 9, names padded to the longest. */
function renderReport(
  rows: ClassificationReportRow[],
  nameWidth: number,
  microIsAccuracy: boolean,
  micro: ClassificationReportRow,
  macro: ClassificationReportRow,
  weighted: ClassificationReportRow,
  digits: number,
  floatSupport: boolean,
): string {
  const width = Math.max(nameWidth, 'weighted avg'.length, digits);
  const pad = padStartCodePoints;
  const num = (x: number) => pad(formatFixed(x, digits), 9);
  const sup = (x: number) => pad(floatSupport ? pyFloatRepr(x) : String(x), 9);
  const line = (r: ClassificationReportRow) =>
    `${pad(r.name, width)}  ${num(r.precision)} ${num(r.recall)} ${num(r.f1Score)} ${sup(r.support)}\n`;
  let out = `${pad('', width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => pad(h, 9)).join(' ')}\n\n`;
  for (const r of rows) out += line(r);
  out += '\n';
  if (microIsAccuracy) {
    out += `${pad('accuracy', width)}  ${pad('', 9)} ${pad('', 9)} ${num(micro.f1Score)} ${sup(micro.support)}\n`;
  } else {
    out += line(micro);
  }
  out += line(macro);
  out += line(weighted);
  return out;
}

/** `s` right-aligned in `width` code points, as Python's `'{:>{width}}'.format(s)` pads it. */
function padStartCodePoints(s: string, width: number): string {
  const n = codePointLength(s);
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/**
 * `x` with `digits` decimals, rounded as Python's `format(x, '.Nf')`: correctly rounded from the
 * exact binary value, ties to even (`toFixed` breaks exact ties upward).
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x !== x ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = x.toFixed(digits);
  if (Math.abs(x) >= 1e21) return s;
  const exact = x.toFixed(Math.min(100, digits + 60));
  // A tie has exact decimal expansion …d5000… right after the kept digits.
  const cut = exact.indexOf('.') + 1 + digits - (digits === 0 ? 1 : 0);
  const rest = digits === 0 ? exact.slice(exact.indexOf('.') + 1) : exact.slice(cut);
  if (!/^50*$/.test(rest)) return s;
  // Exact tie: round half to even on the kept digits.
  const kept = digits === 0 ? exact.slice(0, exact.indexOf('.')) : exact.slice(0, cut);
  const lastDigit = Number(kept.replace(/[^0-9]/g, '').slice(-1));
  if (lastDigit % 2 === 0) return kept.endsWith('.') ? kept.slice(0, -1) : kept;
  return s;
}

/** Python's `repr(float)`: shortest round-trip digits, `.0` for integers, exponent form outside [1e-4, 1e16). */
export function pyFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return x !== x ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e16 || ax < 1e-4) {
    const [mant, exp] = x.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** Whether some sample's predicted label is its true label. */
function anyCorrect(yTrue: Int32Array, yPred: Int32Array): boolean {
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) return true;
  return false;
}
