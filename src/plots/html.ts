/**
 * Building blocks of self-contained HTML reports: escaping, inline SVG, and a page shell with
 * its CSS inline. A report is one file that opens anywhere, offline: no scripts, no fonts, no
 * external resources — not even the SVG namespace URLs, which HTML does not need.
 *
 * @module
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An SVG document made fit for inlining in HTML: no XML prolog, and no `xmlns` attributes (the
 * HTML parser puts `<svg>` in the SVG namespace itself), so the page holds no URLs at all.
 */
export function inlineSvg(svg: string, label?: string): string {
  let s = svg.replace(/^<\?xml[^>]*>\s*/, '');
  s = s.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '');
  if (label) s = s.replace(/^<svg/, `<svg role="img" aria-label="${escapeHtml(label)}"`);
  return s;
}

/**
 * A table of already-escaped cells under escaped headers; columns marked `numeric` are right-aligned
 * with tabular figures.
 */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((v, i) => `<td${numeric[i] ? ' class="n"' : ''}>${v}</td>`).join('')}</tr>`)
    .join('');
  return `<table><tr>${th}</tr>${body}</table>`;
}

/** The CSS of Lathe's reports (system fonts, light theme, printable). */
export const REPORT_CSS = `
:root { --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #fff; --soft: #f5f7fa;
  --critical: #c81e1e; --warning: #b45309; --info: #2563eb; --ok: #047857; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 8px; } .muted { color: var(--muted); } code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.card .v { font-size: 20px; font-weight: 600; } .card .k { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; padding: 1px 6px; border-radius: 3px; color: #fff; }
.badge.critical { background: var(--critical); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.finding { border-left: 4px solid var(--line); padding: 6px 12px; margin: 8px 0; background: var(--soft); border-radius: 0 4px 4px 0; }
.finding.critical { border-color: var(--critical); } .finding.warning { border-color: var(--warning); } .finding.info { border-color: var(--info); }
.finding .t { font-weight: 600; } .finding .e, .finding .f { margin: 2px 0; } .finding .f::before { content: "Fix: "; font-weight: 600; }
.columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 16px; }
.col { border: 1px solid var(--line); border-radius: 6px; padding: 12px; break-inside: avoid; }
.col .type { font-size: 12px; color: var(--muted); } .chart { overflow-x: auto; } .chart svg { max-width: 100%; height: auto; }
.flags { margin: 4px 0 8px; } .flags .badge { margin-right: 4px; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { .col, .finding { break-inside: avoid; } }
`;

/** A complete HTML page: `<title>`, the report CSS (plus `css`), and `body`. */
export function htmlPage(title: string, body: string, css = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}${css}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
