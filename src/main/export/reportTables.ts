/**
 * The statistics tables of a report, as display strings: one table per benchmark, one row per
 * platform. reportHtml and reportMarkdown only lay these out.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import { formatValue, overheadLabel, platformTitle } from '../../shared/plots';
import { formatPercent } from '../../shared/format';
import { targetLabelOf, targetOf } from '../../shared/targets';
import { cellIntervalText, designNote, ratioWithInterval, verdictText } from '../../shared/stats';
import type { Summary } from '../../shared/stats/summaryTypes';
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
  /** Against the reference platform (shared/stats/verdict.ts); empty for the reference. */
  verdict: string;
}

export interface ReportTable {
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: string;
  rows: ReportRow[];
}

export interface ReportColumn {
  title: string;
  key: keyof ReportRow;
}

/**
 * The columns of every statistics table, in order: header and the row field it shows. The first
 * column's header depends on the run (reportColumns).
 */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { title: 'Platform', key: 'platform' },
  { title: 'n', key: 'n' },
  { title: 'Mean', key: 'mean' },
  { title: 'Median', key: 'median' },
  { title: 'SD', key: 'sd' },
  { title: 'CV', key: 'cv' },
  { title: '95% CI (log scale)', key: 'ci' },
  { title: 'Min – max', key: 'range' },
  { title: 'Relative speed', key: 'relative' },
  { title: 'Speed in words', key: 'overhead' },
  { title: 'Verdict vs reference', key: 'verdict' },
];

/**
 * The header of the column naming each row: "Target" when the run has variants (a cell whose
 * target is not its platform; several targets of one platform always include one, as target ids
 * are unique), "Platform" otherwise (runs without variants and bundles from before them).
 */
export function rowHeader(summary: Pick<Summary, 'cells'>): 'Target' | 'Platform' {
  return summary.cells.some((c) => targetOf(c) !== c.platform) ? 'Target' : 'Platform';
}

/** A run's statistics columns: REPORT_COLUMNS with the first header from rowHeader. */
export function reportColumns(summary: Pick<Summary, 'cells'>): ReportColumn[] {
  const title = rowHeader(summary);
  return REPORT_COLUMNS.map((c) => (c.key === 'platform' ? { ...c, title } : c));
}

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
      const refTarget = m.summary.referenceTarget ?? m.summary.reference;
      const isRef = target === refTarget;
      const refN = cells.find((x) => targetOf(x) === refTarget)?.n ?? 0;
      return {
        platform:
          target === c.platform ? platformTitle(c.platform) : targetLabelOf(c.platform, target),
        n: `${c.n}${c.failed ? ` (+${c.failed} failed)` : ''}`,
        mean: formatValue(c.mean),
        median: formatValue(c.median),
        sd: formatValue(c.sd),
        cv: formatPercent(c.cvPercent),
        ci: cellIntervalText(c, formatValue),
        range: `${formatValue(c.min)} – ${formatValue(c.max)}`,
        relative: isRef
          ? '1 (reference)'
          : ratioWithInterval(
              r?.relative ?? null,
              r?.relativeLow ?? null,
              r?.relativeHigh ?? null,
              Math.min(c.n, refN),
              formatValue,
            ),
        overhead: isRef ? '' : overheadLabel(r?.overheadPercent ?? null, r?.relative ?? null),
        verdict: isRef || !r ? '' : `${verdictText(r)}${designNote(r.design)}`,
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
