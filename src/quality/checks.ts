/**
 * The data-quality checks, as one declared table: each turns the profiles into findings with a
 * severity, the evidence (in words and as `measures`) and a suggested fix. docs/profile.md lists
 * every check with its thresholds; keep the two in step.
 *
 * @module
 */

import type { ColumnWork } from './column-profile.ts';
import { formatNumber, formatPct, formatPctAgainst, formatValue, listSome } from './format.ts';
import type {
  ColumnProfile,
  CorrelationSection,
  Finding,
  FindingMeasures,
  FindingSeverity,
  ProfileSource,
  QualityCheckId,
  TableProfile,
  TargetSection,
} from './report.ts';
import { FINDING_SEVERITIES } from './report.ts';
import type { QualityThresholds } from './thresholds.ts';

/** What the checks look at. */
export interface CheckContext {
  table: TableProfile;
  works: readonly ColumnWork[];
  correlations: CorrelationSection;
  target: TargetSection | null;
  source: ProfileSource | null;
  th: QualityThresholds;
  /** Numeric columns holding ±Infinity: how many, and the file line (or 1-based row) of the first. */
  infinite?: ReadonlyMap<string, InfiniteValues>;
}

/** ±Infinity in a numeric column (`inf` in a file): counted, with where the first one is. */
export interface InfiniteValues {
  count: number;
  positive: number;
  first: number;
  /** Whether `first` is a line of the file (else a 1-based row). */
  firstIsLine: boolean;
}

type Draft = Omit<Finding, 'id' | 'check'>;

/** A check: its id and a function from the context to findings (without id/check). */
interface Check {
  id: QualityCheckId;
  /** `column` checks run once per non-target column (`columnOrTarget` also on the target). */
  scope: 'table' | 'column' | 'columnOrTarget';
  run(ctx: CheckContext, work?: ColumnWork): Draft[];
}

const one = (
  severity: FindingSeverity,
  column: string | undefined,
  title: string,
  evidence: string,
  fix: string,
  measures: FindingMeasures,
): Draft[] => [{ severity, ...(column !== undefined ? { column } : {}), title, evidence, fix, measures }];

const nonMissing = (p: ColumnProfile) =>
  `${formatNumber(p.count)} non-missing value${p.count === 1 ? '' : 's'}`;

/** The checks, in the order their findings are listed within a severity. */
export const CHECKS: readonly Check[] = [
  {
    id: 'rejected-rows',
    scope: 'table',
    run: ({ source }) => {
      if (!source || source.rejected === 0) return [];
      const share = (100 * source.rejected) / Math.max(1, source.rowsRead);
      return one(
        'warning',
        undefined,
        `${formatNumber(source.rejected)} row${source.rejected === 1 ? '' : 's'} could not be read and ${source.rejected === 1 ? 'was' : 'were'} set aside`,
        `${formatNumber(source.rejected)} of ${formatNumber(source.rowsRead)} rows (${formatPct(share)}) were rejected while reading ${source.path}${source.rejectsPath ? `; they are in ${source.rejectsPath} with the reason for each` : ''}. This report covers the ${formatNumber(source.accepted)} accepted rows.`,
        `look at the rejected rows${source.rejectsPath ? ` in ${source.rejectsPath}` : ''}, repair or drop them at the source, and read the file again (--on-bad-rows error stops at the first one)`,
        {
          rowsRead: source.rowsRead,
          accepted: source.accepted,
          rejected: source.rejected,
          rejectsPath: source.rejectsPath,
        },
      );
    },
  },
  {
    id: 'duplicate-rows',
    scope: 'table',
    run: ({ table }) => {
      if (table.duplicateRows === 0) return [];
      const ex = table.duplicateExamples.map((e) =>
        e.line !== undefined
          ? `line ${e.line} repeats line ${e.sameAsLine}`
          : `row ${e.row} repeats row ${e.sameAs}`,
      );
      const lines = table.duplicateExamples[0]?.line !== undefined;
      return one(
        'warning',
        undefined,
        `${formatNumber(table.duplicateRows)} duplicate row${table.duplicateRows === 1 ? '' : 's'} (${formatPct(table.duplicatePct)})`,
        `${formatNumber(table.duplicateRows)} of ${formatNumber(table.rows)} rows are exact copies of an earlier row (${lines ? 'file lines' : '0-based rows'}: ${listSome(ex)}).`,
        'drop the copies (keep the first of each) unless repeated rows are genuine repeated events; duplicates inflate some patterns and leak between training and test splits',
        {
          duplicateRows: table.duplicateRows,
          duplicatePct: table.duplicatePct,
          rows: table.duplicateExamples.map((e) => e.row),
          sameAs: table.duplicateExamples.map((e) => e.sameAs),
        },
      );
    },
  },
  {
    id: 'empty-column',
    scope: 'column',
    run: (_ctx, w) => {
      const p = w!.profile;
      if (p.count > 0 || p.missing === 0) return [];
      return one(
        'warning',
        p.name,
        `'${p.name}' is entirely missing`,
        `all ${formatNumber(p.missing)} values of '${p.name}' are missing.`,
        `drop '${p.name}'; it carries no information`,
        { missing: p.missing },
      );
    },
  },
  {
    id: 'constant-column',
    scope: 'column',
    run: (_ctx, w) => {
      const p = w!.profile;
      if (p.distinct !== 1) return [];
      const v = p.top[0].value;
      return one(
        'warning',
        p.name,
        `'${p.name}' has a single value`,
        `every one of the ${nonMissing(p)} of '${p.name}' is ${formatValue(v)}${p.missing > 0 ? ` (the other ${formatNumber(p.missing)} are missing)` : ''}.`,
        p.missing > 0
          ? `drop '${p.name}', or keep only whether it is missing (a missing-indicator column)`
          : `drop '${p.name}'; a constant carries no information`,
        { value: v, count: p.count, missing: p.missing },
      );
    },
  },
  {
    id: 'near-constant-column',
    scope: 'column',
    run: ({ th }, w) => {
      const p = w!.profile;
      if (p.distinct < 2 || p.top.length === 0) return [];
      const share = p.top[0].count / p.count;
      if (share < th.nearConstantShare) return [];
      return one(
        'info',
        p.name,
        `'${p.name}' is almost constant`,
        `${formatValue(p.top[0].value)} is ${formatPct(100 * share)} of the ${nonMissing(p)}; the other ${p.distinct - 1} value${p.distinct === 2 ? '' : 's'} cover ${formatNumber(p.count - p.top[0].count)} rows (threshold ${formatPct(100 * th.nearConstantShare)}).`,
        `drop '${p.name}' unless its rare values matter (e.g. a rare-event flag); models learn little from it`,
        { value: p.top[0].value, share, distinct: p.distinct },
      );
    },
  },
  {
    id: 'missing-values',
    scope: 'column',
    run: ({ th }, w) => {
      const p = w!.profile;
      if (p.count === 0 || p.missingPct < th.missingInfoPct) return [];
      const high = p.missingPct >= th.missingWarningPct;
      const impute =
        p.storage === 'numeric'
          ? 'impute it (median) and add a missing-indicator column'
          : 'impute it (most frequent value, or a "missing" level)';
      return one(
        high ? 'warning' : 'info',
        p.name,
        `'${p.name}' is ${formatPctAgainst(p.missingPct, [th.missingInfoPct, th.missingWarningPct])} missing`,
        `${formatNumber(p.missing)} of ${formatNumber(p.missing + p.count)} values of '${p.name}' are missing (reported from ${formatPct(th.missingInfoPct)}, a warning from ${formatPct(th.missingWarningPct)}).`,
        high
          ? `drop '${p.name}', or ${impute} if whether it is missing is itself informative`
          : `${impute}; lathe train imputes automatically`,
        { missing: p.missing, missingPct: p.missingPct },
      );
    },
  },
  {
    id: 'id-like-column',
    scope: 'column',
    run: (_ctx, w) => {
      const p = w!.profile;
      if (!w!.idLike) return [];
      return one(
        'warning',
        p.name,
        `'${p.name}' looks like an identifier`,
        `'${p.name}' has ${formatNumber(p.distinct)} distinct values in ${nonMissing(p)}${p.storage === 'numeric' ? ', all whole numbers' : ''}: nearly one per row, so it cannot generalise to new rows.`,
        `exclude '${p.name}' from the features (give it type "id" in the schema; lathe train then drops it), but keep it to join results back`,
        { distinct: p.distinct, count: p.count },
      );
    },
  },
  {
    id: 'high-cardinality',
    scope: 'column',
    run: ({ th }, w) => {
      const p = w!.profile;
      if (w!.idLike || p.storage !== 'categorical' || p.distinct <= th.highCardinality) return [];
      if (p.count < th.minRowsForCardinality) return [];
      return one(
        'warning',
        p.name,
        `'${p.name}' has many categories (${formatNumber(p.distinct)})`,
        `'${p.name}' has ${formatNumber(p.distinct)} distinct values in ${nonMissing(p)} (threshold ${th.highCardinality}); one-hot encoding it would add ${formatNumber(p.distinct)} sparse columns.`,
        `group rare levels into "other", or use frequency or target encoding for '${p.name}'`,
        { distinct: p.distinct, count: p.count },
      );
    },
  },
  {
    id: 'numbers-as-text',
    scope: 'columnOrTarget',
    run: ({ th }, w) => {
      const p = w!.profile;
      const s = p.strings;
      if (!s) return [];
      const typed = p.count - s.kinds.missingLike;
      if (typed === 0 || s.kinds.number / typed < th.typedTextShare) return [];
      const share = s.kinds.number / typed;
      const others = s.oddValues.map((v) => formatValue(v));
      const codes = w!.leadingZeros > 0;
      return one(
        codes ? 'info' : 'warning',
        p.name,
        codes ? `'${p.name}' holds numeric codes stored as text` : `'${p.name}' holds numbers stored as text`,
        `${formatPct(100 * share)} of the ${formatNumber(typed)} values of '${p.name}' are numbers${others.length ? `; the rest include ${listSome(others)}` : ''}${s.missingLikeValues.length ? `; ${formatNumber(s.kinds.missingLike)} are missing-value tokens (${listSome(s.missingLikeValues.map((v) => formatValue(v)))})` : ''}.${codes ? ` ${formatNumber(w!.leadingZeros)} have leading zeros (e.g. ${formatValue(p.top.find((t) => typeof t.value === 'string' && /^0\d/.test(t.value.trim()))?.value ?? null)}), which suggests codes such as ZIP codes.` : ''}`,
        codes
          ? `keep '${p.name}' as text if these are codes; otherwise read it as numeric with a schema ({"name": "${p.name}", "type": "numeric"})`
          : `convert '${p.name}' to numbers with lathe clean <data> -o <file> (it reads thousands separators and currency signs, and sets aside values that are not numbers); a schema ({"name": "${p.name}", "type": "numeric"}) reads only plain numbers`,
        { numberShare: share, values: typed, leadingZeros: w!.leadingZeros, examples: s.oddValues },
      );
    },
  },
  {
    id: 'dates-as-text',
    scope: 'columnOrTarget',
    run: ({ th }, w) => {
      const p = w!.profile;
      const s = p.strings;
      if (!s) return [];
      const typed = p.count - s.kinds.missingLike;
      if (typed === 0 || s.kinds.date / typed < th.typedTextShare) return [];
      const share = s.kinds.date / typed;
      return one(
        'info',
        p.name,
        `'${p.name}' holds dates stored as text`,
        `${formatPct(100 * share)} of the ${formatNumber(typed)} values of '${p.name}' look like dates (e.g. ${formatValue(p.top[0]?.value ?? null)})${s.oddValues.length ? `; the rest include ${listSome(s.oddValues.map((v) => formatValue(v)))}` : ''}.`,
        `read '${p.name}' as a datetime: pass --schema with {"name": "${p.name}", "type": "datetime"}; then derive features such as year, month or age from it`,
        { dateShare: share, values: typed, examples: s.oddValues },
      );
    },
  },
  {
    id: 'mixed-types',
    scope: 'columnOrTarget',
    run: ({ th }, w) => {
      const p = w!.profile;
      const s = p.strings;
      if (!s) return [];
      const typed = p.count - s.kinds.missingLike;
      if (typed === 0) return [];
      const kinds = (['number', 'date', 'boolean', 'text'] as const)
        .map((k) => ({ k, share: s.kinds[k] / typed }))
        .filter((x) => x.share > 0)
        .sort((a, b) => b.share - a.share);
      if (kinds.length < 2 || kinds[0].share >= th.typedTextShare) return [];
      if (kinds.filter((x) => x.share >= th.mixedTypesMinShare).length < 2) return [];
      const label = { number: 'numbers', date: 'dates', boolean: 'booleans', text: 'text' };
      const parts = kinds.map(
        (x) => `${formatPctAgainst(100 * x.share, [100 * th.typedTextShare])} ${label[x.k]}`,
      );
      return one(
        'warning',
        p.name,
        `'${p.name}' mixes kinds of values`,
        `the values of '${p.name}' are ${parts.join(', ')} (e.g. ${listSome(
          s.oddValues.map((v) => formatValue(v)),
          3,
        )} beside ${formatValue(p.top[0]?.value ?? null)}).`,
        `clean '${p.name}' so it holds one kind of value (convert, or mark the odd ones as missing), or split it into separate columns`,
        Object.fromEntries(kinds.map((x) => [`${x.k}Share`, x.share])),
      );
    },
  },
  {
    id: 'disguised-missing',
    scope: 'columnOrTarget',
    run: (_ctx, w) => {
      const p = w!.profile;
      const s = p.strings;
      if (!s || s.kinds.missingLike === 0) return [];
      const tokens = s.missingLikeValues.map((v) => formatValue(v));
      return one(
        'warning',
        p.name,
        `'${p.name}' has missing values in disguise`,
        `${formatNumber(s.kinds.missingLike)} values of '${p.name}' (${formatPct((100 * s.kinds.missingLike) / p.count)}) are tokens that usually mean "missing": ${listSome(tokens)}. They count as real values now, so imputation and statistics treat them as a category.`,
        `treat ${listSome(tokens)} as missing: clean them at the source, or map them to empty values before reading`,
        { count: s.kinds.missingLike, tokens: s.missingLikeValues },
      );
    },
  },
  {
    id: 'outliers',
    scope: 'column',
    run: ({ th }, w) => {
      const p = w!.profile;
      const q = p.numeric;
      if (!q || w!.idLike || p.distinct < 3) return [];
      const o = q.outliers;
      const share = o.robustZCount / p.count;
      const fewFarOut = o.isolatedCount > 0 && o.isolatedCount / p.count <= 0.01;
      if (!fewFarOut && (o.robustZCount < th.minOutliers || share < th.outlierInfoShare)) return [];
      const ex = o.examples.map((v) => formatNumber(v, false));
      return one(
        fewFarOut ? 'warning' : 'info',
        p.name,
        fewFarOut ? `'${p.name}' has a few isolated far-out values` : `'${p.name}' has outliers`,
        `${formatNumber(o.robustZCount)} value${o.robustZCount === 1 ? '' : 's'} (${formatPct(100 * share)}) have |robust z| > ${th.robustZ}; ${formatNumber(o.iqrCount)} lie outside the IQR fences [${formatNumber(o.iqrLower, false)}, ${formatNumber(o.iqrUpper, false)}] and ${formatNumber(o.extremeCount)} beyond ${th.extremeIqrMultiplier}×IQR${o.isolatedCount ? `, ${formatNumber(o.isolatedCount)} of them cut off from the rest by a gap of more than ${th.isolationGapIqr}×IQR` : ''}${ex.length ? ` (most extreme: ${ex.join(', ')})` : ''}; median ${formatNumber(q.median, false)}, IQR ${formatNumber(q.iqr, false)}.`,
        fewFarOut
          ? `check the far-out values of '${p.name}' (${ex.slice(0, 3).join(', ')}): data-entry errors or sentinel codes such as 999 should be fixed or marked missing; real extremes can be clipped (winsorised) or handled by a robust model`
          : `if the tail is real, consider a log or rank transform of '${p.name}' or a robust scaler; tree models are unaffected`,
        {
          robustZCount: o.robustZCount,
          iqrCount: o.iqrCount,
          extremeCount: o.extremeCount,
          isolatedCount: o.isolatedCount,
          iqrLower: o.iqrLower,
          iqrUpper: o.iqrUpper,
          examples: o.examples,
        },
      );
    },
  },
  {
    id: 'infinite-values',
    scope: 'columnOrTarget',
    run: ({ infinite, target }, w) => {
      const name = w!.profile.name;
      const inf = infinite?.get(name);
      if (!inf) return [];
      const isTarget = target?.column === name;
      const where = `${inf.firstIsLine ? 'line' : 'row'} ${formatNumber(inf.first)}`;
      return one(
        isTarget ? 'critical' : 'warning',
        name,
        `${isTarget ? `the target '${name}'` : `'${name}'`} has infinite values`,
        `${formatNumber(inf.count)} value${inf.count === 1 ? '' : 's'} of '${name}' ${inf.count === 1 ? 'is' : 'are'} infinite (${formatNumber(inf.positive)} inf, ${formatNumber(inf.count - inf.positive)} -inf; the first on ${where}); its mean, spread and Pearson correlations cannot be computed (Spearman ranks them).`,
        isTarget
          ? `correct those values or empty the cells (rows without a target are left out); lathe train and evaluate refuse an infinite target`
          : `correct those values or empty the cells (lathe train imputes empty cells); an overflow or a division by zero upstream is the usual cause`,
        { count: inf.count, positive: inf.positive, negative: inf.count - inf.positive, first: inf.first },
      );
    },
  },
  {
    id: 'high-correlation',
    scope: 'table',
    run: ({ correlations, th }) =>
      correlations.highPairs.map((pair) => {
        const r = pair.pearson;
        const s = pair.spearman;
        const strongest = Math.abs(r ?? 0) >= Math.abs(s ?? 0) ? r : s;
        const sign = (strongest ?? 0) < 0 ? 'negatively' : 'positively';
        return {
          severity: 'warning' as FindingSeverity,
          column: pair.a,
          columns: [pair.a, pair.b],
          title: `'${pair.a}' and '${pair.b}' are highly correlated`,
          evidence: `Pearson r = ${formatNumber(r)}, Spearman ρ = ${formatNumber(s)} (${sign}; threshold |${th.highCorrelation}|) over ${formatNumber(correlations.rows)} rows${correlations.sampled ? ' (a random sample)' : ''}.`,
          fix: `one of '${pair.a}' and '${pair.b}' is largely redundant: drop one, combine them, or use a regularised model; linear-model coefficients and feature importances will be split unreliably between them`,
          measures: { pearson: r, spearman: s },
        };
      }),
  },
  {
    id: 'target-missing',
    scope: 'table',
    run: ({ target, works }) => {
      if (!target || target.missing === 0) return [];
      const p = works.find((w) => w.profile.name === target.column)!.profile;
      return one(
        p.count === 0 ? 'critical' : 'warning',
        target.column,
        `the target '${target.column}' is missing in ${formatNumber(target.missing)} rows`,
        `${formatNumber(target.missing)} of ${formatNumber(p.count + p.missing)} rows (${formatPct(p.missingPct)}) ${target.missing === 1 ? 'has' : 'have'} no value for the target '${target.column}'.`,
        p.count === 0
          ? `choose another target column; this one has no values`
          : `these rows cannot be used for training or evaluation; drop them (lathe train does) or recover their labels`,
        { missing: target.missing, missingPct: p.missingPct },
      );
    },
  },
  {
    id: 'target-constant',
    scope: 'table',
    run: ({ target, works }) => {
      if (!target) return [];
      const p = works.find((w) => w.profile.name === target.column)!.profile;
      if (p.distinct !== 1) return [];
      return one(
        'critical',
        target.column,
        `the target '${target.column}' has a single value`,
        `every non-missing value of '${target.column}' is ${formatValue(p.top[0].value)}: there is nothing to learn.`,
        'check that the right column and the whole data set were loaded (a filter may have removed every other class)',
        { value: p.top[0].value },
      );
    },
  },
  {
    id: 'class-imbalance',
    scope: 'table',
    run: ({ target, th }) => {
      if (!target?.classes || target.classes.length < 2) return [];
      const minority = target.classes[target.classes.length - 1];
      const majority = target.classes[0];
      const share = minority.pct / 100;
      if (share >= th.imbalanceWarningShare || minority.count >= th.imbalanceMaxRatio * majority.count)
        return [];
      const critical = share < th.imbalanceCriticalShare;
      return one(
        critical ? 'critical' : 'warning',
        target.column,
        `the classes of '${target.column}' are imbalanced`,
        `the rarest class ${formatValue(minority.value)} has ${formatNumber(minority.count)} row${minority.count === 1 ? '' : 's'} (${formatPctAgainst(minority.pct, [100 * th.imbalanceWarningShare, 100 * th.imbalanceCriticalShare])}) against ${formatNumber(majority.count)} for ${formatValue(majority.value)} (a warning below ${formatPct(100 * th.imbalanceWarningShare)}, critical below ${formatPct(100 * th.imbalanceCriticalShare)}).`,
        `use stratified splits, judge models by balanced metrics (ROC AUC, PR AUC, F1, balanced accuracy) rather than accuracy, and consider class weights${critical ? `; with so few ${formatValue(minority.value)} rows, collect more of them if you can` : ''}`,
        {
          minorityClass: typeof minority.value === 'boolean' ? String(minority.value) : minority.value,
          minorityCount: minority.count,
          minorityShare: share,
          imbalanceRatio: target.imbalanceRatio,
        },
      );
    },
  },
  {
    id: 'leakage-suspect',
    scope: 'table',
    run: ({ target, th }) => {
      if (!target) return [];
      return target.associations
        .filter((a) => a.score >= th.leakage)
        .map((a) => ({
          severity: 'critical' as FindingSeverity,
          column: a.column,
          columns: [a.column, target.column],
          title: `'${a.column}' alone predicts the target '${target.column}' almost perfectly`,
          evidence: `a lookup from '${a.column}' to '${target.column}', learned on half the rows, scores ${formatNumber(a.lookup)} on the other half (${target.task === 'classification' ? 'Brier skill score over the class base rates' : 'R²'})${a.rankR2 !== null ? `; Spearman ρ² = ${formatNumber(a.rankR2)}` : ''} — score ${formatNumber(a.score)} ≥ ${th.leakage}.`,
          fix: `make sure '${a.column}' is known at prediction time and is not derived from '${target.column}' (or recorded after it); if it is a leak, drop it`,
          measures: { score: a.score, lookup: a.lookup, rankR2: a.rankR2 },
        }));
    },
  },
];

/** Runs every check and returns the findings, most serious first. */
export function runChecks(ctx: CheckContext): Finding[] {
  const out: { f: Finding; order: number; col: number }[] = [];
  const targetName = ctx.target?.column;
  CHECKS.forEach((check, order) => {
    const emit = (drafts: Draft[], col: number) => {
      for (const d of drafts) {
        const cols = d.columns ?? (d.column !== undefined ? [d.column] : []);
        const id = [check.id, ...cols].join(':');
        out.push({ f: { id, check: check.id, ...d }, order, col });
      }
    };
    if (check.scope === 'table') emit(check.run(ctx), -1);
    else {
      for (const w of ctx.works) {
        if (check.scope === 'column' && w.profile.name === targetName) continue;
        emit(check.run(ctx, w), w.profile.index);
      }
    }
  });
  const rank = (s: FindingSeverity) => FINDING_SEVERITIES.indexOf(s);
  out.sort((a, b) => rank(a.f.severity) - rank(b.f.severity) || a.order - b.order || a.col - b.col);
  return out.map((x) => x.f);
}
