/**
 * The report's correlation section: Pearson and Spearman matrices over the numeric and boolean
 * columns (pairwise complete, as pandas), and the highly correlated pairs.
 *
 * Cost is O(p²·n), so two limits keep wide or long tables fast: at most
 * `thresholds.maxCorrelationColumns` columns (the most complete ones), and at most `sample`
 * rows (a seeded random sample; the section says so). Constant and ID-like columns are left
 * out — their correlations are undefined or meaningless — and listed in `excluded`.
 *
 * @module
 */

import type { Table } from '../data/table.ts';
import { correlationMatrix, spearmanMatrix } from '../stats/correlation.ts';
import type { ColumnWork } from './column-profile.ts';
import type { CorrelatedPair, CorrelationSection } from './report.ts';
import type { SampleRankings } from './sample.ts';
import type { QualityThresholds } from './thresholds.ts';

const toNested = (m: Float64Array, p: number): (number | null)[][] =>
  Array.from({ length: p }, (_, a) =>
    Array.from({ length: p }, (_, b) => {
      const v = m[a * p + b];
      return Number.isFinite(v) ? v : null;
    }),
  );

/** The columns the matrices cover (the most complete, within the limit) and those left out, with why. */
export function correlationColumns(
  works: readonly ColumnWork[],
  th: QualityThresholds,
): { chosen: ColumnWork[]; excluded: { column: string; reason: string }[] } {
  const excluded: { column: string; reason: string }[] = [];
  const candidates: ColumnWork[] = [];
  for (const w of works) {
    const p = w.profile;
    if (p.storage !== 'numeric' && p.storage !== 'boolean') continue;
    if (p.count === 0) excluded.push({ column: p.name, reason: 'all values missing' });
    else if (p.distinct < 2) excluded.push({ column: p.name, reason: 'constant' });
    else if (w.idLike || p.type === 'id') excluded.push({ column: p.name, reason: 'ID-like' });
    else candidates.push(w);
  }
  let chosen = candidates;
  if (candidates.length > th.maxCorrelationColumns) {
    const byCompleteness = [...candidates].sort(
      (a, b) => a.profile.missing - b.profile.missing || a.profile.index - b.profile.index,
    );
    const keep = new Set(byCompleteness.slice(0, th.maxCorrelationColumns));
    for (const w of byCompleteness.slice(th.maxCorrelationColumns)) {
      excluded.push({
        column: w.profile.name,
        reason: `over the limit of ${th.maxCorrelationColumns} columns (thresholds.maxCorrelationColumns)`,
      });
    }
    chosen = candidates.filter((w) => keep.has(w));
  }
  return { chosen, excluded };
}

/** Computes the correlation section over the sampled rows of `rankings`. */
export function correlationSection(
  table: Table,
  works: readonly ColumnWork[],
  rankings: SampleRankings,
  th: QualityThresholds,
): CorrelationSection {
  const { chosen, excluded } = correlationColumns(works, th);
  const data = chosen.map((w) => rankings.values(w.profile.index));
  const pearson = correlationMatrix(data, { method: 'pearson' });
  const spearman = spearmanMatrix(chosen.map((w) => rankings.get(w.profile.index)));
  return assembleCorrelations(table, rankings.rows, chosen, excluded, pearson, spearman, th);
}

/** The section from the two matrices over `chosen` (row-major, `chosen.length` square). */
export function assembleCorrelations(
  table: Table,
  rows: Int32Array | null,
  chosen: readonly ColumnWork[],
  excluded: { column: string; reason: string }[],
  pearson: Float64Array,
  spearman: Float64Array,
  th: QualityThresholds,
): CorrelationSection {
  const names = chosen.map((w) => w.profile.name);
  const p = names.length;
  const highPairs: CorrelatedPair[] = [];
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const r = pearson[a * p + b];
      const s = spearman[a * p + b];
      if (Math.abs(r) >= th.highCorrelation || Math.abs(s) >= th.highCorrelation) {
        highPairs.push({
          a: names[a],
          b: names[b],
          pearson: Number.isFinite(r) ? r : null,
          spearman: Number.isFinite(s) ? s : null,
        });
      }
    }
  }
  const strength = (q: CorrelatedPair) => Math.max(Math.abs(q.pearson ?? 0), Math.abs(q.spearman ?? 0));
  highPairs.sort((x, y) => strength(y) - strength(x));
  return {
    columns: names,
    excluded,
    rows: rows === null ? table.nRows : rows.length,
    sampled: rows !== null,
    pearson: toNested(pearson, p),
    spearman: toNested(spearman, p),
    highPairs,
  };
}
