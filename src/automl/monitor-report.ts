/**
 * `renderDriftReport`: the HTML report of `lathe monitor --report FILE` — one self-contained page
 * (inline SVG, no scripts or URLs): the verdicts, a table of every column's test, each tested
 * column's two distributions drawn over each other, and (with outcomes) the performance against
 * training.
 *
 * @module
 */

import { distributionComparisonSpec } from '../plots/distribution-comparison.ts';
import { escapeHtml as esc, htmlPage, htmlTable } from '../plots/html.ts';
import { chartHtml } from '../plots/render.ts';
import type { ColumnDriftReport, DriftReport, PerformanceReport } from './monitor.ts';

/** What the page says about where the rows came from. */
export interface DriftReportContext {
  /** The model, as the user named it. */
  model: string;
  task: string;
  /** The current rows' source, as given (a log or a data file), and for a log its time span. */
  data: string;
  span: { first: string | null; last: string | null } | null;
  /** The reference: the package's sample, or the file given. */
  reference: string;
}

const TESTS: Record<string, string> = {
  ks: 'Kolmogorov–Smirnov',
  wasserstein: 'Wasserstein (normed)',
  chisquare: 'chi-square',
  jensenshannon: 'Jensen–Shannon',
};

function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v))
    return v === Number.POSITIVE_INFINITY ? '∞' : 'n/a';
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(1);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4);
}

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)} %`;

function verdictBadge(c: ColumnDriftReport): string {
  if (c.drifted === null) return '<span class="muted">not tested</span>';
  return c.drifted ? '<span class="badge critical">drift</span>' : '<span class="badge ok">ok</span>';
}

function summaryText(c: ColumnDriftReport): string {
  const side = (s: ColumnDriftReport['reference']) =>
    s.mean !== undefined ? `mean ${num(s.mean)}` : s.top ? `${esc(s.top.value)} ${pct(s.top.share)}` : '';
  return `${side(c.reference)} → ${side(c.current)}`;
}

function testRow(c: ColumnDriftReport): string[] {
  return [
    esc(c.column),
    c.test ? esc(TESTS[c.test]) : `<span class="muted">${esc(c.reason ?? '')}</span>`,
    num(c.statistic),
    c.pValue === null ? '—' : num(c.pValue),
    c.threshold === null ? '' : c.pValue === null ? `≥ ${c.threshold}` : `p &lt; ${c.threshold}`,
    `${pct(c.reference.missingShare)} → ${pct(c.current.missingShare)}`,
    summaryText(c),
    verdictBadge(c),
  ];
}

async function columnBlock(c: ColumnDriftReport): Promise<string> {
  if (!c.distribution) return '';
  const chart = await chartHtml(
    distributionComparisonSpec(c.distribution, { xTitle: c.column }),
    `${c.column}: training reference and current rows`,
  );
  return `<div class="col"><h3>${esc(c.column)} ${verdictBadge(c)}</h3><div class="type">${c.test ? esc(TESTS[c.test]) : ''} ${num(c.statistic)}${c.pValue === null ? '' : `, p = ${num(c.pValue)}`}</div>${chart}</div>`;
}

function performanceSection(p: PerformanceReport, target: string): string {
  const rows = p.metrics.map((m) => [
    esc(m.title) + (m.key === p.primary ? ' <span class="muted">(the verdict)</span>' : ''),
    num(m.trained),
    num(m.current),
    m.lower === null || m.upper === null ? 'n/a' : `[${num(m.lower)}, ${num(m.upper)}]`,
    m.verdict === 'worse'
      ? '<span class="badge critical">worse</span>'
      : m.verdict === null
        ? '<span class="muted">n/a</span>'
        : esc(m.verdict),
  ]);
  const baseline = {
    holdout: 'its training holdout',
    training: 'its training rows (no holdout: optimistic)',
    unknown: 'training',
  }[p.baseline];
  return `<h2>Performance</h2>
<p>${p.rows} rows with an outcome (<code>${esc(target)}</code>), ${Math.round(p.confidenceLevel * 100)} % bootstrap intervals, against the metrics the model recorded on ${esc(baseline)}. ${p.decayed ? '<span class="badge critical">decayed</span>' : '<span class="badge ok">no decay</span>'}</p>
${htmlTable(['metric', 'training', 'now', 'interval', 'verdict'], rows, [false, true, true, true, false])}`;
}

/** The page (a complete HTML document). */
export async function renderDriftReport(
  r: DriftReport,
  performance: PerformanceReport | null,
  target: string | null,
  ctx: DriftReportContext,
): Promise<string> {
  const span = ctx.span?.first ? ` (${esc(ctx.span.first)} … ${esc(ctx.span.last ?? '')})` : '';
  const all = [...r.columns, ...(r.prediction ? [r.prediction] : [])];
  const blocks = (await Promise.all(all.map(columnBlock))).filter(Boolean).join('\n');
  const body = `<h1>Drift of ${esc(ctx.model)}</h1>
<p class="muted">${esc(ctx.task)} model · ${r.rows.current} current rows of <code>${esc(ctx.data)}</code>${span} against ${r.rows.reference} training rows${r.rows.referenceSampled < r.rows.reference ? ` (a sample of ${r.rows.referenceSampled})` : ''} of ${esc(ctx.reference)}</p>
<div class="cards">
<div class="card"><div class="v">${r.datasetDrift ? 'drifted' : 'no drift'}</div><div class="k">data set (threshold ${pct(r.driftShare)})</div></div>
<div class="card"><div class="v">${r.drifted} / ${r.tested}</div><div class="k">input columns drifted</div></div>
${r.prediction ? `<div class="card"><div class="v">${r.prediction.drifted === null ? 'n/a' : r.prediction.drifted ? 'drifted' : 'ok'}</div><div class="k">predictions</div></div>` : ''}
${performance ? `<div class="card"><div class="v">${performance.decayed ? 'decayed' : 'no decay'}</div><div class="k">performance</div></div>` : ''}
</div>
${r.notes.map((n) => `<div class="finding warning"><div class="t">${esc(n)}</div></div>`).join('\n')}
<h2>Columns</h2>
${htmlTable(['column', 'test', 'statistic', 'p-value', 'rule', 'missing', 'summary', 'verdict'], all.map(testRow), [false, false, true, true, false, true, false, false])}
<h2>Distributions</h2>
<p class="muted">Shares of the present values: the training reference in grey, the current rows in blue.</p>
<div class="columns">${blocks}</div>
${performance && target ? performanceSection(performance, target) : ''}
<footer>Written by lathe monitor. Tests as Evidently's data drift preset chooses them (see docs/monitor.md).</footer>`;
  return htmlPage(`Drift of ${ctx.model}`, body, '.badge.ok { background: var(--ok); }');
}
