/**
 * Descriptive statistics of one set of values: n, mean, median, sample sd,
 * CV, 95% Student-t CI of the mean, min/max and MAD-based outliers.
 */
import { CONFIDENCE_LEVEL, tCritical } from './tdist';

/** Modified z-score above which a value is an outlier (Iglewicz & Hoaglin). */
export const OUTLIER_Z = 3.5;
/** 0.6745 = Φ⁻¹(0.75): makes the MAD comparable to a standard deviation for normal data. */
const MAD_TO_Z = 0.6745;
/** When MAD is 0, Iglewicz & Hoaglin scale the mean absolute deviation by √(π/2) ≈ 1.2533. */
const MEAN_AD_SCALE = 1.253314;

export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Half-width (t × sd / √n). */
  halfWidth: number;
  /** Half-width as a percentage of |mean| (Infinity when the mean is 0 and the width is not). */
  halfWidthPercent: number;
  level: number;
}

export interface Descriptive {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  /** Coefficient of variation sd / |mean| in percent (null when n < 2 or mean is 0). */
  cvPercent: number | null;
  /** 95% CI of the mean (null when n < 2). */
  ci: ConfidenceInterval | null;
  min: number;
  max: number;
  /** Indexes (into the input array) of values whose modified z-score exceeds 3.5. */
  outlierIndexes: number[];
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/** Sample variance (divisor n − 1); 0 for fewer than two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return s / (values.length - 1);
}

/** Student-t confidence interval of the mean; null for fewer than two values. */
export function confidenceInterval(
  values: readonly number[],
  level: number = CONFIDENCE_LEVEL,
): ConfidenceInterval | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values);
  const halfWidth = (tCritical(n - 1, level) * Math.sqrt(variance(values))) / Math.sqrt(n);
  return {
    low: m - halfWidth,
    high: m + halfWidth,
    halfWidth,
    halfWidthPercent: percentOf(halfWidth, m),
    level,
  };
}

/** Indexes of outliers by the modified z-score |0.6745 (x − median) / MAD| > 3.5. */
export function madOutliers(values: readonly number[]): number[] {
  if (values.length < 3) return [];
  const med = median(values);
  const deviations = values.map((v) => Math.abs(v - med));
  const mad = median(deviations);
  let scale: number;
  if (mad > 0) scale = mad / MAD_TO_Z;
  else {
    const meanAd = mean(deviations);
    if (meanAd === 0) return [];
    scale = MEAN_AD_SCALE * meanAd;
  }
  const out: number[] = [];
  values.forEach((v, i) => {
    if (Math.abs(v - med) / scale > OUTLIER_Z) out.push(i);
  });
  return out;
}

export function describe(values: readonly number[]): Descriptive {
  const n = values.length;
  const m = mean(values);
  const sd = Math.sqrt(variance(values));
  return {
    n,
    mean: m,
    median: median(values),
    sd,
    cvPercent: n >= 2 && m !== 0 ? (sd / Math.abs(m)) * 100 : null,
    ci: confidenceInterval(values),
    min: n > 0 ? Math.min(...values) : Number.NaN,
    max: n > 0 ? Math.max(...values) : Number.NaN,
    outlierIndexes: madOutliers(values),
  };
}

/** part / |whole| × 100, with 0/0 = 0 and x/0 = Infinity. */
function percentOf(part: number, whole: number): number {
  if (part === 0) return 0;
  if (whole === 0) return Number.POSITIVE_INFINITY;
  return (Math.abs(part) / Math.abs(whole)) * 100;
}
