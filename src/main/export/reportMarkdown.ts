/** report.md: the same report as Markdown, with the plots as relative image links (plots/*.svg). */
import { benchmarkTitle, formatValue } from '../../shared/plots';
import { escapeControl } from '../../shared/controlText';
import { findingLabel } from '../../shared/findings';
import type { ReportModel } from './reportModel';
import { reportColumns, reportTables, rowCells, rowHeader } from './reportTables';

/** Text from the run (a bundle's names, units, notes) with control characters escaped. */
const text = (s: string): string => escapeControl(s);

function cell(s: string): string {
  return text(s.replace(/\n/g, ' ')).replace(/\|/g, '\\|');
}

export function reportMarkdown(m: ReportModel): string {
  const lines: string[] = [];
  lines.push(`# ${text(m.name)}`, '');
  lines.push(
    `Run \`${text(m.runId)}\` · started ${m.startedAt}${m.finishedAt ? ` · finished ${m.finishedAt}` : ''} · status ${m.status}${m.imported ? ' · imported' : ''} · ${m.sampleCount} samples${m.failedCount ? `, ${m.failedCount} failed` : ''}`,
    '',
  );
  lines.push('## Findings', '');
  if (m.findings.length === 0) lines.push('No findings: nothing unusual was detected.', '');
  for (const f of m.findings) {
    const label = findingLabel(f);
    lines.push(`- **[${label}] ${text(f.title)}** — ${text(f.explanation)}`);
    const nums = Object.entries(f.numbers).filter(([, v]) => v !== null);
    if (nums.length > 0)
      lines.push(
        `  - ${text(nums.map(([k, v]) => `${k}: ${typeof v === 'number' ? formatValue(v) : String(v)}`).join(' · '))}`,
      );
  }
  lines.push('', '## Plots', '');
  for (const c of m.charts) lines.push(`![${c.title}](plots/${c.name}.svg)`, '');
  lines.push('## Statistics', '');
  lines.push(
    'Mean and median are arithmetic; the 95% CI is on the log scale, an interval for the geometric mean (shown beside it). Relative speed > 1 is better than the reference (ratio of geometric means, with its CI); overhead = extra time for the same work.',
    '',
  );
  const columns = reportColumns(m.summary);
  for (const t of reportTables(m)) {
    lines.push(
      `### ${benchmarkTitle(t.benchmark)} (${text(t.unit || t.metric)}, ${t.direction} is better)`,
      '',
      `| ${columns.map((c) => c.title).join(' | ')} |`,
      `|---|${columns
        .slice(1)
        .map(() => '---:')
        .join('|')}|`,
    );
    for (const r of t.rows) lines.push(`| ${rowCells(r).map(cell).join(' | ')} |`);
    lines.push('');
  }
  if (m.cells.length > 0) {
    lines.push(
      '## Cells',
      '',
      `| ${rowHeader(m.summary)} | Benchmark | Status | Repetitions |`,
      '|---|---|---|---|',
    );
    for (const c of m.cells)
      lines.push(
        `| ${cell(c.platform)} | ${cell(c.benchmark)} | ${cell(c.status)} | ${cell(c.note)} |`,
      );
    lines.push('');
  }
  lines.push('## Settings', '');
  for (const [k, v] of m.settings) lines.push(`- ${text(k)}: ${text(v)}`);
  lines.push('', '## Environment', '');
  for (const [k, v] of m.environment) lines.push(`- ${text(k)}: ${text(v)}`);
  lines.push('');
  return lines.join('\n');
}
