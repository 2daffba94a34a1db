/**
 * `renderQualityHtml`: the data-quality report as one self-contained HTML file — findings first,
 * then the target, correlations and one card per column, every chart an inline SVG rendered
 * here (no scripts, no external resources; it opens offline and prints).
 *
 * It lives with the plots (it is mostly charts) and reads the report's types and number
 * formatting from `src/quality`; `src/quality` itself never imports plots.
 *
 * @module
 */

import { formatNumber, formatPct, formatValue } from '../quality/format.ts';
import type { ColumnProfile, Finding, FindingSeverity, QualityReport } from '../quality/report.ts';
import { classBalanceSpec, topValuesSpec } from './bar-chart.ts';
import { correlationHeatmapSpec } from './heatmap.ts';
import { histogramSpec } from './histogram.ts';
import { escapeHtml, htmlPage, inlineSvg } from './html.ts';
import { renderSvg } from './render.ts';
import type { VegaLiteSpec } from './spec.ts';

/** Options of {@link renderQualityHtml}. */
export interface QualityHtmlOptions {
  /** Page title (default "Data quality report", plus the file name when known). */
  title?: string;
  /** Heatmaps are drawn for at most this many columns (default 40); larger matrices are listed as pairs only. */
  maxHeatmapColumns?: number;
}

const esc = escapeHtml;
const num = (x: number | null | undefined) => esc(formatNumber(x));

async function chart(spec: VegaLiteSpec, label: string): Promise<string> {
  return `<div class="chart">${inlineSvg(await renderSvg(spec), label)}</div>`;
}

function badge(s: FindingSeverity): string {
  return `<span class="badge ${s}">${s}</span>`;
}

function columnAnchor(report: QualityReport, name: string | undefined): string {
  if (name === undefined) return '';
  const c = report.columns.find((x) => x.name === name);
  return c ? `col-${c.index}` : '';
}

/** Anchor of a finding: its position (ids hold column names, which may contain spaces). */
function findingAnchor(report: QualityReport, f: Finding): string {
  return `finding-${report.findings.indexOf(f)}`;
}

function findingHtml(report: QualityReport, f: Finding): string {
  const anchor = columnAnchor(report, f.column);
  const where = anchor ? ` <a href="#${anchor}" class="muted">${esc(f.column!)}</a>` : '';
  return findingBlock(f, { id: findingAnchor(report, f), where });
}

/**
 * One finding as an HTML block (severity badge, title, evidence, fix). `where`: HTML put after the
 * title (e.g. a link to the column); `id`: the block's anchor.
 */
export function findingBlock(f: Finding, at: { id?: string; where?: string } = {}): string {
  return `<div class="finding ${f.severity}"${at.id ? ` id="${at.id}"` : ''} data-id="${esc(f.id)}">
<div class="t">${badge(f.severity)} ${esc(f.title)}${at.where ?? ''}</div>
<div class="e">${esc(f.evidence)}</div>
<div class="f">${esc(f.fix)}</div>
</div>`;
}

function rowsTable(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="n">${v}</td></tr>`).join('')}</table>`;
}

function statsRows(c: ColumnProfile): [string, string][] {
  const rows: [string, string][] = [
    ['count', num(c.count)],
    ['missing', `${num(c.missing)} (${esc(formatPct(c.missingPct))})`],
    ['distinct', `${num(c.distinct)} (${esc(formatPct(c.distinctPct))})`],
  ];
  const s = c.numeric;
  if (s) {
    rows.push(
      ['mean ± std', `${num(s.mean)} ± ${num(s.std)}`],
      ['min / max', `${num(s.min)} / ${num(s.max)}`],
      ...s.quantiles
        .filter((q) => [0.05, 0.25, 0.5, 0.75, 0.95].includes(q.p))
        .map((q): [string, string] => [`p${Math.round(q.p * 100)}`, num(q.value)]),
      ['skewness', num(s.skewness)],
      ['zeros / negatives', `${num(s.zeros)} / ${num(s.negatives)}`],
      [`outliers (|robust z| > ${s.outliers.robustZThreshold})`, num(s.outliers.robustZCount)],
    );
  }
  if (c.datetime) {
    rows.push(
      ['first', esc(c.datetime.min)],
      ['last', esc(c.datetime.max)],
      ['span (days)', num(c.datetime.spanDays)],
    );
  }
  if (c.strings) {
    const k = c.strings.kinds;
    rows.push([
      'length min / mean / max',
      `${num(c.strings.minLength)} / ${num(c.strings.meanLength)} / ${num(c.strings.maxLength)}`,
    ]);
    const kinds = (Object.keys(k) as (keyof typeof k)[])
      .filter((x) => k[x] > 0)
      .map((x) => `${x} ${num(k[x])}`);
    if (kinds.length) rows.push(['value kinds', esc(kinds.join(', '))]);
  }
  return rows;
}

async function columnHtml(report: QualityReport, c: ColumnProfile): Promise<string> {
  const own = report.findings.filter((f) => f.column === c.name || f.columns?.includes(c.name));
  const flags = own.length
    ? `<div class="flags">${own.map((f) => `<a href="#${findingAnchor(report, f)}">${badge(f.severity)}</a>`).join('')} ${own.map((f) => esc(f.title)).join('; ')}</div>`
    : '';
  let plot = '';
  // A column holding ±inf has no finite range, so its histogram has no bins: show its top values.
  if (c.histogram && c.histogram.counts.length > 0 && c.count > 0) {
    plot = await chart(
      histogramSpec(c.histogram, { xTitle: c.name, temporal: c.storage === 'datetime' }),
      `histogram of ${c.name}`,
    );
  } else if (c.top.length > 0) {
    plot = await chart(
      topValuesSpec(c.top.map((t) => ({ value: t.value, count: t.count }))),
      `most frequent values of ${c.name}`,
    );
  }
  // Charts of strings already show their top values; numbers get the list when values repeat.
  const repeats =
    (c.storage === 'numeric' || c.storage === 'datetime') && c.top.length > 0 && c.top[0].count > 1;
  const top = repeats
    ? `<details><summary>most frequent values</summary><table>${c.top
        .map(
          (t) =>
            `<tr><td>${esc(formatValue(t.value))}</td><td class="n">${num(t.count)}</td><td class="n">${esc(formatPct(t.pct))}</td></tr>`,
        )
        .join('')}</table></details>`
    : '';
  const suggested = c.suggestedType ? ` · suggested type <b>${esc(c.suggestedType)}</b>` : '';
  return `<section class="col" id="col-${c.index}">
<h3>${esc(c.name)}</h3>
<div class="type">${esc(c.type)} (stored as ${esc(c.storage)})${suggested}</div>
${flags}
${plot}
${rowsTable(statsRows(c))}
${top}
</section>`;
}

async function targetHtml(report: QualityReport): Promise<string> {
  const t = report.target;
  if (!t) return '';
  const parts: string[] = [`<h2>Target: ${esc(t.column)} <span class="muted">(${esc(t.task)})</span></h2>`];
  if (t.classes && t.classes.length > 0) {
    parts.push(
      await chart(
        classBalanceSpec(
          t.classes.slice(0, 30).map((c) => ({ value: c.value, count: c.count })),
          { title: 'class balance' },
        ),
        `class balance of ${t.column}`,
      ),
    );
  } else if (t.distribution && t.distribution.histogram.counts.length > 0) {
    parts.push(
      await chart(
        histogramSpec(t.distribution.histogram, { title: 'distribution', xTitle: t.column }),
        `distribution of ${t.column}`,
      ),
    );
  }
  if (t.associations.length) {
    const rows = t.associations
      .slice(0, 15)
      .map(
        (a) =>
          `<tr><td><a href="#${columnAnchor(report, a.column)}">${esc(a.column)}</a>${t.leakageSuspects.includes(a.column) ? ` ${badge('critical')}` : ''}</td><td class="n">${num(a.score)}</td><td class="n">${num(a.lookup)}</td><td class="n">${num(a.rankR2)}</td></tr>`,
      )
      .join('');
    parts.push(`<h3>How well each column alone predicts ${esc(t.column)}</h3>
<p class="muted">Score 0–1, out of sample on ${num(t.rows)} rows: ${t.task === 'classification' ? 'Brier skill score over the class base rates' : 'R² (or Spearman ρ² if larger)'} of a lookup from the column's value. Near 1 means the column gives the target away.</p>
<table><tr><th>column</th><th class="n">score</th><th class="n">lookup</th><th class="n">Spearman ρ²</th></tr>${rows}</table>`);
  }
  return parts.join('\n');
}

async function correlationHtml(report: QualityReport, maxHeatmap: number): Promise<string> {
  const c = report.correlations;
  if (c.columns.length < 2) return '';
  const parts = [`<h2>Correlations</h2>`];
  parts.push(
    `<p class="muted">${num(c.columns.length)} numeric and boolean columns, pairwise-complete, over ${num(c.rows)} rows${c.sampled ? ' (a seeded random sample)' : ''}.${c.excluded.length ? ` Left out: ${esc(c.excluded.map((e) => `${e.column} (${e.reason})`).join(', '))}.` : ''}</p>`,
  );
  if (c.columns.length <= maxHeatmap) {
    parts.push(
      `<div class="cards">${await chart(correlationHeatmapSpec(c.columns, c.pearson, { title: 'Pearson r' }), 'Pearson correlation heatmap')}${await chart(
        correlationHeatmapSpec(c.columns, c.spearman, { title: 'Spearman ρ', legendTitle: 'ρ' }),
        'Spearman correlation heatmap',
      )}</div>`,
    );
  }
  if (c.highPairs.length) {
    parts.push(
      `<h3>Highly correlated pairs (|r| ≥ ${report.thresholds.highCorrelation})</h3><table><tr><th>a</th><th>b</th><th class="n">Pearson</th><th class="n">Spearman</th></tr>${c.highPairs
        .map(
          (p) =>
            `<tr><td>${esc(p.a)}</td><td>${esc(p.b)}</td><td class="n">${num(p.pearson)}</td><td class="n">${num(p.spearman)}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  return parts.join('\n');
}

/**
 * Renders a {@link QualityReport} as a self-contained HTML document (a string). Charts are
 * inline SVG; the page holds no scripts and no `http(s)` URLs.
 *
 * @example await writeFile('report.html', await renderQualityHtml(profileTable(table)));
 */
export async function renderQualityHtml(
  report: QualityReport,
  options: QualityHtmlOptions = {},
): Promise<string> {
  const file = report.source?.path.split(/[\\/]/).pop();
  const title = options.title ?? `Data quality report${file ? ` — ${file}` : ''}`;
  const t = report.table;
  const cards: [string, string][] = [
    ['rows', num(t.rows)],
    ['columns', num(t.columns)],
    ['missing cells', esc(formatPct(t.missingPct))],
    ['duplicate rows', `${num(t.duplicateRows)}`],
    ['critical', num(report.counts.critical)],
    ['warnings', num(report.counts.warning)],
    ['info', num(report.counts.info)],
  ];
  if (report.source && report.source.rejected > 0)
    cards.splice(2, 0, ['rejected rows', num(report.source.rejected)]);
  const findings = report.findings.length
    ? report.findings.map((f) => findingHtml(report, f)).join('\n')
    : '<p>No problems found.</p>';
  const columns: string[] = [];
  for (const c of report.columns) columns.push(await columnHtml(report, c));
  const thresholds = Object.entries(report.thresholds)
    .map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td class="n">${num(v as number)}</td></tr>`)
    .join('');
  const body = `<h1>${esc(title)}</h1>
<p class="muted">${report.source ? `${esc(report.source.path)} (${esc(report.source.format)}, ${num(report.source.bytes)} bytes) · ` : ''}${num(t.rows)} rows × ${num(t.columns)} columns${report.target ? ` · target <b>${esc(report.target.column)}</b>` : ''}</p>
<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="v">${v}</div><div class="k">${esc(k)}</div></div>`).join('')}</div>
<h2>Findings</h2>
${findings}
${await targetHtml(report)}
${await correlationHtml(report, options.maxHeatmapColumns ?? 40)}
<h2>Columns</h2>
<div class="columns">
${columns.join('\n')}
</div>
<details><summary>Thresholds used by the checks</summary><table>${thresholds}</table></details>
<footer>Generated by Lathe (report format version ${report.version}).</footer>`;
  return htmlPage(title, body);
}
