/**
 * Ratio of a platform's typical value to a reference platform's, with a 95% CI.
 *
 * For positive quantities (every main metric) with MIN_N_FOR_INTERVAL values per side, the
 * interval is taken on the log scale (logScale.ts: Welch's t on ln values, exponentiated), so it is
 * always bounded and > 0. It is an interval for the ratio of the GEOMETRIC means, so the point
 * estimate is that ratio too, geomean(platform) / geomean(reference) = exp(mean ln a − mean ln b):
 * the interval's centre. Point, interval and verdict (verdict.ts, also on logs) then always agree.
 * The arithmetic mean(a) / mean(b) would not: one slow repetition among fast ones (4.88 s among
 * 0.17 s) pulls an arithmetic mean far above the geometric one, and the point could fall outside
 * its own interval. The cell tables show each side's geometric mean beside its interval, so the
 * figure stays checkable. Without an interval (fewer values: method 'none') and for data with a
 * value ≤ 0 (no log) the point is the arithmetic mean(a) / mean(b); the latter falls back to
 * Fieller's theorem for the ratio of two independent means: with a, b the means and
 * va = sa²/na, vb = sb²/nb, the CI is the set of R with (a − R·b)² ≤ t²·(va + R²·vb); it is
 * bounded only when g = t²vb/b² < 1, otherwise the delta method r ± t·|r|·√(va/a² + vb/b²).
 */
import type { Direction } from '../catalogue';
import { mean, variance } from './descriptive';
import { allPositive, logRatioInterval, MIN_N_FOR_INTERVAL } from './logScale';
import { tCritical } from './tdist';

export interface RatioInterval {
  /**
   * method 'log': geomean(platform) / geomean(reference), the interval's centre;
   * otherwise mean(platform) / mean(reference).
   */
  ratio: number;
  /** 95% CI of the ratio (null when either side has fewer than MIN_N_FOR_INTERVAL values). */
  low: number | null;
  high: number | null;
  /** log: log-scale interval (positive data); fieller/delta: data with values ≤ 0; none: no CI. */
  method: 'log' | 'fieller' | 'delta' | 'none';
}

export interface DirectedRatio extends RatioInterval {
  direction: Direction;
  /**
   * Direction-aware speed relative to the reference: > 1 means better than the
   * reference. Higher-is-better metrics: ratio; lower-is-better: 1 / ratio.
   */
  relative: number;
  relativeLow: number | null;
  relativeHigh: number | null;
  /**
   * Overhead in percent as extra time for the same work (positive = worse):
   * (1 / relative − 1)·100, i.e. (ratio − 1)·100 for lower-is-better metrics
   * (times) and (1 / ratio − 1)·100 for higher-is-better ones (rates), so the
   * same number means the same thing for every benchmark.
   */
  overheadPercent: number;
  /** True when the CI of the ratio excludes 1 (the platform differs from the reference). */
  differs: boolean | null;
}

export function ratioInterval(
  values: readonly number[],
  reference: readonly number[],
): RatioInterval | null {
  if (values.length === 0 || reference.length === 0) return null;
  const a = mean(values);
  const b = mean(reference);
  if (b === 0) return null;
  const r = a / b;
  if (values.length < MIN_N_FOR_INTERVAL || reference.length < MIN_N_FOR_INTERVAL)
    return { ratio: r, low: null, high: null, method: 'none' };
  if (allPositive(values) && allPositive(reference)) {
    const li = logRatioInterval(values, reference);
    if (li) return { ratio: li.ratio, low: li.low, high: li.high, method: 'log' };
  }
  return fiellerInterval(values, reference);
}

/** Fieller's interval (delta method when unbounded) for data that is not all positive. */
function fiellerInterval(values: readonly number[], reference: readonly number[]): RatioInterval {
  const a = mean(values);
  const b = mean(reference);
  const r = a / b;
  const na = values.length;
  const nb = reference.length;
  const va = variance(values) / na;
  const vb = variance(reference) / nb;
  if (va === 0 && vb === 0) return { ratio: r, low: r, high: r, method: 'fieller' };
  const comp = r * r * vb;
  const df = (va + comp) ** 2 / ((va * va) / (na - 1) + (comp * comp) / (nb - 1));
  const t = tCritical(df);
  const g = (t * t * vb) / (b * b);
  if (g < 1) {
    const denom = b * b - t * t * vb;
    const disc = a * a * vb + b * b * va - t * t * va * vb;
    const root = t * Math.sqrt(Math.max(0, disc));
    const r1 = (a * b - root) / denom;
    const r2 = (a * b + root) / denom;
    return { ratio: r, low: Math.min(r1, r2), high: Math.max(r1, r2), method: 'fieller' };
  }
  const se = Math.abs(r) * Math.sqrt((a !== 0 ? va / (a * a) : 0) + vb / (b * b));
  return { ratio: r, low: r - t * se, high: r + t * se, method: 'delta' };
}

/** The ratio with direction-aware "relative performance" and overhead. */
export function directedRatio(
  values: readonly number[],
  reference: readonly number[],
  direction: Direction,
): DirectedRatio | null {
  const base = ratioInterval(values, reference);
  return base ? directedFromInterval(base, direction) : null;
}

/** A ratio and its interval made direction-aware (see DirectedRatio). */
export function directedFromInterval(base: RatioInterval, direction: Direction): DirectedRatio {
  const { ratio, low, high } = base;
  const differs = low === null || high === null ? null : low > 1 || high < 1;
  if (direction === 'higher') {
    return {
      ...base,
      direction,
      relative: ratio,
      relativeLow: low,
      relativeHigh: high,
      overheadPercent: ratio === 0 ? Infinity : (1 / ratio - 1) * 100,
      differs,
    };
  }
  // Lower is better: invert; the reciprocal of a positive interval is the interval of the reciprocal.
  const positive = low !== null && high !== null && low > 0;
  return {
    ...base,
    direction,
    relative: ratio === 0 ? Infinity : 1 / ratio,
    relativeLow: positive ? 1 / (high as number) : null,
    relativeHigh: positive ? 1 / (low as number) : null,
    overheadPercent: (ratio - 1) * 100,
    differs,
  };
}
