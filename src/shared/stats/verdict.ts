/**
 * Verdicts: does A perform differently from B (run against run, or a platform against the
 * reference platform)? Decided on the 95% interval of the direction-aware speed ratio, taken on
 * the log scale (logScale.ts), against a stated noise threshold:
 *
 *  - faster / slower: the interval excludes 1 (A is better / worse in the metric's direction);
 *  - same: the interval includes 1 and lies inside 1 ÷ (1 + θ) … 1 + θ (θ = NOISE_THRESHOLD_PERCENT);
 *  - inconclusive: the interval includes 1 but reaches beyond the threshold, or there is no
 *    interval yet (a side with 2 values); with "about N more repetitions per side would settle it",
 *    estimated from the observed variance;
 *  - too-few: a side has fewer than 2 successful repetitions (no variance to estimate from).
 *
 * The codes are the same everywhere (`benchvisor compare --json`, summary.json); VERDICT_WORDS are
 * the words the UI, the CLI and the reports print.
 */
import type { Direction } from '../catalogue';
import { logRatioStats, MIN_N_FOR_INTERVAL, type LogRatio } from './logScale';
import {
  compareObservations,
  DESIGN_UNIT,
  unitsToSettle,
  type Comparison,
  type Observation,
} from './paired';
import { ratioInterval } from './ratio';
import { tCritical } from './tdist';

export const VERDICTS = ['faster', 'slower', 'same', 'inconclusive', 'too-few'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Equivalence margin for "same": the whole 95% interval of the speed ratio within ±2%
 * (criterion.rs uses a 1–2% noise threshold for the same purpose). A smaller difference is
 * within the run-to-run noise of a shared host and of no practical consequence.
 */
export const NOISE_THRESHOLD_PERCENT = 2;
/** Fewest successful repetitions per side for any verdict but too-few. */
export const MIN_N_FOR_VERDICT = 2;
/** Estimates of the repetitions needed stop here (beyond it, "settling" is not practical). */
export const MAX_REPETITIONS_ESTIMATE = 1_000_000;

/** The words for each verdict, shared by the UI, `benchvisor compare/show` and the reports. */
export const VERDICT_WORDS: Record<Verdict, string> = {
  faster: 'faster',
  slower: 'slower',
  same: `same within noise (±${NOISE_THRESHOLD_PERCENT}%)`,
  // The data cannot decide yet (the interval includes 1 but reaches beyond the threshold).
  inconclusive: 'cannot tell yet',
  'too-few': 'too few repetitions',
};

export interface VerdictResult {
  verdict: Verdict;
  /**
   * For inconclusive: about how many more repetitions per side would settle it (the interval then
   * either excludes 1 or fits the noise threshold), assuming the observed variance and difference
   * hold; null when it cannot be estimated.
   */
  moreRepetitions: number | null;
  /**
   * What moreRepetitions counts when the comparison is paired or at the instance level
   * ('round', 'instance'); absent: repetitions per side (the pooled design).
   */
  moreUnit?: string;
}

/** "cannot tell yet: about 12 more repetitions per side would settle it". */
export function verdictText(v: VerdictResult): string {
  const words = VERDICT_WORDS[v.verdict];
  if (v.verdict !== 'inconclusive' || v.moreRepetitions === null) return words;
  const n = v.moreRepetitions;
  const count =
    n >= MAX_REPETITIONS_ESTIMATE
      ? `more than ${MAX_REPETITIONS_ESTIMATE.toLocaleString('en-US')}`
      : `about ${n.toLocaleString('en-US')}`;
  const unit = v.moreUnit ?? 'repetition';
  const perSide = v.moreUnit === undefined ? ' per side' : '';
  return `${words}: ${count} more ${unit}${n === 1 ? '' : 's'}${perSide} would settle it`;
}

/**
 * The verdict for A against B (values of the same metric; direction says which way is better).
 */
export function verdictFor(
  a: readonly number[],
  b: readonly number[],
  direction: Direction,
): VerdictResult {
  if (a.length < MIN_N_FOR_VERDICT || b.length < MIN_N_FOR_VERDICT)
    return { verdict: 'too-few', moreRepetitions: null };
  const r = ratioInterval(a, b);
  const stats = logRatioStats(a, b);
  const more = () => (stats ? repetitionsToSettle(stats, Math.min(a.length, b.length)) : null);
  if (!r || r.low === null || r.high === null)
    return { verdict: 'inconclusive', moreRepetitions: more() };
  if (r.low > 1 || r.high < 1) {
    const higher = r.low > 1;
    const better = direction === 'higher' ? higher : !higher;
    return { verdict: better ? 'faster' : 'slower', moreRepetitions: null };
  }
  const margin = 1 + NOISE_THRESHOLD_PERCENT / 100;
  if (r.low >= 1 / margin && r.high <= margin) return { verdict: 'same', moreRepetitions: null };
  return { verdict: 'inconclusive', moreRepetitions: more() };
}

/** The verdict an interval of a / b gives (faster / slower / same / inconclusive). */
export function verdictOfInterval(
  low: number | null,
  high: number | null,
  direction: Direction,
): Verdict {
  if (low === null || high === null) return 'inconclusive';
  if (low > 1 || high < 1) {
    const better = direction === 'higher' ? low > 1 : high < 1;
    return better ? 'faster' : 'slower';
  }
  const margin = 1 + NOISE_THRESHOLD_PERCENT / 100;
  return low >= 1 / margin && high <= margin ? 'same' : 'inconclusive';
}

/**
 * The verdict for A against B from observations that may carry their round and instance
 * (paired.ts chooses the design: paired by round, at the instance level, or pooled as
 * verdictFor). Needs MIN_N_FOR_VERDICT values per side, like verdictFor.
 */
export function verdictOfObservations(
  a: readonly Observation[],
  b: readonly Observation[],
  direction: Direction,
): VerdictResult & { comparison: Comparison | null } {
  const c = compareObservations(a, b);
  if (!c || c.design === 'pooled') {
    const v = verdictFor(
      a.map((o) => o.value),
      b.map((o) => o.value),
      direction,
    );
    return { ...v, comparison: c };
  }
  if (a.length < MIN_N_FOR_VERDICT || b.length < MIN_N_FOR_VERDICT)
    return { verdict: 'too-few', moreRepetitions: null, comparison: c };
  const verdict = verdictOfInterval(c.low, c.high, direction);
  if (verdict !== 'inconclusive') return { verdict, moreRepetitions: null, comparison: c };
  return {
    verdict,
    moreRepetitions: unitsToSettle(c, 1 + NOISE_THRESHOLD_PERCENT / 100),
    moreUnit: DESIGN_UNIT[c.design],
    comparison: c,
  };
}

/**
 * Smallest n per side for which the log-ratio interval, with the observed variances and the
 * observed difference d = |ln ratio|, would settle the question: half-width h < d (excludes 1) or
 * d + h ≤ ln(1 + θ) (inside the noise threshold). Returns n − current (at least 1).
 */
export function repetitionsToSettle(s: LogRatio, current: number): number {
  const d = Math.abs(s.logRatio);
  const margin = Math.log(1 + NOISE_THRESHOLD_PERCENT / 100);
  const target = Math.max(d, margin - d);
  const sumVar = s.varA + s.varB;
  const settles = (n: number): boolean => {
    if (sumVar === 0) return true;
    const df = ((n - 1) * sumVar ** 2) / (s.varA ** 2 + s.varB ** 2);
    return tCritical(df) * Math.sqrt(sumVar / n) <= target;
  };
  let lo = Math.max(current, MIN_N_FOR_INTERVAL - 1);
  let hi = Math.max(current + 1, MIN_N_FOR_INTERVAL);
  while (!settles(hi)) {
    if (hi >= MAX_REPETITIONS_ESTIMATE) return MAX_REPETITIONS_ESTIMATE;
    lo = hi;
    hi = Math.min(hi * 2, MAX_REPETITIONS_ESTIMATE);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (settles(mid)) hi = mid;
    else lo = mid;
  }
  return Math.max(1, hi - current);
}
