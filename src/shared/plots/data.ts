/** Flat data rows for the chart specs, built from one or more runs' summaries. */
import type { BenchmarkId } from '../catalogue';
import type { PlatformId } from '../platforms';
import type { CellSummary, Summary } from '../stats/summaryTypes';
import { targetOf } from '../targets';
import { platformShort, targetShort } from './labels';
import { speedText } from '../format';

/** One run to plot; several runs are compared side by side (colour by run). */
export interface RunSeries {
  runId: string;
  /** Legend label ("2024-05-01 quick native", "imported: lab server"). */
  label: string;
  summary: Summary;
}

export interface BarRow {
  run: string;
  platform: PlatformId;
  platformTitle: string;
  /** The target (the platform id when nothing varies) and its chart name ("QEMU TCG · qcow2"). */
  target: string;
  targetTitle: string;
  /** The bar's height: `geoMean` when the cell has a log-scale CI, the arithmetic mean otherwise. */
  height: number;
  mean: number;
  /** Centre of the log-scale CI (geometric mean); null for a t interval, no interval or an old run. */
  geoMean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  failed: number;
}

export interface PointRow {
  run: string;
  platform: PlatformId;
  platformTitle: string;
  target: string;
  targetTitle: string;
  rep: number;
  value: number;
  outlier: boolean;
}

export interface RelativeRow {
  run: string;
  platform: PlatformId;
  platformTitle: string;
  target: string;
  targetTitle: string;
  benchmark: BenchmarkId;
  relative: number;
  low: number | null;
  high: number | null;
  /** Overhead label: "+12.3%" (more time than the reference), "−4.0%" (less), "33× slower", "ref". */
  overhead: string;
}

export interface BenchmarkChartData {
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: 'higher' | 'lower';
  bars: BarRow[];
  points: PointRow[];
}

/**
 * The centre of a cell's log-scale interval (its geometric mean), or null: a t interval is centred
 * on the mean, and summaries from before `geoMean` existed lack it (their bars stay at the mean).
 */
function logCentre(c: CellSummary): number | null {
  if (c.ciMethod !== 'log' || c.ciLow === null || c.ciHigh === null) return null;
  return c.geoMean ?? null;
}

/**
 * What a benchmark chart's bars show, for its subtitle: the geometric mean when every bar is the
 * centre of a log-scale interval, the mean when none is, and says both when they are mixed.
 */
export function barCentreText(bars: readonly BarRow[]): string {
  const geo = bars.filter((b) => b.geoMean !== null).length;
  if (geo > 0 && geo === bars.length) {
    return 'Geometric mean with its 95% CI (log scale)';
  }
  if (geo > 0) return 'Geometric mean with its 95% CI (log scale; mean where no log CI)';
  return 'Mean, 95% CI (log scale)';
}

/** Bars (main metric centre + CI) and raw points for one benchmark across runs; null when no run has it. */
export function benchmarkData(
  benchmark: BenchmarkId,
  runs: readonly RunSeries[],
): BenchmarkChartData | null {
  const bars: BarRow[] = [];
  const points: PointRow[] = [];
  let head: { metric: string; unit: string; direction: 'higher' | 'lower' } | null = null;
  for (const run of runs) {
    for (const c of run.summary.cells) {
      if (c.benchmark !== benchmark || !c.main) continue;
      head ??= { metric: c.metric, unit: c.unit, direction: c.direction };
      if (c.mean === null) continue;
      const title = platformShort(c.platform);
      const target = targetOf(c);
      const targetTitle = targetShort(c.platform, target);
      const geoMean = logCentre(c);
      bars.push({
        run: run.label,
        platform: c.platform,
        platformTitle: title,
        target,
        targetTitle,
        height: geoMean ?? c.mean,
        mean: c.mean,
        geoMean,
        ciLow: c.ciLow,
        ciHigh: c.ciHigh,
        n: c.n,
        failed: c.failed,
      });
      const outliers = new Set(c.outlierReps);
      c.values.forEach((value, i) => {
        const rep = c.reps[i] ?? i + 1;
        points.push({
          run: run.label,
          platform: c.platform,
          platformTitle: title,
          target,
          targetTitle,
          rep,
          value,
          outlier: outliers.has(rep),
        });
      });
    }
  }
  return head ? { benchmark, ...head, bars, points } : null;
}

/** Relative performance rows (reference = 1) for the given benchmarks; the reference itself is included at 1. */
export function relativeData(
  benchmarks: readonly BenchmarkId[],
  runs: readonly RunSeries[],
): RelativeRow[] {
  const rows: RelativeRow[] = [];
  for (const run of runs) {
    const ref = run.summary.reference;
    if (!ref) continue;
    const refTarget = run.summary.referenceTarget ?? ref;
    for (const benchmark of benchmarks) {
      const refCell = run.summary.cells.find(
        (c) => targetOf(c) === refTarget && c.benchmark === benchmark && c.main,
      );
      if (!refCell || refCell.mean === null) continue;
      rows.push({
        run: run.label,
        platform: ref,
        platformTitle: platformShort(ref),
        target: refTarget,
        targetTitle: targetShort(ref, refTarget),
        benchmark,
        relative: 1,
        low: null,
        high: null,
        overhead: 'ref',
      });
      for (const r of run.summary.ratios) {
        if (r.benchmark !== benchmark || r.metric !== refCell.metric || r.relative === null)
          continue;
        rows.push({
          run: run.label,
          platform: r.platform,
          platformTitle: platformShort(r.platform),
          target: targetOf(r),
          targetTitle: targetShort(r.platform, targetOf(r)),
          benchmark,
          relative: r.relative,
          low: r.relativeLow,
          high: r.relativeHigh,
          overhead: overheadLabel(r.overheadPercent, r.relative),
        });
      }
    }
  }
  return rows;
}

/**
 * The label of a point in the normalised view, in the words of the one number format
 * (shared/format.ts): "33× slower", "0.89× — 12.8% more time"; from the overhead alone (bundles
 * without a relative speed) "+12.8% time"; "—" without either.
 */
export function overheadLabel(
  overheadPercent: number | null,
  relative: number | null = null,
): string {
  if (relative !== null && relative > 0) return speedText(relative);
  if (overheadPercent === null) return '—';
  return speedText(1 / (1 + overheadPercent / 100));
}

/** Whether any row is a target other than its platform (a run with variants). */
export function hasVariants(rows: readonly { platform: string; target: string }[]): boolean {
  return rows.some((r) => r.target !== r.platform);
}

/** The reference's chart name in a set of runs ("Native", "QEMU TCG · raw"). */
export function referenceTitle(runs: readonly RunSeries[]): string {
  const s = runs.find((r) => r.summary.reference)?.summary;
  if (!s || !s.reference) return platformShort('native');
  return targetShort(s.reference, s.referenceTarget ?? s.reference);
}
