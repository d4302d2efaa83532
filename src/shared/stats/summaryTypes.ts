/**
 * The shapes of a summary (summary.json, IPC, `benchvisor compare --json`): statistics per
 * target × benchmark × metric and each target's ratio to the reference target. Plain JSON:
 * no NaN/Infinity (those become null). Made by summarize() (summary.ts).
 */
import type { BenchmarkId, Direction } from '../catalogue';
import type { PlatformId } from '../platforms';
import type { ComparisonDesign } from './paired';
import type { Verdict } from './verdict';

export interface CellSummary {
  platform: PlatformId;
  /** The target id (absent in summaries from before variants: the platform). */
  target?: string;
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: Direction;
  /** True for the benchmark's main metric (the one samples carry in `value`). */
  main: boolean;
  /** Successful values used below. */
  n: number;
  /** Failed repetitions (value null), excluded from every figure. */
  failed: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  cvPercent: number | null;
  /**
   * 95% CI: on the log scale for positive values (logScale.ts; always > 0, asymmetric, centred on
   * the geometric mean), Student t for data with values ≤ 0; null below MIN_N_FOR_INTERVAL values.
   */
  ciLow: number | null;
  ciHigh: number | null;
  /** Larger distance from the centre to a bound (for a log interval: centre × (e^h − 1)). */
  ciHalfWidth: number | null;
  /** How far the CI reaches above its centre, in % (log interval: (e^h − 1) × 100). */
  ciPercent: number | null;
  ciMethod: 'log' | 't' | null;
  /**
   * Centre of a log-scale CI: the geometric mean (null for a t interval or no interval; absent in
   * summaries from before it was added). Views show it beside the interval, because the arithmetic
   * `mean` of a skewed sample (one slow repetition) can lie outside an interval centred on it.
   */
  geoMean?: number | null;
  min: number | null;
  max: number | null;
  /** Values in repetition order, with their repetition numbers. */
  values: number[];
  reps: number[];
  /** Repetition numbers flagged by the MAD rule (modified z > 3.5). */
  outlierReps: number[];
  /**
   * Each value's round and instance (parallel to values; 0: not recorded), present only when the
   * run recorded them (interleaved rounds, several instances): ratios then pair by round.
   */
  rounds?: number[];
  instances?: number[];
}

export interface RatioSummary {
  platform: PlatformId;
  target?: string;
  reference: PlatformId;
  /** The reference target (absent before variants: the reference platform). */
  referenceTarget?: string;
  benchmark: BenchmarkId;
  metric: string;
  direction: Direction;
  /** Platform / reference (ratio of geometric means for log-scale intervals) and its 95% CI; see ratio.ts. */
  ratio: number | null;
  ratioLow: number | null;
  ratioHigh: number | null;
  method: 'log' | 'fieller' | 'delta' | 'none';
  /** Direction-aware relative performance (> 1 = better than the reference) and its CI. */
  relative: number | null;
  relativeLow: number | null;
  relativeHigh: number | null;
  /** Extra time for the same work vs the reference, in % (positive = worse; see ratio.ts). */
  overheadPercent: number | null;
  /** Welch's test platform vs reference. */
  welch: WelchSummary | null;
  /** The platform against the reference (verdict.ts). */
  verdict: Verdict;
  moreRepetitions: number | null;
  /** What moreRepetitions counts for a paired design ('round', 'instance'). */
  moreUnit?: string;
  /**
   * How the ratio was estimated (stats/paired.ts); absent: pooled, every repetition an
   * independent value (runs without rounds or instances, and every run from before them).
   */
  design?: ComparisonDesign;
}

/** Welch's test in JSON-safe form (t is null when infinite: both sides constant, means differ). */
export interface WelchSummary {
  t: number | null;
  df: number;
  p: number;
  meanDifference: number;
}

export interface Summary {
  /** The reference target's platform (null: no ratios). */
  reference: PlatformId | null;
  /** The reference target id. */
  referenceTarget?: string | null;
  cells: CellSummary[];
  ratios: RatioSummary[];
}

export interface SummarizeOptions {
  /** Target (or platform) every ratio is relative to (default native; no ratios when absent from the samples). */
  reference?: string;
}
