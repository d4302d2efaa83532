/** The words every view (UI, CLI, reports) uses for intervals: one place, so they read alike. */
import { MIN_N_FOR_INTERVAL, NO_INTERVAL_TEXT } from './logScale';

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
