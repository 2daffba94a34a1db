/**
 * Multiple-testing corrections, as `statsmodels.stats.multitest.multipletests`:
 *
 * - `bonferroni`: p·m (family-wise error rate).
 * - `holm`: step-down Holm–Bonferroni — sorted ascending, p₍ᵢ₎·(m − i + 1), made monotone by a
 *   running maximum (FWER, uniformly more powerful than Bonferroni).
 * - `fdr_bh`: Benjamini–Hochberg — p₍ᵢ₎·m/i, made monotone by a running minimum from the top
 *   (false discovery rate, independent or positively dependent tests).
 * - `fdr_by`: Benjamini–Yekutieli — BH times Σ₁ᵐ 1/k (FDR under any dependence).
 *
 * Adjusted p-values are capped at 1 and returned in the input order; `reject[i]` is
 * `adjusted[i] ≤ alpha`.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { checkChoice, checkNumber } from './validate.ts';

/** A p-value adjustment method. */
export type PAdjustMethod = 'bonferroni' | 'holm' | 'fdr_bh' | 'fdr_by';

/** Options of {@link adjustPValues}. */
export interface AdjustOptions {
  /** 'bonferroni', 'holm' (default, as statsmodels' default 'hs' is not offered), 'fdr_bh' or 'fdr_by'. */
  method?: PAdjustMethod;
  /** Family-wise error rate or false discovery rate for `reject` (default 0.05). */
  alpha?: number;
}

/** What {@link adjustPValues} returns. */
export interface AdjustResult {
  method: PAdjustMethod;
  alpha: number;
  /** Adjusted p-values, in input order. */
  adjusted: number[];
  /** Whether each hypothesis is rejected at `alpha`. */
  reject: boolean[];
}

/** Adjusts p-values for multiple comparisons (see the module notes). */
export function adjustPValues(pValues: ArrayLike<number>, options: AdjustOptions = {}): AdjustResult {
  const who = 'adjustPValues';
  const method = checkChoice(
    options.method,
    ['bonferroni', 'holm', 'fdr_bh', 'fdr_by'] as const,
    'method',
    who,
    'holm',
  );
  const alpha = checkNumber(options.alpha ?? 0.05, 'alpha', who, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    const p = pValues[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      const missing = typeof p === 'number' && Number.isNaN(p);
      throw new ValidationError(`${who}: pValues[${i}] is ${String(p)}; p-values must be in [0, 1].`, {
        field: 'pValues',
        expected: 'numbers in [0, 1] (no missing values)',
        actual: p,
        fix: missing
          ? 'drop the missing p-values before adjusting'
          : 'pass p-values, not test statistics or percentages (each must be between 0 and 1)',
      });
    }
  }
  const adjusted = new Array<number>(m);
  if (method === 'bonferroni') {
    for (let i = 0; i < m; i++) adjusted[i] = Math.min(1, pValues[i] * m);
  } else {
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b] || a - b);
    const sorted = order.map((i) => pValues[i]);
    const out = new Array<number>(m);
    if (method === 'holm') {
      let run = 0;
      for (let i = 0; i < m; i++) {
        run = Math.max(run, sorted[i] * (m - i));
        out[i] = Math.min(1, run);
      }
    } else {
      let cm = 1;
      if (method === 'fdr_by') {
        cm = 0;
        for (let k = 1; k <= m; k++) cm += 1 / k;
      }
      let run = Number.POSITIVE_INFINITY;
      for (let i = m - 1; i >= 0; i--) {
        run = Math.min(run, (sorted[i] * cm) / ((i + 1) / m));
        out[i] = Math.min(1, run);
      }
    }
    order.forEach((idx, k) => {
      adjusted[idx] = out[k];
    });
  }
  return { method, alpha, adjusted, reject: adjusted.map((p) => p <= alpha) };
}
