/**
 * What every chart shares: the Vega-Lite schema, sizes, the platform palette and order, fonts,
 * and the unit as a data field for tooltips.
 */
import { PlatformId } from '../platforms';
import { platformShort } from './labels';

/** Plot height in pixels (width follows the number of bars). */
export const CHART_HEIGHT = 240;
/** Horizontal room per platform group, plus per additional run in the group. */
const GROUP_WIDTH = 70;
const PER_RUN_WIDTH = 34;
export const MIN_WIDTH = 260;

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const PLATFORM_ORDER = PlatformId.options.map(platformShort);
/** Repetitions the MAD rule flags: drawn red and as triangles, never dropped. */
export const OUTLIER_COLOR = '#d62728';
/**
 * A calm palette; the same platform keeps its colour in every chart (by its place in
 * PLATFORM_IDS). Ten colours, so adding a platform needs no edit here (Vega would repeat
 * colours past the end, never fail).
 */
export const PLATFORM_COLORS = [
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
export const RUN_LEGEND = { columns: 1, labelLimit: 480 };

export const BASE_CONFIG = {
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
export const UNIT_TOOLTIP = { field: 'unit', title: 'Unit' };
export function withUnit<T extends object>(
  rows: readonly T[],
  unit: string,
): (T & { unit: string })[] {
  return rows.map((r) => ({ ...r, unit }));
}

export function chartWidth(groups: number, runs: number): number {
  return Math.max(MIN_WIDTH, groups * (GROUP_WIDTH + PER_RUN_WIDTH * Math.max(0, runs - 1)));
}
