/** The words every view (UI, CLI, reports) uses for intervals: one place, so they read alike. */
import { MIN_N_FOR_INTERVAL, NO_INTERVAL_TEXT } from './logScale';
import { DESIGN_WORDS, type ComparisonDesign } from './paired';

/**
 * "0.18 – 0.42", "n too small for an interval" (fewer than MIN_N_FOR_INTERVAL values), or "—"
 * (no values at all).
 */
export function intervalText(
  low: number | null,
  high: number | null,
  n: number,
  format: (x: number) => string,
  separator = ' – ',
): string {
  if (low !== null && high !== null) return `${format(low)}${separator}${format(high)}`;
  if (n > 0 && n < MIN_N_FOR_INTERVAL) return NO_INTERVAL_TEXT;
  return '—';
}

/** Abbreviation views put before a log-scale interval's centre. */
export const GEO_MEAN_TEXT = 'geo. mean';

/**
 * A cell's 95% interval as every table shows it: intervalText, plus the geometric mean it is
 * centred on when the interval is on the log scale ("0.108 – 0.501 (geo. mean 0.232)"), so a
 * skewed sample whose arithmetic mean lies outside the interval does not look like an error.
 */
export function cellIntervalText(
  cell: {
    ciLow: number | null;
    ciHigh: number | null;
    n: number;
    ciMethod: 'log' | 't' | null;
    geoMean?: number | null | undefined;
  },
  format: (x: number) => string,
): string {
  const text = intervalText(cell.ciLow, cell.ciHigh, cell.n, format);
  const centre = cell.geoMean;
  if (cell.ciMethod !== 'log' || centre === null || centre === undefined) return text;
  if (cell.ciLow === null || cell.ciHigh === null) return text;
  return `${text} (${GEO_MEAN_TEXT} ${format(centre)})`;
}

/**
 * A ratio with its interval: "0.95 (0.91–0.99)"; "0.95 (n too small for an interval)" when a side
 * has fewer than MIN_N_FOR_INTERVAL values; "—" without a ratio.
 */
export function ratioWithInterval(
  ratio: number | null,
  low: number | null,
  high: number | null,
  smallerN: number,
  format: (x: number) => string,
): string {
  if (ratio === null) return '—';
  const ci = intervalText(low, high, smallerN, format, '–');
  return ci === '—' ? format(ratio) : `${format(ratio)} (${ci})`;
}

/**
 * " (paired by round)" after a verdict whose ratio was estimated per round or per instance
 * (stats/paired.ts); "" for the pooled analysis (sequential runs and every run from before).
 */
export function designNote(design: ComparisonDesign | undefined): string {
  return design === undefined || design === 'pooled' ? '' : ` (${DESIGN_WORDS[design]})`;
}
