/**
 * The statistics tables of a report, as display strings: one table per benchmark, one row per
 * platform. reportHtml and reportMarkdown only lay these out.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import { formatValue, overheadLabel, platformTitle } from '../../shared/plots';
import { targetLabelOf, targetOf } from '../../shared/targets';
import type { ReportModel } from './reportModel';

export interface ReportRow {
  platform: string;
  /** "5" or "5 (+1 failed)". */
  n: string;
  mean: string;
  median: string;
  sd: string;
  cv: string;
  ci: string;
  range: string;
  relative: string;
  overhead: string;
}

export interface ReportTable {
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: string;
  rows: ReportRow[];
}

/** The columns of every statistics table, in order: header and the row field it shows. */
export const REPORT_COLUMNS: readonly { title: string; key: keyof ReportRow }[] = [
  { title: 'Platform', key: 'platform' },
  { title: 'n', key: 'n' },
  { title: 'Mean', key: 'mean' },
  { title: 'Median', key: 'median' },
  { title: 'SD', key: 'sd' },
  { title: 'CV', key: 'cv' },
  { title: '95% CI', key: 'ci' },
  { title: 'Min – max', key: 'range' },
  { title: 'Relative speed', key: 'relative' },
  { title: 'Overhead', key: 'overhead' },
];

/** A row's cells in column order. */
export function rowCells(r: ReportRow): string[] {
  return REPORT_COLUMNS.map((c) => r[c.key]);
}

export function reportTables(m: Pick<ReportModel, 'summary'>): ReportTable[] {
  const tables: ReportTable[] = [];
  const benchmarks = [...new Set(m.summary.cells.map((c) => c.benchmark))];
  for (const b of benchmarks) {
    const cells = m.summary.cells.filter((c) => c.benchmark === b && c.main);
    const first = cells[0];
    if (!first) continue;
    const rows = cells.map((c): ReportRow => {
      // One row per target (the platform itself when nothing varies).
      const target = targetOf(c);
      const r = m.summary.ratios.find(
        (x) => targetOf(x) === target && x.benchmark === b && x.metric === c.metric,
      );
      const isRef = target === (m.summary.referenceTarget ?? m.summary.reference);
      return {
        platform:
          target === c.platform ? platformTitle(c.platform) : targetLabelOf(c.platform, target),
        n: `${c.n}${c.failed ? ` (+${c.failed} failed)` : ''}`,
        mean: formatValue(c.mean),
        median: formatValue(c.median),
        sd: formatValue(c.sd),
        cv: c.cvPercent === null ? '—' : `${c.cvPercent.toFixed(1)}%`,
        ci:
          c.ciLow !== null && c.ciHigh !== null
            ? `${formatValue(c.ciLow)} – ${formatValue(c.ciHigh)}`
            : '—',
        range: `${formatValue(c.min)} – ${formatValue(c.max)}`,
        relative: isRef ? '1 (reference)' : formatValue(r?.relative),
        overhead: isRef ? '' : overheadLabel(r?.overheadPercent ?? null, r?.relative ?? null),
      };
    });
    tables.push({
      benchmark: b,
      metric: first.metric,
      unit: first.unit,
      direction: first.direction,
      rows,
    });
  }
  return tables;
}
