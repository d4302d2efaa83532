/** report.md: the same report as Markdown, with the plots as relative image links (plots/*.svg). */
import { benchmarkTitle, formatValue, overheadLabel, platformTitle } from '../../shared/plots';
import { findingLabel } from '../../shared/findings';
import type { ReportModel } from './reportModel';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function reportMarkdown(m: ReportModel): string {
  const lines: string[] = [];
  lines.push(`# ${m.name}`, '');
  lines.push(
    `Run \`${m.runId}\` · started ${m.startedAt}${m.finishedAt ? ` · finished ${m.finishedAt}` : ''} · status ${m.status}${m.imported ? ' · imported' : ''} · ${m.sampleCount} samples${m.failedCount ? `, ${m.failedCount} failed` : ''}`,
    '',
  );
  lines.push('## Findings', '');
  if (m.findings.length === 0) lines.push('No findings: nothing unusual was detected.', '');
  for (const f of m.findings) {
    const label = findingLabel(f);
    lines.push(`- **[${label}] ${f.title}** — ${f.explanation}`);
    const nums = Object.entries(f.numbers).filter(([, v]) => v !== null);
    if (nums.length > 0)
      lines.push(
        `  - ${nums.map(([k, v]) => `${k}: ${typeof v === 'number' ? formatValue(v) : String(v)}`).join(' · ')}`,
      );
  }
  lines.push('', '## Plots', '');
  for (const c of m.charts) lines.push(`![${c.title}](plots/${c.name}.svg)`, '');
  lines.push('## Statistics', '');
  lines.push(
    'Mean with a 95% Student-t CI. Relative speed > 1 is better than the reference (Fieller CI); overhead = extra time for the same work.',
    '',
  );
  const benchmarks = [...new Set(m.summary.cells.map((c) => c.benchmark))];
  for (const b of benchmarks) {
    const cells = m.summary.cells.filter((c) => c.benchmark === b && c.main);
    if (cells.length === 0) continue;
    lines.push(
      `### ${benchmarkTitle(b)} (${cells[0]!.unit || cells[0]!.metric}, ${cells[0]!.direction} is better)`,
      '',
    );
    lines.push(
      '| Platform | n | Mean | Median | SD | CV | 95% CI | Relative speed | Overhead |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const c of cells) {
      const r = m.summary.ratios.find(
        (x) => x.platform === c.platform && x.benchmark === b && x.metric === c.metric,
      );
      const isRef = c.platform === m.summary.reference;
      const ci =
        c.ciLow !== null && c.ciHigh !== null
          ? `${formatValue(c.ciLow)} – ${formatValue(c.ciHigh)}`
          : '—';
      lines.push(
        `| ${cell(platformTitle(c.platform))} | ${c.n}${c.failed ? ` (+${c.failed} failed)` : ''} | ${formatValue(c.mean)} | ${formatValue(c.median)} | ${formatValue(c.sd)} | ${c.cvPercent === null ? '—' : c.cvPercent.toFixed(1) + '%'} | ${ci} | ${isRef ? '1 (reference)' : formatValue(r?.relative)} | ${isRef ? '' : overheadLabel(r?.overheadPercent ?? null, r?.relative ?? null)} |`,
      );
    }
    lines.push('');
  }
  if (m.cells.length > 0) {
    lines.push(
      '## Cells',
      '',
      '| Platform | Benchmark | Status | Repetitions |',
      '|---|---|---|---|',
    );
    for (const c of m.cells)
      lines.push(
        `| ${cell(c.platform)} | ${cell(c.benchmark)} | ${cell(c.status)} | ${cell(c.note)} |`,
      );
    lines.push('');
  }
  lines.push('## Settings', '');
  for (const [k, v] of m.settings) lines.push(`- ${k}: ${v}`);
  lines.push('', '## Environment', '');
  for (const [k, v] of m.environment) lines.push(`- ${k}: ${v}`);
  lines.push('');
  return lines.join('\n');
}
