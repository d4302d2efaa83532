/**
 * The normalised chart: every target's direction-aware performance relative to the reference
 * (= 1), benchmarks side by side, runs compared, on a log scale when values spread widely.
 */
import type { TopLevelSpec } from 'vega-lite';
import { BENCHMARK_IDS } from '../catalogue';
import type { BenchmarkId } from '../catalogue';
import { PlatformId } from '../platforms';
import {
  BASE_CONFIG,
  CHART_HEIGHT,
  MIN_WIDTH,
  PLATFORM_COLORS,
  PLATFORM_ORDER,
  RUN_LEGEND,
  SCHEMA,
} from './chartStyle';
import { hasVariants, referenceTitle, relativeData } from './data';
import type { RunSeries } from './data';
import { benchmarkTitle, normalizedAxisTitle } from './labels';

/** Max/min ratio of relative values above which the normalised view switches to a log scale. */
export const LOG_SCALE_SPREAD = 20;
/**
 * Relative slack on LOG_SCALE_SPREAD: ratios are exp(mean ln a − mean ln b), so a spread of exactly
 * 20 can come out as 20.000000000000004; rounding must not flip the scale.
 */
const SPREAD_ROUNDING_SLACK = 1e-9;
/** Splits an overhead label into lines in the normalised view. */
const LABEL_LINE_BREAK = '\n';
/** Overhead labels: font size, line height and the gap between a label and its point (px). */
const LABEL_FONT_SIZE = 9;
const LABEL_LINE_HEIGHT = 10;
const LABEL_GAP = 7;
/** Horizontal room per bar/point in the normalised view (its labels need space). */
const NORMALIZED_SERIES_WIDTH = 58;

/**
 * Normalised view: each platform's direction-aware performance relative to the
 * reference (= 1, dashed rule), with CI whiskers and the overhead in percent
 * (+ = worse). Several benchmarks side by side; several runs compared.
 * Switches to a log scale (points instead of bars) when values spread widely
 * (e.g. TCG at 0.02 next to native at 1). Returns null without any ratio.
 */
export function normalizedChartSpec(
  runs: readonly RunSeries[],
  benchmarks: readonly BenchmarkId[] = BENCHMARK_IDS,
): TopLevelSpec | null {
  const rows = relativeData(benchmarks, runs);
  if (rows.length === 0 || rows.every((r) => r.overhead === 'ref')) return null;
  const reference = referenceTitle(runs);
  const runCount = new Set(rows.map((r) => r.run)).size;
  const variants = hasVariants(rows);
  const series = rows.map((r) => ({
    ...r,
    benchmarkTitle: benchmarkTitle(r.benchmark),
    series: runCount > 1 ? `${r.run} · ${r.targetTitle}` : r.targetTitle,
    // "61× slower" and "0.89× — 12.8% more time" on two lines: neighbouring points' labels
    // would overlap on one.
    label: r.overhead.includes(' — ')
      ? r.overhead.replace(' — ', LABEL_LINE_BREAK)
      : r.overhead.replace(' ', LABEL_LINE_BREAK),
  }));
  const values = series.map((r) => r.relative).filter((v) => v > 0);
  const spread = Math.max(...values) / Math.min(...values);
  const log = spread > LOG_SCALE_SPREAD * (1 + SPREAD_ROUNDING_SLACK);
  const benchTitles = benchmarks
    .filter((b) => rows.some((r) => r.benchmark === b))
    .map(benchmarkTitle);
  const seriesCount = new Set(series.map((s) => s.series)).size;
  const x = {
    field: 'benchmarkTitle',
    type: 'nominal' as const,
    title: null,
    sort: benchTitles,
    axis: { labelAngle: 0 },
  };
  const xOffset = { field: 'series', type: 'nominal' as const, sort: seriesSort(series) };
  const color =
    runCount > 1
      ? {
          field: 'series',
          type: 'nominal' as const,
          title: 'Run · platform',
          sort: seriesSort(series),
          legend: RUN_LEGEND,
        }
      : variants
        ? {
            field: 'series',
            type: 'nominal' as const,
            title: 'Target',
            sort: seriesSort(series),
            scale: { domain: seriesSort(series), range: PLATFORM_COLORS },
            legend: RUN_LEGEND,
          }
        : {
            field: 'series',
            type: 'nominal' as const,
            title: 'Platform',
            scale: { domain: PLATFORM_ORDER, range: PLATFORM_COLORS },
            // The domain keeps each platform's colour; the legend lists only those that ran.
            legend: { values: PLATFORM_ORDER.filter((p) => series.some((r) => r.series === p)) },
          };
  const y = {
    field: 'relative',
    type: 'quantitative' as const,
    title: normalizedAxisTitle(reference),
    scale: log ? { type: 'log' as const } : { zero: true },
  };
  const tooltip = [
    { field: 'run', title: 'Run' },
    variants
      ? { field: 'targetTitle', title: 'Target' }
      : { field: 'platformTitle', title: 'Platform' },
    { field: 'benchmarkTitle', title: 'Benchmark' },
    { field: 'relative', title: 'Relative to the reference', format: '.3~g' },
    { field: 'low', title: 'CI low', format: '.3~g' },
    { field: 'high', title: 'CI high', format: '.3~g' },
    { field: 'overhead', title: 'Speed (time for the same work)' },
  ];
  return {
    $schema: SCHEMA,
    title: {
      text: `Relative to ${reference}`,
      subtitle: `${reference} = 1; above 1 is faster${log ? ' · log scale' : ''} · labels: speed and time for the same work`,
    },
    width: Math.max(MIN_WIDTH, benchTitles.length * seriesCount * NORMALIZED_SERIES_WIDTH),
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: series },
        mark: log ? { type: 'point', filled: true, size: 70 } : { type: 'bar', opacity: 0.85 },
        encoding: { x, xOffset, y, color, tooltip },
      },
      {
        data: {
          values: series.filter(
            (r) => r.low !== null && r.high !== null && (!log || (r.low as number) > 0),
          ),
        },
        mark: { type: 'errorbar', ticks: { size: 8 }, color: '#222' },
        encoding: { x, xOffset, y: { ...y, field: 'low' }, y2: { field: 'high' } },
      },
      // Vega stacks a label's extra lines downwards, so two-line labels sit one line higher.
      ...[1, 2].map((lines) => ({
        data: { values: series.filter((r) => r.label.split(LABEL_LINE_BREAK).length === lines) },
        mark: {
          type: 'text' as const,
          dy: -LABEL_GAP - (lines - 1) * LABEL_LINE_HEIGHT,
          baseline: 'bottom' as const,
          lineBreak: LABEL_LINE_BREAK,
          lineHeight: LABEL_LINE_HEIGHT,
          fontSize: LABEL_FONT_SIZE,
          color: '#333',
        },
        encoding: { x, xOffset, y, text: { field: 'label' } },
      })),
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#555' },
        encoding: { y: { field: 'one', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

function seriesSort(
  rows: readonly { series: string; run: string; platform: PlatformId }[],
): string[] {
  const order = PlatformId.options as readonly string[];
  const unique = new Map<string, { run: string; platform: string; first: number }>();
  rows.forEach((r, i) => {
    if (!unique.has(r.series)) unique.set(r.series, { ...r, first: i });
  });
  return [...unique.entries()]
    .sort(
      ([, a], [, b]) =>
        a.run.localeCompare(b.run) ||
        order.indexOf(a.platform) - order.indexOf(b.platform) ||
        a.first - b.first,
    )
    .map(([k]) => k);
}
