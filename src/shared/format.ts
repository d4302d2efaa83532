/**
 * The one number format of Benchvisor: every view (results page, compare page, charts and their
 * tooltips, findings, CLI tables, HTML/Markdown reports) prints numbers and speeds through these
 * functions, so "1,166" never stands beside "1166" and a slowdown reads "32× slower", never
 * "+3154% overhead".
 *
 *  - formatNumber: 3 significant digits, thousands separated from 1,000 up ("1,166", "5,733,918",
 *    "12.3", "0.0542"); "—" for no value.
 *  - speedText: a direction-aware relative speed (> 1 = better than the reference) as words:
 *    "33× slower", "2.4× faster", and near 1 "0.89× — 12.8% more time" / "1.12× — 10.7% less
 *    time" (the extra time for the same work, the sign convention spelled out).
 *  - speedIntervalText: its 95% interval in the same terms ("30–36×" for slowdowns).
 */

/** Significant digits of every number shown. */
export const SIGNIFICANT_DIGITS = 3;
/** From here on, whole numbers with thousands separators. */
const GROUPING_FROM = 1000;
/**
 * A speed at or beyond this factor (either way) reads as "N× slower/faster"; closer to 1 it reads
 * as a ratio with the extra (or saved) time in percent, which is easier to weigh for small effects.
 */
export const FACTOR_WORDS_FROM = 2;
/** Below this, the extra time rounds to 0.0%: "same time". */
const SAME_TIME_PERCENT = 0.05;
/** The minus sign (U+2212), not a hyphen. */
export const MINUS = '\u2212';

function finite(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && Number.isFinite(x);
}

/** Thousands-separated whole number ("1,166"), minus sign for negatives. */
function grouped(x: number): string {
  const text = Math.round(Math.abs(x)).toLocaleString('en-US');
  return x < 0 ? `${MINUS}${text}` : text;
}

/** "1,166", "5,733,918", "12.3", "2.5", "0.0542", "0", "—". */
export function formatNumber(x: number | null | undefined): string {
  if (!finite(x)) return '—';
  const abs = Math.abs(x);
  if (abs === 0) return '0';
  if (abs >= GROUPING_FROM) return grouped(x);
  // Number() drops trailing zeros ("2.50" → 2.5); rounding may carry into the thousands.
  const r = Number(x.toPrecision(SIGNIFICANT_DIGITS));
  if (Math.abs(r) >= GROUPING_FROM) return grouped(r);
  const text = abs >= 1e-4 ? String(Math.abs(r)) : Math.abs(x).toPrecision(SIGNIFICANT_DIGITS);
  return x < 0 ? `${MINUS}${text}` : text;
}

/** "12.8%", "−4.0%" with one decimal below 100, whole from 100 up, "—" without a value. */
export function formatPercent(x: number | null | undefined): string {
  if (!finite(x)) return '—';
  const abs = Math.abs(x);
  const text = abs >= 100 ? grouped(abs) : abs.toFixed(1);
  return `${x < 0 && text !== '0.0' ? MINUS : ''}${text}%`;
}

/** A value with its unit: "5,733,918 KFLOPS", "0.123 s"; the unit is left off when empty. */
export function formatWithUnit(x: number | null | undefined, unit: string): string {
  const n = formatNumber(x);
  return unit && n !== '—' ? `${n} ${unit}` : n;
}

/** A factor for "N× slower": "33", "2.4", "1,234". */
export function formatFactor(f: number): string {
  if (f >= 10) return grouped(f);
  return f.toFixed(1);
}

/** Whether a factor reads as "N×" (as shown, rounded: 1.9996 is "2.0×"). */
export function isFactor(f: number): boolean {
  return Number(f.toFixed(1)) >= FACTOR_WORDS_FROM;
}

/** Extra time for the same work at relative speed r, in percent (positive = more time). */
export function extraTimePercent(relative: number): number {
  return (1 / relative - 1) * 100;
}

/**
 * A relative speed in words (> 1 = better than the reference): "33× slower", "2.4× faster",
 * "0.89× — 12.8% more time", "1.12× — 10.7% less time", "1.00× — same time", "—".
 */
export function speedText(relative: number | null | undefined): string {
  if (!finite(relative) || relative <= 0) return '—';
  if (isFactor(1 / relative)) return `${formatFactor(1 / relative)}× slower`;
  if (isFactor(relative)) return `${formatFactor(relative)}× faster`;
  const extra = extraTimePercent(relative);
  const ratio = `${relative.toFixed(2)}×`;
  if (Math.abs(extra) < SAME_TIME_PERCENT) return `${ratio} — same time`;
  return `${ratio} — ${Math.abs(extra).toFixed(1)}% ${extra > 0 ? 'more' : 'less'} time`;
}

/**
 * The 95% interval of a relative speed in the words of speedText: "30–36×" when the whole interval
 * is a slowdown by FACTOR_WORDS_FROM or more (as factors of slowdown, smaller first), "2.1–2.6×"
 * when it is a speed-up as large, else the ratios "0.85–0.93×"; "" without an interval.
 */
export function speedIntervalText(
  low: number | null | undefined,
  high: number | null | undefined,
): string {
  if (!finite(low) || !finite(high) || low <= 0 || high <= 0) return '';
  if (isFactor(1 / high)) return `${formatFactor(1 / high)}–${formatFactor(1 / low)}×`;
  if (isFactor(low)) return `${formatFactor(low)}–${formatFactor(high)}×`;
  return `${low.toFixed(2)}–${high.toFixed(2)}×`;
}

/** "33× slower (30–36×)", or the speed alone without an interval. */
export function speedWithInterval(
  relative: number | null | undefined,
  low: number | null | undefined,
  high: number | null | undefined,
): string {
  const ci = speedIntervalText(low, high);
  const s = speedText(relative);
  return ci && s !== '—' ? `${s} (${ci})` : s;
}

/** "p < 0.001", "p = 0.042", "p not computable". */
export function formatP(p: number | null | undefined): string {
  if (!finite(p)) return 'p not computable';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/**
 * A metric's name with its unit, without repeating it: "KFLOPS" (not "KFLOPS in KFLOPS"),
 * "Time (s)".
 */
export function metricName(label: string, unit: string): string {
  return unit && unit !== label ? `${label} (${unit})` : label;
}
