/**
 * Intervals for positive quantities (times, throughputs, KFLOPS, ns/call) on the log scale.
 *
 * A Student-t interval of the mean is symmetric, so with few, skewed repetitions its lower bound
 * drops below zero ("memsweep −4.8 … 14.5 s"), which no time or rate can be. Here the t interval
 * is taken for the mean of ln(x) and exponentiated: an interval for the geometric mean that is
 * asymmetric, always > 0, and whose width is naturally a ratio ("÷ / × 1.04"). Benchmark times
 * are ratio-scale data whose noise is multiplicative (a busy host slows a run by a factor), so
 * the log scale is their natural scale. Why not a bootstrap: with n = 3–5 repetitions a
 * percentile bootstrap has only a handful of distinct resamples and is known to be too narrow;
 * the log-t interval is exact for log-normal data, deterministic, and cheap.
 *
 * Ratios of two cells use the same scale: ln(ratio) = mean ln(a) − mean ln(b), with Welch's
 * standard error and degrees of freedom, so a ratio's interval is always bounded and > 0.
 *
 * Fewer than MIN_N_FOR_INTERVAL values: no interval (a t interval with 1 degree of freedom is
 * ±12.7 standard errors: a number that says nothing, dressed up as a result).
 */
import { mean, variance } from './descriptive';
import { CONFIDENCE_LEVEL, tCritical } from './tdist';

/** The fewest values (per side) for which Benchvisor states a 95% interval. */
export const MIN_N_FOR_INTERVAL = 3;
/** Shown instead of an interval when a cell (or a side of a ratio) has fewer values. */
export const NO_INTERVAL_TEXT = 'n too small for an interval';

export interface LogInterval {
  low: number;
  high: number;
  /** exp(mean ln x): the centre of the interval. */
  geometricMean: number;
  /** Half-width on the log scale (t × sd(ln x) / √n). */
  logHalfWidth: number;
  /** (exp(logHalfWidth) − 1) × 100: the interval reaches this many % above the centre. */
  halfWidthPercent: number;
  level: number;
}

/** True when every value is a positive finite number (the log scale applies). */
export function allPositive(values: readonly number[]): boolean {
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v > 0);
}

/** ln of every value. */
export function logs(values: readonly number[]): number[] {
  return values.map((v) => Math.log(v));
}

/** "The interval reaches N% above its centre" for a half-width h on the log scale. */
export function logHalfWidthPercent(h: number): number {
  return (Math.exp(h) - 1) * 100;
}

/**
 * 95% interval of a positive quantity on the log scale; null with fewer than
 * MIN_N_FOR_INTERVAL values or any value ≤ 0.
 */
export function logInterval(
  values: readonly number[],
  level: number = CONFIDENCE_LEVEL,
): LogInterval | null {
  const n = values.length;
  if (n < MIN_N_FOR_INTERVAL || !allPositive(values)) return null;
  const l = logs(values);
  const centre = mean(l);
  const h = (tCritical(n - 1, level) * Math.sqrt(variance(l))) / Math.sqrt(n);
  return {
    low: Math.exp(centre - h),
    high: Math.exp(centre + h),
    geometricMean: Math.exp(centre),
    logHalfWidth: h,
    halfWidthPercent: logHalfWidthPercent(h),
    level,
  };
}

export interface LogRatio {
  /** mean ln(a) − mean ln(b): the log of the ratio of geometric means. */
  logRatio: number;
  /** Welch standard error of logRatio and its degrees of freedom (Welch–Satterthwaite). */
  se: number;
  df: number;
  /** Sample variances of ln(a) and ln(b). */
  varA: number;
  varB: number;
}

/** Welch's machinery on ln(a) and ln(b); null unless both sides have ≥ 2 positive values. */
export function logRatioStats(a: readonly number[], b: readonly number[]): LogRatio | null {
  if (a.length < 2 || b.length < 2 || !allPositive(a) || !allPositive(b)) return null;
  const la = logs(a);
  const lb = logs(b);
  const varA = variance(la);
  const varB = variance(lb);
  const va = varA / a.length;
  const vb = varB / b.length;
  const se2 = va + vb;
  const df =
    se2 === 0
      ? a.length + b.length - 2
      : se2 ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { logRatio: mean(la) - mean(lb), se: Math.sqrt(se2), df, varA, varB };
}

/**
 * 95% interval of a / b (ratio of geometric means) on the log scale, with its centre `ratio`
 * (geomean(a) / geomean(b)); null unless both sides have MIN_N_FOR_INTERVAL positive values.
 */
export function logRatioInterval(
  a: readonly number[],
  b: readonly number[],
  level: number = CONFIDENCE_LEVEL,
): { ratio: number; low: number; high: number; logHalfWidth: number } | null {
  if (a.length < MIN_N_FOR_INTERVAL || b.length < MIN_N_FOR_INTERVAL) return null;
  const s = logRatioStats(a, b);
  if (!s) return null;
  const h = s.se === 0 ? 0 : tCritical(s.df, level) * s.se;
  return {
    ratio: Math.exp(s.logRatio),
    low: Math.exp(s.logRatio - h),
    high: Math.exp(s.logRatio + h),
    logHalfWidth: h,
  };
}

/** Upper bound of repetitionsForTarget's answer (beyond it the target is out of practical reach). */
export const MAX_REPETITIONS_FOR_TARGET = 100_000;

/**
 * Total repetitions for which the log-scale 95% interval of a cell reaches no more than
 * targetPercent above its centre, given the spread observed so far (sd of ln x): the smallest n
 * with t(n − 1) · s / √n ≤ ln(1 + target/100). Null for fewer than 2 positive values.
 */
export function repetitionsForTarget(
  values: readonly number[],
  targetPercent: number,
): number | null {
  if (values.length < 2 || !allPositive(values)) return null;
  const s = Math.sqrt(variance(logs(values)));
  const goal = Math.log(1 + targetPercent / 100);
  const ok = (n: number) => s === 0 || (tCritical(n - 1) * s) / Math.sqrt(n) <= goal;
  let hi = MIN_N_FOR_INTERVAL;
  while (!ok(hi)) {
    if (hi >= MAX_REPETITIONS_FOR_TARGET) return MAX_REPETITIONS_FOR_TARGET;
    hi = Math.min(hi * 2, MAX_REPETITIONS_FOR_TARGET);
  }
  let lo = Math.max(1, Math.floor(hi / 2));
  if (lo < MIN_N_FOR_INTERVAL) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
