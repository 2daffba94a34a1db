/**
 * The result every hypothesis test returns: plain, JSON-serialisable data (statistic, p-value,
 * degrees of freedom, the alternative, an effect size and a confidence interval where one
 * exists), and {@link formatTestResult}, its text rendering for the command line.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { Alternative } from './validate.ts';

/** A named quantity (an estimate or an effect size). */
export interface NamedValue {
  /** What it is, e.g. "mean difference", "Cohen's d", "rank-biserial correlation". */
  name: string;
  value: number;
}

/** A confidence interval. One-sided alternatives give a one-sided interval (an infinite bound). */
export interface ConfidenceInterval {
  /** The confidence level, e.g. 0.95. */
  level: number;
  /** Lower bound (`-Infinity` for `alternative: 'less'`; `null` in JSON). */
  lower: number;
  /** Upper bound (`Infinity` for `alternative: 'greater'`; `null` in JSON). */
  upper: number;
  /** The quantity the interval is for, e.g. "mean difference". */
  of: string;
}

/** What a hypothesis test returns. */
export interface TestResult {
  /** The test, e.g. "Welch two-sample t-test". */
  test: string;
  /** The test statistic. */
  statistic: number;
  /** Its symbol: "t", "U", "W", "T", "chi2", "F", "H", "D", "A2", "r", "rho", "tau", "z", "OR". */
  statisticName: string;
  /** The p-value under the stated alternative. */
  pValue: number;
  /** Degrees of freedom, when the reference distribution has them (the numerator's for F). */
  df?: number;
  /** The denominator degrees of freedom of an F statistic. */
  df2?: number;
  /** The alternative hypothesis the p-value is for. */
  alternative: Alternative;
  /** How the p-value was computed, when there is a choice ("exact", "asymptotic", …). */
  method?: string;
  /** The number of observations used from each sample (after dropping missing values). */
  n: number[];
  /** The point estimate the test is about, e.g. the mean difference. */
  estimate?: NamedValue;
  /** A standardised effect size. */
  effectSize?: NamedValue;
  /** A confidence interval, where the test has one. */
  confidenceInterval?: ConfidenceInterval;
  /** Test-specific extra numbers (e.g. a z statistic, critical values, expected counts). */
  details?: Record<string, number | number[] | string | null>;
  /** Caveats, e.g. "normal approximation with n < 10". */
  notes?: string[];
}

/** Formats a number for reports: up to `digits` significant digits, scientific when tiny or huge. */
export function formatNumber(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 10 ** digits) {
    const s = x.toPrecision(digits);
    return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  }
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/** A p-value for people: "< 1e-16" below that, else four significant digits. */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return 'NaN';
  if (p < 1e-16) return '< 1e-16';
  return formatNumber(p, 4);
}

/**
 * The text report of a {@link TestResult}, a few aligned lines; `samples` (e.g. the column
 * names) goes under the title. Arrays longer than ten values stay in the JSON only.
 */
export function formatTestResult(r: TestResult, samples?: string): string {
  const shape = r as Partial<TestResult> | null;
  if (
    typeof shape !== 'object' ||
    shape === null ||
    typeof shape.statisticName !== 'string' ||
    typeof shape.statistic !== 'number' ||
    typeof shape.pValue !== 'number' ||
    !Array.isArray(shape.n)
  ) {
    throw new ValidationError(
      `formatTestResult: r must be a TestResult (what the tests such as tTest return); got ${show(r)}.`,
      { field: 'r', fix: 'pass the object a test function returned, e.g. formatTestResult(tTest(a, b))' },
    );
  }
  const rows: [string, string][] = [];
  if (samples) rows.push(['samples', samples]);
  rows.push(['statistic', `${r.statisticName} = ${formatNumber(r.statistic)}`]);
  if (r.df !== undefined)
    rows.push([
      'df',
      r.df2 !== undefined ? `${formatNumber(r.df)}, ${formatNumber(r.df2)}` : formatNumber(r.df),
    ]);
  rows.push(['p-value', formatPValue(r.pValue)]);
  rows.push(['alternative', r.alternative]);
  if (r.method) rows.push(['method', r.method]);
  rows.push(['n', r.n.join(', ')]);
  if (r.estimate) rows.push([r.estimate.name, formatNumber(r.estimate.value)]);
  if (r.effectSize) rows.push([r.effectSize.name, formatNumber(r.effectSize.value)]);
  if (r.confidenceInterval) {
    const ci = r.confidenceInterval;
    rows.push([
      `${formatNumber(ci.level * 100)}% CI (${ci.of})`,
      `[${formatNumber(ci.lower)}, ${formatNumber(ci.upper)}]`,
    ]);
  }
  for (const [k, v] of Object.entries(r.details ?? {})) {
    if (v === null || (Array.isArray(v) && v.length > 10)) continue;
    const text = Array.isArray(v)
      ? v.map((x) => formatNumber(x)).join(', ')
      : typeof v === 'number'
        ? formatNumber(v)
        : v;
    rows.push([k, text]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    r.test,
    '-'.repeat(Math.max(r.test.length, 20)),
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
  ];
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** p-value of a symmetric statistic from its two tail functions, for an alternative. */
export function pFromTails(alternative: Alternative, lower: number, upper: number): number {
  if (alternative === 'less') return lower;
  if (alternative === 'greater') return upper;
  return Math.min(1, 2 * Math.min(lower, upper));
}
