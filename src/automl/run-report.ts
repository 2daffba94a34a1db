/**
 * `renderRunReport`: the HTML report of `lathe run` — one self-contained page (inline SVG charts,
 * no scripts, no URLs) that says what the data looked like, which models were compared and how,
 * what tuning found, how the chosen model did on the holdout (with confidence intervals), and what
 * to run next.
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import { rocCurve } from '../metrics/roc.ts';
import { confusionMatrixSpec } from '../plots/confusion-matrix.ts';
import { escapeHtml as esc, htmlPage, htmlTable } from '../plots/html.ts';
import { predictedActualSpec } from '../plots/predicted-actual.ts';
import { findingBlock } from '../plots/quality-report.ts';
import { chartHtml } from '../plots/render.ts';
import { rocCurveSpec } from '../plots/roc-curve.ts';
import { scoreComparisonSpec } from '../plots/score-comparison.ts';
import type { RunCandidate, RunJobResult } from './run.ts';
import { candidateLabel, fmtSeconds, TASK_TITLES } from './run.ts';
import { metricSpec } from './scores.ts';

/** What the report says beyond the job's result: where things were written and what to run next. */
export interface RunReportContext {
  /** The data file, as given. */
  data: string;
  /** The tracked run's id (null when not tracked). */
  runId: string | null;
  /** The model, as the user should refer to it (`name/version`, or a path). */
  modelRef: string;
  /** Where the model package was written (null: not written). */
  modelPath: string | null;
  /** The registry version, when registered. */
  registered: { name: string; version: number } | null;
  seed: number;
  /** A link to the full data-quality report, when one was written beside this one. */
  profileHref: string | null;
  /** Commands to run next, one per line. */
  nextSteps: string[];
}

/** Findings shown in the report's data section (the rest are in the full profile). */
const FINDINGS_SHOWN = 8;
/** Columns shown in the importance chart. */
const IMPORTANCES_SHOWN = 15;

/** A parameter's value as given (no rounding: these are the values to pass again). */
function paramText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function num(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(digits);
}

function metricTitle(r: RunJobResult, key: string): string {
  if (r.task === 'clustering') return key === 'silhouette' ? 'silhouette' : key;
  return metricSpec(r.task, key)?.title ?? key;
}

function dataSection(r: RunJobResult, ctx: RunReportContext): string {
  const p = r.profile;
  const t = p.table;
  const shown = p.findings
    .slice(0, FINDINGS_SHOWN)
    .map((f) => findingBlock(f))
    .join('\n');
  const more = p.findings.length > FINDINGS_SHOWN ? ` (the ${FINDINGS_SHOWN} most serious are shown)` : '';
  const link = ctx.profileHref
    ? ` The whole data-quality report, column by column: <a href="${esc(ctx.profileHref)}">${esc(ctx.profileHref)}</a>.`
    : '';
  return `<h2>Data</h2>
<p>${num(t.rows)} rows × ${num(t.columns)} columns; ${esc(`${(t.missingPct).toFixed(1)} %`)} of the cells missing; ${num(t.duplicateRows)} duplicate rows.
${num(p.counts.critical)} critical finding(s), ${num(p.counts.warning)} warning(s), ${num(p.counts.info)} note(s)${more}.${link}</p>
${shown || '<p>No problems found.</p>'}`;
}

async function comparisonSection(r: RunJobResult): Promise<string> {
  const title = metricTitle(r, r.metric);
  const dir = r.greaterIsBetter ? 'higher is better' : 'lower is better';
  const how =
    r.task === 'clustering'
      ? `k-means for each number of clusters, scored by the silhouette (of every row, or of 5 000 sampled rows on larger tables; ${dir})`
      : `each family's pipeline (automatic preprocessing + the model, default parameters) by ${r.cv}-fold cross-validation on the ${num(r.final.rows.train)} training rows, scored by ${esc(title)} (${dir}); the holdout was not used to choose`;
  const rows = r.candidates.map((c) => [
    `${esc(candidateLabel(c))}${c === bestCandidate(r) ? ' <b>← chosen</b>' : ''}`,
    c.status,
    c.score === null ? '' : `${num(c.score)}${c.std === null ? '' : ` ± ${num(c.std, 2)}`}`,
    c.status === 'skipped' ? '' : fmtSeconds(c.seconds),
    esc([c.reason ?? '', ...c.warnings.slice(0, 2)].filter(Boolean).join(' · ')),
  ]);
  const scored = r.candidates.filter((c) => c.score !== null);
  const spec = scoreComparisonSpec(
    scored.map((c) => ({
      label: candidateLabel(c),
      score: c.score as number,
      std: c.std,
      best: c === bestCandidate(r),
    })),
    { xTitle: `${title}${r.task === 'clustering' ? '' : ' (CV mean ± std)'}` },
  );
  return `<h2>Models compared</h2>
<p>${how}.</p>
${htmlTable(['candidate', 'status', r.task === 'clustering' ? title : `${title} (CV)`, 'time', 'notes'], rows, [false, false, true, true, false])}
${await chartHtml(spec, `${title} of each candidate`)}`;
}

function bestCandidate(r: RunJobResult): RunCandidate {
  return r.candidates[r.bestIndex];
}

function tuningSection(r: RunJobResult): string {
  const t = r.tuning;
  if (!t) {
    if (!r.tuningSkipped) return '';
    return `<h2>Tuning</h2><p>No search was run: ${esc(r.tuningSkipped)}. The default parameters were kept.</p>`;
  }
  const title = metricTitle(r, r.metric);
  const verdict = t.kept
    ? `The tuned parameters scored better than the defaults in cross-validation (${num(t.bestScore)} against ${num(t.defaultScore)}), so they were kept.`
    : `No trial beat the default parameters' cross-validated score (${num(t.defaultScore)}; best trial ${num(t.bestScore)}), so the defaults were kept.`;
  const params = Object.entries(t.bestParams).map(([k, v]) => [`<code>${esc(k)}</code>`, esc(paramText(v))]);
  return `<h2>Tuning</h2>
<p>${num(t.trials)} trial(s) of ${esc(t.family)}'s parameters (TPE sampler, ${esc(title)} by cross-validation on the training rows; ${num(t.completed)} completed) in ${esc(fmtSeconds(t.seconds))}. ${verdict}
A search's best score is optimistic: it was picked among many. The holdout below is the unbiased check.</p>
${t.warnings.length ? `<details><summary>${num(t.warnings.length)} distinct warning(s) from the trials</summary><ul>${t.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></details>` : ''}
${params.length ? `<details><summary>Best trial's parameters</summary>${htmlTable(['parameter', 'value'], params)}</details>` : ''}`;
}

async function evaluationSection(r: RunJobResult): Promise<string> {
  const e = r.evaluation;
  if (!e) return '';
  const level = Math.round(e.confidenceLevel * 100);
  const rows = e.metrics.map((m) => [
    `${esc(m.title)}${m.key === r.metric ? ' <b>(chosen by)</b>' : ''}`,
    num(m.value),
    m.lower !== null && m.upper !== null ? `[${num(m.lower)}, ${num(m.upper)}]` : esc(m.intervalReason ?? ''),
  ]);
  const charts: string[] = [];
  const h = r.holdout;
  if (h && r.task === 'binary' && h.proba && h.classes && h.classes.length === 2) {
    const pos = h.classes[1];
    const scores = new Float64Array(h.proba.rows);
    for (let i = 0; i < h.proba.rows; i++) scores[i] = h.proba.data[i * h.proba.cols + 1];
    const truth = h.yTrue as Label[];
    if (new Set(truth.map(String)).size === 2) {
      const curve = rocCurve(truth.map(String), scores, { posLabel: String(pos) });
      const auc = e.metrics.find((m) => m.key === 'rocAuc')?.value ?? undefined;
      charts.push(
        await chartHtml(
          rocCurveSpec(curve, { title: `ROC curve (positive class: ${String(pos)})`, auc }),
          'ROC curve on the holdout',
        ),
      );
    }
  }
  if (e.confusion) {
    charts.push(
      await chartHtml(
        confusionMatrixSpec(e.confusion.labels, e.confusion.matrix, { title: 'Confusion matrix' }),
        'confusion matrix on the holdout',
      ),
    );
  }
  if (h && r.task === 'regression') {
    charts.push(
      await chartHtml(
        predictedActualSpec(h.yTrue as Float64Array, h.yPred as Float64Array, {
          title: 'Predictions against truth',
        }),
        'predictions against true values on the holdout',
      ),
    );
  }
  return `<h2>Holdout evaluation</h2>
<p>The chosen model, fitted on the training rows, scored once on the ${num(e.rows.evaluated)} holdout rows it never saw. Intervals: ${level} % bootstrap (${num(e.nResamples)} resamples, ${esc(e.method)}).</p>
${htmlTable(['metric', 'value', `${level} % interval`], rows, [false, true, true])}
<div class="columns">${charts.map((c) => `<div class="col">${c}</div>`).join('\n')}</div>`;
}

async function importanceSection(r: RunJobResult): Promise<string> {
  const imp = r.importance;
  if (!imp || imp.columns.length === 0) return '';
  const title = metricTitle(r, r.metric);
  const sorted = [...imp.columns].sort((a, b) => b.mean - a.mean);
  const shown = sorted.slice(0, IMPORTANCES_SHOWN);
  const spec = scoreComparisonSpec(
    shown.map((c) => ({ label: c.column, score: c.mean, std: c.std })),
    { xTitle: `${r.greaterIsBetter ? 'drop' : 'rise'} in ${title}` },
  );
  const more =
    sorted.length > shown.length
      ? ` The ${shown.length} most important of ${sorted.length} columns are shown.`
      : '';
  return `<h2>What the model relies on</h2>
<p>Permutation importance on the holdout: how much ${esc(title)} got worse (${r.greaterIsBetter ? 'dropped' : 'rose'}) when one column's values were shuffled across the rows, mean ± std over ${imp.columns[0].values.length} shuffles (${esc(title)} on the holdout as it is: ${num(imp.baseline)}). Around 0: the model does not use the column, or another column carries the same information.${more}</p>
${await chartHtml(spec, 'permutation importance of each column')}`;
}

async function modelSection(r: RunJobResult): Promise<string> {
  const f = r.final;
  const params = Object.entries(f.params)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => [`<code>${esc(k)}</code>`, esc(paramText(v))]);
  const notes = f.notes.map(
    (n) => `<li>${esc(n.column)}: ${esc(n.action)}${n.reason ? ` (${esc(n.reason)})` : ''}</li>`,
  );
  return `<h2>Model</h2>
<p>${esc(f.family)} (${esc(f.task === 'transform' ? f.task : TASK_TITLES[f.task])}${f.target ? ` of <b>${esc(f.target)}</b>` : ''}), fitted in ${esc(fmtSeconds(f.fitSeconds))} on ${num(f.rows.train)} rows.</p>
${notes.length ? `<p>Preprocessing notes:</p><ul>${notes.join('')}</ul>` : ''}
<details><summary>Parameters</summary>${htmlTable(['parameter', 'value'], params)}</details>`;
}

function clusterSection(r: RunJobResult): string {
  if (r.task !== 'clustering') return '';
  const labels = r.final.model.labels_;
  if (!labels) return '';
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const rows = [...sizes].sort((a, b) => a[0] - b[0]).map(([k, n]) => [String(k), num(n)]);
  const m = r.final.metrics;
  return `<h2>Clusters</h2>
<p>Silhouette ${num(m.silhouette)}, Davies–Bouldin ${num(m.daviesBouldin)}, Calinski–Harabasz ${num(m.calinskiHarabasz)}.</p>
${htmlTable(['cluster', 'rows'], rows, [false, true])}`;
}

/**
 * The report of a {@link RunJobResult} as a self-contained HTML document (a string).
 *
 * @example await writeFile('report.html', await renderRunReport(result, { data: 'customers.csv', runId: null, modelRef: 'in memory', modelPath: null, registered: null, seed: 0, profileHref: null, nextSteps: [] }));
 */
export async function renderRunReport(r: RunJobResult, ctx: RunReportContext): Promise<string> {
  const file = ctx.data.split(/[\\/]/).pop() ?? ctx.data;
  const title = `Lathe run — ${file}`;
  const e = r.evaluation?.metrics.find((m) => m.key === r.metric);
  const cards: [string, string][] = [
    ['model chosen', esc(r.final.family)],
    [
      r.task === 'clustering' ? 'silhouette' : `holdout ${metricTitle(r, r.metric)}`,
      r.task === 'clustering'
        ? num(r.final.metrics.silhouette)
        : `${num(e?.value)}${e?.lower != null && e.upper != null ? ` <span class="muted">[${num(e.lower, 3)}, ${num(e.upper, 3)}]</span>` : ''}`,
    ],
    ...(r.task === 'clustering'
      ? []
      : ([[`CV ${metricTitle(r, r.metric)}`, num(r.bestScore)]] as [string, string][])),
    ['training rows', num(r.final.rows.train)],
    ...(r.task === 'clustering' ? [] : ([['holdout rows', num(r.final.rows.holdout)]] as [string, string][])),
    ['time', esc(fmtSeconds(r.seconds))],
  ];
  const sub = [
    esc(ctx.data),
    `${esc(TASK_TITLES[r.task])}${r.target ? ` of <b>${esc(r.target)}</b>` : ''}`,
    `chosen by ${esc(metricTitle(r, r.metric))}`,
    `seed ${ctx.seed}`,
    `time budget ${esc(fmtSeconds(r.timeBudget))}`,
    ...(ctx.runId ? [`run <code>${esc(ctx.runId)}</code>`] : []),
    ...(ctx.registered
      ? [`registered as <code>${esc(`${ctx.registered.name}/${ctx.registered.version}`)}</code>`]
      : []),
  ].join(' · ');
  const body = `<h1>${esc(title)}</h1>
<p class="muted">${sub}</p>
<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="v">${v}</div><div class="k">${esc(k)}</div></div>`).join('')}</div>
${dataSection(r, ctx)}
${await comparisonSection(r)}
${tuningSection(r)}
${await evaluationSection(r)}
${await importanceSection(r)}
${clusterSection(r)}
${await modelSection(r)}
<h2>Next</h2>
<pre><code>${ctx.nextSteps.map(esc).join('\n')}</code></pre>
<p class="muted">The model: <code>${esc(ctx.modelRef)}</code>${ctx.modelPath ? ` (its package: <code>${esc(ctx.modelPath)}</code>)` : ''}.</p>
<footer>Generated by Lathe's <code>lathe run</code>.</footer>`;
  return htmlPage(title, body);
}
