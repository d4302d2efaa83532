/**
 * Ratio of a platform's mean to a reference platform's mean, with a 95% CI.
 *
 * Method: Fieller's theorem for the ratio of two independent means. With
 * a = mean of the platform, b = mean of the reference, va = sa²/na, vb = sb²/nb,
 * the CI is the set of R with (a − R·b)² ≤ t²·(va + R²·vb), i.e. the roots of
 * (b² − t²vb)R² − 2abR + (a² − t²va) = 0. t uses Welch–Satterthwaite degrees
 * of freedom for the variance va + r²vb at the point estimate r = a/b.
 * Fieller's interval is bounded only when the reference mean is clearly
 * non-zero (g = t²vb/b² < 1); otherwise we fall back to the delta method
 * (r ± t·|r|·√(va/a² + vb/b²)) and say so in `method`.
 */
import type { Direction } from '../catalogue';
import { mean, variance } from './descriptive';
import { tCritical } from './tdist';

export interface RatioInterval {
  /** mean(platform) / mean(reference). */
  ratio: number;
  /** 95% CI of the ratio (null when either side has fewer than two values). */
  low: number | null;
  high: number | null;
  method: 'fieller' | 'delta' | 'none';
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
  if (values.length < 2 || reference.length < 2)
    return { ratio: r, low: null, high: null, method: 'none' };
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
  if (!base) return null;
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
