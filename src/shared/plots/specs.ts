/**
 * The chart definitions (Vega-Lite specs). The same spec renders live in the
 * renderer (vega View, SVG renderer) and to SVG files under Node (export/svg.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { BENCHMARK_IDS, CATALOGUE } from '../catalogue';
import type { BenchmarkId } from '../catalogue';
import { PlatformId } from '../platforms';
import { LABEL_SEPARATOR } from '../targets';
import { barCentreText, benchmarkData, hasVariants, referenceTitle, relativeData } from './data';
import type { RunSeries } from './data';
import { axisTitle, benchmarkTitle, normalizedAxisTitle, platformShort } from './labels';

/** Plot height in pixels (width follows the number of bars). */
export const CHART_HEIGHT = 240;
/** Horizontal room per platform group, plus per additional run in the group. */
const GROUP_WIDTH = 70;
const PER_RUN_WIDTH = 34;
const MIN_WIDTH = 260;
/** Max/min ratio of relative values above which the normalised view switches to a log scale. */
export const LOG_SCALE_SPREAD = 20;
/**
 * Relative slack on LOG_SCALE_SPREAD: ratios are exp(mean ln a − mean ln b), so a spread of exactly
 * 20 can come out as 20.000000000000004; rounding must not flip the scale.
 */
const SPREAD_ROUNDING_SLACK = 1e-9;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PLATFORM_ORDER = PlatformId.options.map(platformShort);
/** Repetitions the MAD rule flags: drawn red and as triangles, never dropped. */
const OUTLIER_COLOR = '#d62728';
/**
 * A calm palette; the same platform keeps its colour in every chart (by its place in
 * PLATFORM_IDS). Ten colours, so adding a platform needs no edit here (Vega would repeat
 * colours past the end, never fail).
 */
const PLATFORM_COLORS = [
  '#4c78a8',
  '#54a24b',
  '#e45756',
  '#b279a2',
  '#f58518',
  '#72b7b2',
  '#eeca3b',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** Run labels are long (name + date): one per line, not truncated early. */
const RUN_LEGEND = { columns: 1, labelLimit: 480 };
/** Splits an overhead label into lines in the normalised view. */
const LABEL_LINE_BREAK = '\n';
/** Overhead labels: font size, line height and the gap between a label and its point (px). */
const LABEL_FONT_SIZE = 9;
const LABEL_LINE_HEIGHT = 10;
const LABEL_GAP = 7;
/** Horizontal room per bar/point in the normalised view (its labels need space). */
const NORMALIZED_SERIES_WIDTH = 58;
/** Target labels ("QEMU TCG · qcow2 · writeback") are long: room per group and the label's limit. */
const TARGET_EXTRA_WIDTH = 20;
const TARGET_LABEL_LIMIT = 160;
/** Splits a target label at its separators into lines (a Vega expression). */
const TARGET_LABEL_LINES = `split(datum.label, '${LABEL_SEPARATOR}')`;

const BASE_CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' as const },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start' as const },
  view: { stroke: null },
};

/**
 * The unit goes into the chart as a data field, never into a tooltip title: Vega-Lite compiles
 * tooltip titles into an expression and escapes quotes but not backslashes, so a unit like
 * `a\b` from someone's bundle broke the chart ("Expression parse error").
 */
const UNIT_TOOLTIP = { field: 'unit', title: 'Unit' };
function withUnit<T extends object>(rows: readonly T[], unit: string): (T & { unit: string })[] {
  return rows.map((r) => ({ ...r, unit }));
}

function chartWidth(groups: number, runs: number): number {
  return Math.max(MIN_WIDTH, groups * (GROUP_WIDTH + PER_RUN_WIDTH * Math.max(0, runs - 1)));
}

/**
 * Colour encoding: by platform for a single run (by target when the run has variants, so raw
 * and qcow2 differ), by run when comparing runs.
 */
function colorEncoding(runs: number, targets: readonly string[] | null = null) {
  if (runs <= 1 && targets)
    return {
      field: 'targetTitle',
      type: 'nominal' as const,
      title: 'Target',
      scale: { domain: [...targets], range: PLATFORM_COLORS },
      legend: null,
    };
  return runs > 1
    ? { field: 'run', type: 'nominal' as const, title: 'Run', legend: RUN_LEGEND }
    : {
        field: 'platformTitle',
        type: 'nominal' as const,
        title: 'Platform',
        scale: { domain: PLATFORM_ORDER, range: PLATFORM_COLORS },
        legend: null,
      };
}

/**
 * Grouped bars of the main metric per platform (one bar per run) at the centre of its 95% CI
 * (the geometric mean for a log-scale CI, else the mean; data.ts `height`), 95% CI
 * whiskers from the precomputed bounds, and every raw repetition as a point.
 * Returns null when no run has the benchmark.
 */
export function benchmarkChartSpec(
  benchmark: BenchmarkId,
  runs: readonly RunSeries[],
): TopLevelSpec | null {
  const data = benchmarkData(benchmark, runs);
  if (!data) return null;
  const runCount = new Set(data.bars.map((b) => b.run)).size;
  // One group per target: with variants "QEMU TCG · raw" and "QEMU TCG · qcow2" stand apart
  // (colour still by platform); without, the groups are the platforms, as before variants.
  const variants = hasVariants(data.bars);
  const groupField = variants ? 'targetTitle' : 'platformTitle';
  const groups = new Set(data.bars.map((b) => b.target)).size;
  const targets = variants ? targetOrder(data.bars) : null;
  const yTitle = axisTitle(benchmark, data.metric, data.unit, data.direction);
  // The unit stays out of the encoding's title: Vega-Lite builds the marks' ARIA descriptions
  // and tooltips as expressions from it. The axis title is plain text.
  const yField = {
    title: axisTitle(benchmark, data.metric, '', data.direction),
    axis: { title: yTitle },
  };
  const x = {
    field: groupField,
    type: 'nominal' as const,
    title: null,
    sort: targets ?? PLATFORM_ORDER,
    // A target's label on several lines ("QEMU TCG" / "qcow2" / "writeback"), so groups stay narrow.
    axis: variants
      ? { labelAngle: 0, labelLimit: TARGET_LABEL_LIMIT, labelExpr: TARGET_LABEL_LINES }
      : { labelAngle: 0 },
  };
  const groupTooltip = variants
    ? { field: 'targetTitle', title: 'Target' }
    : { field: 'platformTitle', title: 'Platform' };
  const xOffset = runCount > 1 ? { xOffset: { field: 'run', type: 'nominal' as const } } : {};
  const fmt = ',.4~g';
  return {
    $schema: SCHEMA,
    title: {
      text: benchmarkTitle(benchmark),
      subtitle: `${barCentreText(data.bars)} and every repetition (▲ red: MAD outlier, kept) · ${yTitle}`,
    },
    width: chartWidth(groups, runCount) + (variants ? groups * TARGET_EXTRA_WIDTH : 0),
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: withUnit(data.bars, data.unit) },
        mark: { type: 'bar', opacity: 0.85, cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 },
        encoding: {
          x,
          ...xOffset,
          y: { field: 'height', type: 'quantitative', ...yField },
          color: colorEncoding(runCount, targets),
          tooltip: [
            { field: 'run', title: 'Run' },
            groupTooltip,
            { field: 'mean', title: 'Mean', format: fmt },
            { field: 'geoMean', title: 'Geo. mean', format: fmt },
            UNIT_TOOLTIP,
            { field: 'ciLow', title: 'CI low', format: fmt },
            { field: 'ciHigh', title: 'CI high', format: fmt },
            { field: 'n', title: 'n' },
            { field: 'failed', title: 'Failed' },
          ],
        },
      },
      {
        data: { values: data.bars.filter((b) => b.ciLow !== null && b.ciHigh !== null) },
        mark: { type: 'errorbar', ticks: { size: 10 }, thickness: 1.5, color: '#222' },
        encoding: {
          x,
          ...xOffset,
          y: { field: 'ciLow', type: 'quantitative', ...yField },
          y2: { field: 'ciHigh' },
        },
      },
      {
        data: { values: withUnit(data.points, data.unit) },
        mark: {
          type: 'point',
          filled: true,
          size: 28,
          opacity: 0.75,
          stroke: '#fff',
          strokeWidth: 0.5,
        },
        encoding: {
          x,
          ...xOffset,
          y: { field: 'value', type: 'quantitative' },
          color: { condition: { test: 'datum.outlier', value: OUTLIER_COLOR }, value: '#222' },
          shape: {
            field: 'outlier',
            type: 'nominal',
            scale: { domain: [false, true], range: ['circle', 'triangle-up'] },
            legend: null,
          },
          tooltip: [
            { field: 'run', title: 'Run' },
            groupTooltip,
            { field: 'rep', title: 'Repetition' },
            { field: 'value', title: 'Value', format: fmt },
            UNIT_TOOLTIP,
            { field: 'outlier', title: 'MAD outlier' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

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

/** Target names in platform order, a platform's targets in the order they ran. */
function targetOrder(rows: readonly { platform: PlatformId; targetTitle: string }[]): string[] {
  const order = PlatformId.options as readonly string[];
  const seen = new Map<string, { platform: string; first: number }>();
  rows.forEach((r, i) => {
    if (!seen.has(r.targetTitle)) seen.set(r.targetTitle, { platform: r.platform, first: i });
  });
  return [...seen.entries()]
    .sort(
      ([, a], [, b]) => order.indexOf(a.platform) - order.indexOf(b.platform) || a.first - b.first,
    )
    .map(([k]) => k);
}

/** Benchmarks present in any of the runs, in catalogue order. */
export function benchmarksIn(runs: readonly RunSeries[]): BenchmarkId[] {
  return BENCHMARK_IDS.filter((b) =>
    runs.some((r) => r.summary.cells.some((c) => c.benchmark === b)),
  );
}

/** Every chart of a report: the normalised overview first, then one per benchmark. */
export function allChartSpecs(
  runs: readonly RunSeries[],
): { name: string; title: string; spec: TopLevelSpec }[] {
  const out: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const benchmarks = benchmarksIn(runs);
  const norm = normalizedChartSpec(runs, benchmarks);
  if (norm) out.push({ name: 'normalized', title: 'Relative performance', spec: norm });
  for (const b of benchmarks) {
    const spec = benchmarkChartSpec(b, runs);
    if (spec) out.push({ name: b, title: CATALOGUE[b].title, spec });
  }
  return out;
}
