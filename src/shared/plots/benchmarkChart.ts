/**
 * One benchmark's chart: bars of the main metric per platform (or target) and run, 95% CI
 * whiskers, and every repetition as a point (MAD outliers marked, kept).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { BenchmarkId } from '../catalogue';
import { PlatformId } from '../platforms';
import { LABEL_SEPARATOR } from '../targets';
import {
  BASE_CONFIG,
  CHART_HEIGHT,
  chartWidth,
  OUTLIER_COLOR,
  PLATFORM_COLORS,
  PLATFORM_ORDER,
  RUN_LEGEND,
  SCHEMA,
  UNIT_TOOLTIP,
  withUnit,
} from './chartStyle';
import { barCentreText, benchmarkData, hasVariants } from './data';
import type { RunSeries } from './data';
import { axisTitle, benchmarkTitle } from './labels';

/** Target labels ("QEMU TCG · qcow2 · writeback") are long: room per group and the label's limit. */
const TARGET_EXTRA_WIDTH = 20;
const TARGET_LABEL_LIMIT = 160;
/** Splits a target label at its separators into lines (a Vega expression). */
const TARGET_LABEL_LINES = `split(datum.label, '${LABEL_SEPARATOR}')`;

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
