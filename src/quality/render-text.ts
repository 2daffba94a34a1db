/**
 * `renderQualityText`: the report as a terminal summary — findings first (most serious at the
 * top, each with its evidence and fix), then one line per column, the target and the
 * correlated pairs. Plain text, no colours, lines wrapped to a width.
 *
 * @module
 */

import { formatNumber, formatPct, formatValue } from './format.ts';
import type { ColumnProfile, QualityReport } from './report.ts';

/** Options of {@link renderQualityText}. */
export interface TextReportOptions {
  /** Wrap lines at this many characters (default 100). */
  width?: number;
}

function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s.slice(0, n - 1)}…` : s + ' '.repeat(n - s.length);
}

function summaryOf(c: ColumnProfile): string {
  if (c.count === 0) return 'all missing';
  if (c.numeric) {
    const s = c.numeric;
    const q = (p: number) => formatNumber(s.quantiles.find((x) => x.p === p)?.value, false);
    return `min ${formatNumber(s.min, false)} · median ${q(0.5)} · max ${formatNumber(s.max, false)} · mean ${formatNumber(s.mean, false)} ± ${formatNumber(s.std, false)}`;
  }
  if (c.datetime) return `${c.datetime.min.slice(0, 10)} … ${c.datetime.max.slice(0, 10)}`;
  return c.top
    .slice(0, 3)
    .map((t) => `${formatValue(t.value)} ${formatPct(t.pct)}`)
    .concat(c.distinct > 3 ? ['…'] : [])
    .join(', ');
}

/**
 * Renders the report for a terminal.
 *
 * @example process.stdout.write(renderQualityText(profileTable(table)));
 */
export function renderQualityText(report: QualityReport, options: TextReportOptions = {}): string {
  const width = options.width ?? 100;
  const out: string[] = [];
  const t = report.table;
  const name = report.source ? report.source.path : 'table';
  out.push(
    `Data quality report: ${name} — ${formatNumber(t.rows)} rows × ${formatNumber(t.columns)} columns`,
  );
  const facts = [
    `missing cells ${formatPct(t.missingPct)}`,
    `duplicate rows ${formatNumber(t.duplicateRows)}${t.duplicateRows ? ` (${formatPct(t.duplicatePct)})` : ''}`,
  ];
  if (report.source?.rejected) facts.unshift(`rejected rows ${formatNumber(report.source.rejected)}`);
  if (report.target) facts.push(`target '${report.target.column}' (${report.target.task})`);
  out.push(`  ${facts.join(' · ')}`, '');

  const c = report.counts;
  if (report.findings.length === 0) out.push('Findings: none — no problems found.');
  else {
    out.push(
      `Findings: ${c.critical} critical, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`,
    );
    for (const f of report.findings) {
      const tag = pad(f.severity.toUpperCase(), 10);
      out.push(...wrap(f.title, width, ' '.repeat(12), `  ${tag}`));
      out.push(...wrap(f.evidence, width, ' '.repeat(12)));
      out.push(...wrap(`fix: ${f.fix}`, width, ' '.repeat(12)));
    }
  }

  out.push('', 'Columns');
  const nameW = Math.min(24, Math.max(6, ...report.columns.map((x) => x.name.length + 1)));
  out.push(
    `  ${pad('name', nameW)} ${pad('type', 12)} ${'missing'.padStart(8)} ${'distinct'.padStart(9)}  summary`,
  );
  for (const col of report.columns) {
    const line = `  ${pad(col.name, nameW)} ${pad(col.type, 12)} ${formatPct(col.missingPct).padStart(8)} ${formatNumber(col.distinct).padStart(9)}  ${summaryOf(col)}`;
    out.push(line.length > width ? `${line.slice(0, width - 1)}…` : line);
  }

  const tg = report.target;
  if (tg) {
    out.push('', `Target '${tg.column}' (${tg.task})`);
    if (tg.classes) {
      out.push(
        ...wrap(
          tg.classes
            .slice(0, 10)
            .map((k) => `${formatValue(k.value)} ${formatNumber(k.count)} (${formatPct(k.pct)})`)
            .join(', ') + (tg.classes.length > 10 ? `, … ${tg.classes.length - 10} more` : ''),
          width,
          '  ',
        ),
      );
    } else if (tg.distribution) {
      const s = tg.distribution.summary;
      out.push(
        `  min ${formatNumber(s.min, false)} · median ${formatNumber(s.median, false)} · max ${formatNumber(s.max, false)} · mean ${formatNumber(s.mean, false)} ± ${formatNumber(s.std, false)}`,
      );
    }
    if (tg.associations.length) {
      out.push(
        ...wrap(
          `strongest single columns (0–1): ${tg.associations
            .slice(0, 5)
            .map((a) => `${a.column} ${formatNumber(a.score, false)}`)
            .join(', ')}`,
          width,
          '  ',
        ),
      );
    }
  }

  const cor = report.correlations;
  if (cor.highPairs.length) {
    out.push(
      '',
      `Highly correlated pairs (|r| ≥ ${report.thresholds.highCorrelation}, ${formatNumber(cor.rows)} rows${cor.sampled ? ', sampled' : ''})`,
    );
    for (const p of cor.highPairs.slice(0, 20)) {
      out.push(
        `  ${p.a} ~ ${p.b}: Pearson ${formatNumber(p.pearson, false)}, Spearman ${formatNumber(p.spearman, false)}`,
      );
    }
    if (cor.highPairs.length > 20) out.push(`  … and ${cor.highPairs.length - 20} more (see --format json)`);
  }
  return `${out.join('\n')}\n`;
}
