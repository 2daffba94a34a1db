/**
 * Warnings on the command line: each distinct warning printed once (those of every worker thread
 * included — the pool re-emits them on the main thread), and the library's advice put in CLI terms
 * where there is a flag for it.
 *
 * @module
 */

import { type LatheWarning, onWarning } from '../core/warnings.ts';
import { terminalSafe } from './terminal.ts';

/** `lathe train` and `lathe tune` standardise numeric (and date) columns for the linear families. */
const SCALED =
  'numeric columns are already standardised by the automatic preprocessing, so scaling them again will not help';

/** A larger iteration limit to suggest after `n` iterations. */
function moreIterations(n: number): number {
  return n < 1000 ? 1000 : n * 10;
}

/**
 * The warning's message in CLI terms: the convergence advice of the linear models ("Increase
 * maxIter or scale the data (e.g. StandardScaler in a Pipeline)") becomes the `--params` to pass.
 * Other messages are returned unchanged.
 */
export function cliWarningMessage(w: LatheWarning): string {
  if (w.category !== 'ConvergenceWarning') return w.message;
  let m =
    /^(.*): lbfgs failed to converge \((the iteration limit was reached|the line search failed) after (\d+) iterations\)\. Increase maxIter or scale the data.*$/s.exec(
      w.message,
    );
  if (m) {
    const [, who, status, n] = m;
    return m[2] === 'the iteration limit was reached'
      ? `${who}: lbfgs failed to converge (${status} after ${n} iterations). Raise the limit with --params '{"maxIter":${moreIterations(Number(n))}}' (${SCALED}).`
      : `${who}: lbfgs failed to converge (${status} after ${n} iterations). A stronger penalty often helps: a smaller "C" in --params, e.g. --params '{"C":0.1}' (${SCALED}).`;
  }
  m =
    /^(.*): newton-cd did not reach (tol=\S+) after (\d+) iterations \(([^)]*)\)\. Increase maxIter or scale the data\.$/s.exec(
      w.message,
    );
  if (m) {
    const [, who, tol, n, detail] = m;
    return `${who}: newton-cd did not reach ${tol} after ${n} iterations (${detail}). Raise the limit with --params '{"maxIter":${moreIterations(Number(n))}}' (${SCALED}).`;
  }
  m =
    /^(.*): objective did not converge after (\d+) sweeps \(([^)]*)\)\. Increase maxIter, scale the features, or increase alpha\.$/s.exec(
      w.message,
    );
  if (m) {
    const [, who, n, detail] = m;
    return `${who}: objective did not converge after ${n} sweeps (${detail}). Raise the limit with --params '{"maxIter":${moreIterations(Number(n))}}', or regularise more with a larger "alpha" in --params (${SCALED}).`;
  }
  return w.message;
}

/**
 * Installs the CLI's warning handler: nothing with `quiet`; otherwise each distinct warning once
 * on stderr, in CLI terms. (`LATHE_QUIET_WARNINGS=1` silences it too, as the library's default.)
 */
export function installCliWarnings(quiet: boolean): void {
  if (quiet) {
    onWarning(() => {});
    return;
  }
  const printed = new Set<string>();
  onWarning((w) => {
    const message = cliWarningMessage(w);
    const key = `${w.category}:${message}`;
    if (printed.has(key)) return;
    printed.add(key);
    if (process.env.LATHE_QUIET_WARNINGS !== '1')
      process.stderr.write(`warning (${w.category}): ${terminalSafe(message)}\n`);
  });
}
