/** report.html: one self-contained file (inline CSS and SVG, no scripts, no external references). */
import { CATALOGUE } from '../../shared/catalogue';
import { findingLabel } from '../../shared/findings';
import { benchmarkTitle, formatValue, platformTitle, targetShort } from '../../shared/plots';
import type { ReportModel } from './reportModel';
import { reportColumns, reportTables, rowCells, rowHeader } from './reportTables';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6473;--line:#e3e6eb;--bg:#f7f8fa;--info:#2f6fba;--warn:#b7791f;--problem:#c53030}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child,th.l,td.l{text-align:left}th{color:var(--muted);font-weight:600}
.finding{border-left:4px solid var(--info)}.finding.warn{border-left-color:var(--warn)}.finding.problem{border-left-color:var(--problem)}
.finding h3{margin:0 0 6px;font-size:15px}.badge{display:inline-block;font-size:11px;padding:1px 6px;border-radius:9px;color:#fff;background:var(--info);margin-right:6px;vertical-align:1px}
.badge.warn{background:var(--warn)}.badge.problem{background:var(--problem)}.numbers{color:var(--muted);font-size:12px;margin-top:6px}
.chart{overflow-x:auto}.chart svg{max-width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
`;

function findingHtml(f: ReportModel['findings'][number]): string {
  const nums = Object.entries(f.numbers)
    .filter(([, v]) => v !== null)
    .map(
      ([k, v]) =>
        `${escapeHtml(k)}: <b>${escapeHtml(typeof v === 'number' ? formatValue(v) : String(v))}</b>`,
    )
    .join(' · ');
  const label = findingLabel(f);
  return `<div class="card finding ${f.severity}" data-finding="${escapeHtml(f.id)}"><h3><span class="badge ${f.severity}">${escapeHtml(label)}</span>${escapeHtml(f.title)}</h3><div>${escapeHtml(f.explanation)}</div>${nums ? `<div class="numbers">${nums}</div>` : ''}</div>`;
}

function summaryTables(m: ReportModel): string {
  return reportTables(m)
    .map((t) => {
      const rows = t.rows.map(
        (r) =>
          `<tr>${rowCells(r)
            .map((v) => `<td>${escapeHtml(v)}</td>`)
            .join('')}</tr>`,
      );
      const head = reportColumns(m.summary)
        .map((c) => `<th>${escapeHtml(c.title)}</th>`)
        .join('');
      return (
        `<div class="card"><h3>${escapeHtml(benchmarkTitle(t.benchmark))} <span class="meta">— ${escapeHtml(t.metric)} in ${escapeHtml(t.unit || 'units')}, ${t.direction} is better</span></h3>` +
        `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>` +
        `<p class="meta">${escapeHtml(CATALOGUE[t.benchmark].explanation)}</p></div>`
      );
    })
    .join('\n');
}

function dl(pairs: [string, string][]): string {
  return `<dl>${pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** The reference's name: the platform's title, or a target's label ("QEMU TCG · raw"). */
function referenceName(m: ReportModel): string {
  const { reference, referenceTarget } = m.summary;
  if (!reference) return 'the reference';
  return referenceTarget && referenceTarget !== reference
    ? targetShort(reference, referenceTarget)
    : platformTitle(reference);
}

export function reportHtml(m: ReportModel): string {
  const title = `${m.name} — Benchvisor report`;
  const cellRows = m.cells
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.platform)}</td><td class="l">${escapeHtml(c.benchmark)}</td><td class="l">${escapeHtml(c.status)}</td><td class="l">${escapeHtml(c.note)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(m.name)}</h1>
<div class="meta">Run ${escapeHtml(m.runId)} · started ${escapeHtml(m.startedAt)}${m.finishedAt ? ` · finished ${escapeHtml(m.finishedAt)}` : ''} · status ${escapeHtml(m.status)}${m.imported ? ' · imported' : ''} · ${m.sampleCount} samples${m.failedCount ? `, ${m.failedCount} failed` : ''}</div>
<h2>Findings</h2>
${m.findings.length > 0 ? m.findings.map(findingHtml).join('\n') : '<p class="meta">No findings: nothing unusual was detected.</p>'}
<h2>Plots</h2>
${m.charts.map((c) => `<div class="card chart" data-chart="${escapeHtml(c.name)}">${c.svg}</div>`).join('\n')}
<h2>Statistics</h2>
<p class="meta">Mean and median are arithmetic; the 95% confidence interval is on the log scale, an interval for the geometric mean (shown beside it); CV = SD / mean. Relative speed is direction-aware (&gt; 1 is better than ${escapeHtml(referenceName(m))}), the ratio of geometric means with its CI; overhead is the extra time for the same work.</p>
${summaryTables(m)}
${m.cells.length > 0 ? `<h2>Cells</h2><div class="card"><table><thead><tr><th>${rowHeader(m.summary)}</th><th class="l">Benchmark</th><th class="l">Status</th><th class="l">Repetitions</th></tr></thead><tbody>${cellRows}</tbody></table></div>` : ''}
<h2>Settings</h2><div class="card">${dl(m.settings)}</div>
<h2>Environment</h2><div class="card">${dl(m.environment)}</div>
<p class="meta">Generated by Benchvisor. The raw data are in this bundle: samples.ndjson, csv/, consoles/.</p>
</main></body></html>
`;
}
