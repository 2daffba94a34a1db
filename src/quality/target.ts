/**
 * The target column: its task (classification or regression), class balance or distribution,
 * and how strongly each other column alone predicts it — the leakage check.
 *
 * The association of a feature is measured out of sample, so that a column with one value per
 * row (an ID) cannot look predictive by memorising: a lookup table from the feature's value
 * (numbers and datetimes in up to 256 equal-frequency bins, at least 8 training rows each on
 * average; missing is a value of its own, since "missing exactly when the label is positive" is
 * a classic leak) to the target — class frequencies or mean — is learned on a seeded random half
 * of the rows and scored on the other half: the Brier skill score
 * `1 − Brier(lookup)/Brier(base rates)` for classification (it credits a column that shifts a
 * rare class's probability, where accuracy would not move), R² for regression. For a numeric
 * feature and a regression target, Spearman's ρ² also counts (a monotone transform of the target
 * is a leak however the values are binned). A score of 1 means the column alone gives the
 * target away.
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { ValidationError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import type { Column } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import { spearmanMatrix } from '../stats/correlation.ts';
import type { ColumnWork } from './column-profile.ts';
import type { ProfileValueCount, TargetAssociation, TargetSection } from './report.ts';
import { gatherCodes, type SampleRankings } from './sample.ts';
import type { QualityThresholds } from './thresholds.ts';

/** At most this many bins for a numeric feature's lookup table. */
export const LOOKUP_BINS = 256;
/** Numeric features get at most one bin per this many training rows. */
const ROWS_PER_BIN = 8;
/** Fewer held-out rows than this and no associations are computed. */
const MIN_HALF = 10;
/** Lookup tables larger than this (bins × classes) are skipped. */
const MAX_CELLS = 20_000_000;

/** Options of {@link targetSection}. */
export interface TargetOptions {
  task?: 'classification' | 'regression';
  seed: number;
}

/** The task a target implies: strings and booleans are classes; whole numbers with few distinct values too. */
export function inferTask(work: ColumnWork, th: QualityThresholds): 'classification' | 'regression' {
  const p = work.profile;
  if (p.storage === 'categorical' || p.storage === 'text' || p.storage === 'boolean') return 'classification';
  if (p.storage === 'numeric' && p.numeric?.integers && p.distinct <= th.maxClassesForNumericTarget) {
    return 'classification';
  }
  return 'regression';
}

/** Per-row class codes (-1 missing), classes ordered by count (most frequent first, ties by value). */
function classCodes(c: Column, work: ColumnWork): { codes: Int32Array; classes: ProfileValueCount[] } {
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  const raw = new Int32Array(n);
  const labels: (string | number | boolean)[] = [];
  if (c.type === 'categorical') {
    raw.set(c.codes);
    labels.push(...c.dictionary);
  } else if (c.type === 'boolean') {
    for (let i = 0; i < n; i++) raw[i] = c.values[i];
    labels.push(false, true);
  } else if (c.type === 'text') {
    raw.set(work.codes as Int32Array);
    const seen: string[] = [];
    c.values.forEach((v, i) => {
      const k = raw[i];
      if (v !== null && seen[k] === undefined) seen[k] = v;
    });
    labels.push(...seen);
  } else {
    const ids = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (v !== v) raw[i] = -1;
      else {
        let k = ids.get(v);
        if (k === undefined) {
          ids.set(v, (k = labels.length));
          labels.push(c.type === 'datetime' ? new Date(v).toISOString() : v);
        }
        raw[i] = k;
      }
    }
  }
  const counts = new Float64Array(labels.length);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (raw[i] >= 0) {
      counts[raw[i]]++;
      m++;
    }
  }
  const order = labels.map((_, k) => k).filter((k) => counts[k] > 0);
  order.sort((a, b) => {
    const x = labels[a];
    const y = labels[b];
    const byValue =
      typeof x === 'string' && typeof y === 'string' ? compareCodePoints(x, y) : x < y ? -1 : x > y ? 1 : 0;
    return counts[b] - counts[a] || byValue;
  });
  const remap = new Int32Array(labels.length).fill(-1);
  order.forEach((k, r) => {
    remap[k] = r;
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = raw[i] >= 0 ? remap[raw[i]] : -1;
  const classes = order.map((k) => ({ value: labels[k], count: counts[k], pct: (100 * counts[k]) / m }));
  return { codes, classes };
}

/** A feature at the sampled rows as bin numbers 0..nBins−1 (the last bin is "missing"). */
function featureBins(
  c: Column,
  j: number,
  work: ColumnWork,
  rankings: SampleRankings,
  maxBins: number,
): { bins: Int32Array; nBins: number } {
  if (c.type === 'categorical' || c.type === 'text') {
    const codes = gatherCodes(c.type === 'categorical' ? c.codes : (work.codes as Int32Array), rankings.rows);
    const missing = c.type === 'categorical' ? c.dictionary.length : work.profile.distinct;
    const bins = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) bins[i] = codes[i] >= 0 ? codes[i] : missing;
    return { bins, nBins: missing + 1 };
  }
  // Numbers: the dense rank when there are few distinct values, else equal-frequency bins of
  // the ranks (a value is never split between bins).
  const { codes, values } = rankings.get(j);
  const d = values.length;
  const m = codes.length;
  const bins = new Int32Array(m);
  let nBins = d;
  if (d <= maxBins) {
    for (let i = 0; i < m; i++) bins[i] = codes[i] >= 0 ? codes[i] : d;
  } else {
    const start = new Float64Array(d);
    let present = 0;
    for (let i = 0; i < m; i++) if (codes[i] >= 0) start[codes[i]]++;
    for (let k = 0; k < d; k++) {
      const c = start[k];
      start[k] = present;
      present += c;
    }
    nBins = maxBins;
    for (let i = 0; i < m; i++) {
      bins[i] =
        codes[i] >= 0 ? Math.min(maxBins - 1, Math.floor((start[codes[i]] * maxBins) / present)) : maxBins;
    }
  }
  return { bins, nBins: nBins + 1 };
}

/**
 * Brier skill score of the per-bin class frequencies (learned on the training half) over the
 * held-out half: 1 − Brier(lookup) / Brier(overall class frequencies). 1 = the bin gives the
 * class away; 0 = no better than the base rates (also for bins never seen in training).
 */
function classificationLookup(
  bins: Int32Array,
  nBins: number,
  y: Int32Array,
  k: number,
  train: Uint8Array,
): number | null {
  if (nBins * k > MAX_CELLS) return null;
  const counts = new Float64Array(nBins * k);
  const totals = new Float64Array(nBins);
  const overall = new Float64Array(k);
  let nTrain = 0;
  for (let i = 0; i < y.length; i++) {
    if (train[i] !== 1 || y[i] < 0) continue;
    counts[bins[i] * k + y[i]]++;
    totals[bins[i]]++;
    overall[y[i]]++;
    nTrain++;
  }
  if (nTrain === 0) return null;
  let baseSq = 0;
  for (let c = 0; c < k; c++) {
    overall[c] /= nTrain;
    baseSq += overall[c] * overall[c];
  }
  // Per bin: the predicted probabilities (base rates for empty bins) and their sum of squares,
  // so each held-out row's Brier score is Σp² − 2·p_y + 1.
  const sumSq = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) {
      for (let c = 0; c < k; c++) counts[b * k + c] = overall[c];
      sumSq[b] = baseSq;
      continue;
    }
    let ss = 0;
    for (let c = 0; c < k; c++) {
      const pr = counts[b * k + c] / totals[b];
      counts[b * k + c] = pr;
      ss += pr * pr;
    }
    sumSq[b] = ss;
  }
  let model = 0;
  let base = 0;
  for (let i = 0; i < y.length; i++) {
    if (train[i] !== 0 || y[i] < 0) continue;
    const b = bins[i];
    model += sumSq[b] - 2 * counts[b * k + y[i]] + 1;
    base += baseSq - 2 * overall[y[i]] + 1;
  }
  if (!(base > 0)) return null;
  return Math.max(0, 1 - model / base);
}

function regressionLookup(
  bins: Int32Array,
  nBins: number,
  y: Float64Array,
  train: Uint8Array,
): number | null {
  const sums = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  let sumAll = 0;
  let nAll = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (train[i] !== 1 || v !== v) continue;
    sums[bins[i]] += v;
    counts[bins[i]]++;
    sumAll += v;
    nAll++;
  }
  if (nAll === 0) return null;
  const fallback = sumAll / nAll;
  let testSum = 0;
  let testN = 0;
  for (let i = 0; i < y.length; i++) {
    if (train[i] === 0 && y[i] === y[i]) {
      testSum += y[i];
      testN++;
    }
  }
  if (testN === 0) return null;
  const testMean = testSum / testN;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (train[i] !== 0 || v !== v) continue;
    const b = bins[i];
    const pred = counts[b] > 0 ? sums[b] / counts[b] : fallback;
    sse += (v - pred) ** 2;
    sst += (v - testMean) ** 2;
  }
  if (!(sst > 0)) return null;
  return Math.max(0, 1 - sse / sst);
}

/** Analyses the target column `name` over `rows` (null: all rows). */
export function targetSection(
  table: Table,
  works: readonly ColumnWork[],
  name: string,
  rankings: SampleRankings,
  th: QualityThresholds,
  options: TargetOptions,
): TargetSection {
  const rows = rankings.rows;
  const j = table.indexOf(name);
  const col = table.columns[j];
  const work = works[j];
  const task = options.task ?? inferTask(work, th);
  const n = rows === null ? table.nRows : rows.length;
  const section: TargetSection = {
    column: name,
    task,
    missing: work.profile.missing,
    classes: null,
    imbalanceRatio: null,
    distribution: null,
    associations: [],
    rows: n,
    leakageSuspects: [],
  };
  let yClass: Int32Array | null = null;
  let yNum: Float64Array | null = null;
  let k = 0;
  if (task === 'classification') {
    const { codes, classes } = classCodes(col, work);
    section.classes = classes;
    k = classes.length;
    if (k > 0) section.imbalanceRatio = classes[k - 1].count / classes[0].count;
    yClass = gatherCodes(codes, rows);
  } else {
    if (col.type === 'categorical' || col.type === 'text') {
      throw new ValidationError(
        `profileTable: task 'regression' needs a numeric target, but column '${name}' is ${col.type}.`,
        { field: 'task', fix: "use task 'classification', or convert the column to numbers first" },
      );
    }
    if (work.profile.numeric && work.profile.histogram) {
      section.distribution = { summary: work.profile.numeric, histogram: work.profile.histogram };
    }
    yNum = rankings.values(j);
  }

  // A seeded half/half split of the sampled rows.
  const rng = new Rng(options.seed).derive('target-associations');
  const train = new Uint8Array(n);
  let nTrain = 0;
  for (let i = 0; i < n; i++) {
    train[i] = rng.random() < 0.5 ? 1 : 0;
    nTrain += train[i];
  }
  if (nTrain < MIN_HALF || n - nTrain < MIN_HALF) return section;

  // Enough training rows per bin for its frequencies or mean to mean something.
  const maxBins = Math.max(2, Math.min(LOOKUP_BINS, Math.floor(nTrain / ROWS_PER_BIN)));
  const associations: TargetAssociation[] = [];
  for (let f = 0; f < table.nCols; f++) {
    if (f === j) continue;
    const c = table.columns[f];
    const w = works[f];
    if (w.profile.count === 0) continue;
    const { bins, nBins } = featureBins(c, f, w, rankings, maxBins);
    const lookup =
      yClass !== null
        ? classificationLookup(bins, nBins, yClass, k, train)
        : regressionLookup(bins, nBins, yNum!, train);
    let rankR2: number | null = null;
    if (yNum !== null && (c.type === 'numeric' || c.type === 'datetime' || c.type === 'boolean')) {
      const rho = spearmanMatrix([rankings.get(f), rankings.get(j)])[1];
      rankR2 = Number.isFinite(rho) ? rho * rho : null;
    }
    const score = Math.min(1, Math.max(lookup ?? 0, rankR2 ?? 0));
    associations.push({ column: c.name, score, lookup, rankR2 });
  }
  associations.sort((a, b) => b.score - a.score);
  section.associations = associations;
  section.leakageSuspects = associations.filter((a) => a.score >= th.leakage).map((a) => a.column);
  return section;
}
