/**
 * Comparisons that respect how the values were taken (ARCHITECTURE.md "Paired statistics").
 *
 * A value is an Observation: the measurement plus, when the run recorded them, its round (an
 * interleaved run measures every target once per round, in a random order) and its instance
 * (the boot of a guest / start of a container it ran in). The design of a comparison follows:
 *
 *  - paired-instances: rounds AND ≥ 2 instances. Per instance k, d_k = the mean over its rounds
 *    of ln a − ln b; the interval is Student t over the K instance differences (K − 1 degrees of
 *    freedom). Drift cancels within each round, and the spread between boots stays in the
 *    interval: K, not the number of rounds, is the sample size (Kalibera & Jones, ISMM 2013, take
 *    invocations as a level of variation of their own).
 *  - paired-rounds: rounds, one instance. The t interval over the per-round log ratios.
 *  - instances: no rounds (sequential order), ≥ 2 instances per side. Each instance is reduced
 *    to its geometric mean; Welch's t on the logs of those means.
 *  - pooled: neither: every repetition an independent value (ratio.ts), as before.
 *
 * Why a t interval on the per-round (or per-instance) log differences and not a block bootstrap:
 * the units are few (10 rounds, 3 instances) and a bootstrap of so few units has a handful of
 * distinct resamples and is known to be too narrow; the paired t is exact for log-normal noise,
 * deterministic (a report reads the same twice), and the log scale keeps the interval > 0. Pairing
 * on the log scale makes a multiplicative drift (the host x% slower for a while) cancel exactly.
 */
import { mean, variance } from './descriptive';
import { allPositive, logRatioInterval, logRatioStats, MIN_N_FOR_INTERVAL } from './logScale';
import { ratioInterval } from './ratio';
import { CONFIDENCE_LEVEL, tCritical } from './tdist';

/** One measured value with where it was taken (absent: the run did not record it). */
export interface Observation {
  value: number;
  round?: number;
  instance?: number;
}

export const COMPARISON_DESIGNS = ['paired-instances', 'paired-rounds', 'instances', 'pooled'];
export type ComparisonDesign = 'paired-instances' | 'paired-rounds' | 'instances' | 'pooled';

/** What a comparison's sample size counts, for "about N more … would settle it". */
export const DESIGN_UNIT: Record<ComparisonDesign, string> = {
  'paired-instances': 'instance',
  'paired-rounds': 'round',
  instances: 'instance',
  pooled: 'repetition',
};

/** The words the tables, show, compare, reports and CSV print beside a paired ratio. */
export const DESIGN_WORDS: Record<ComparisonDesign, string> = {
  'paired-instances': 'paired by round, between instances',
  'paired-rounds': 'paired by round',
  instances: 'between instances',
  pooled: 'unpaired',
};

export interface Comparison {
  design: ComparisonDesign;
  /** a / b: exp(mean log difference) for the paired and instance designs. */
  ratio: number;
  low: number | null;
  high: number | null;
  /** Units the interval rests on (instances, rounds, or the smaller side's repetitions). */
  units: number;
  /** Sample sd of the unit log differences (paired designs), for the settle estimate. */
  logSd: number | null;
}

/** The key pairing a value with the other side's: instance and round. */
function pairKey(o: Observation): string | null {
  return o.round === undefined ? null : `${o.instance ?? 1}#${o.round}`;
}

/** Log differences ln a − ln b of the rounds both sides measured, with their instance. */
export function roundPairs(
  a: readonly Observation[],
  b: readonly Observation[],
): { instance: number; round: number; logDiff: number }[] {
  const other = new Map<string, Observation>();
  for (const o of b) {
    const k = pairKey(o);
    if (k !== null && o.value > 0) other.set(k, o);
  }
  const out: { instance: number; round: number; logDiff: number }[] = [];
  for (const o of a) {
    const k = pairKey(o);
    const m = k === null ? undefined : other.get(k);
    if (!m || !(o.value > 0)) continue;
    out.push({
      instance: o.instance ?? 1,
      round: o.round as number,
      logDiff: Math.log(o.value) - Math.log(m.value),
    });
  }
  return out;
}

/** Student t interval of the mean of log differences, exponentiated; no interval below 3 units. */
function pairedInterval(design: ComparisonDesign, diffs: readonly number[]): Comparison {
  const n = diffs.length;
  const centre = mean(diffs);
  const sd = Math.sqrt(variance(diffs));
  const base = { design, ratio: Math.exp(centre), units: n, logSd: n >= 2 ? sd : null };
  if (n < MIN_N_FOR_INTERVAL) return { ...base, low: null, high: null };
  const h = sd === 0 ? 0 : (tCritical(n - 1, CONFIDENCE_LEVEL) * sd) / Math.sqrt(n);
  return { ...base, low: Math.exp(centre - h), high: Math.exp(centre + h) };
}

/** Geometric mean of each instance's values (instances in order). */
export function instanceMeans(values: readonly Observation[]): number[] {
  const groups = new Map<number, number[]>();
  for (const o of values) {
    const k = o.instance ?? 1;
    const g = groups.get(k) ?? [];
    g.push(Math.log(o.value));
    groups.set(k, g);
  }
  return [...groups.entries()].sort((x, y) => x[0] - y[0]).map(([, l]) => Math.exp(mean(l)));
}

function instanceCount(values: readonly Observation[]): number {
  return new Set(values.map((o) => o.instance ?? 1)).size;
}

/**
 * a against b in the design their observations allow (see the file comment). Null when a side
 * has no value; values ≤ 0 (no log) always take the pooled design.
 */
export function compareObservations(
  a: readonly Observation[],
  b: readonly Observation[],
): Comparison | null {
  if (a.length === 0 || b.length === 0) return null;
  const positive = allPositive(a.map((o) => o.value)) && allPositive(b.map((o) => o.value));
  if (positive) {
    const pairs = roundPairs(a, b);
    if (pairs.length >= 2) {
      const byInstance = new Map<number, number[]>();
      for (const p of pairs)
        byInstance.set(p.instance, [...(byInstance.get(p.instance) ?? []), p.logDiff]);
      if (byInstance.size >= 2)
        return pairedInterval(
          'paired-instances',
          [...byInstance.values()].map((d) => mean(d)),
        );
      return pairedInterval(
        'paired-rounds',
        pairs.map((p) => p.logDiff),
      );
    }
    if (instanceCount(a) >= 2 && instanceCount(b) >= 2) {
      const ma = instanceMeans(a);
      const mb = instanceMeans(b);
      const s = logRatioStats(ma, mb);
      const li = logRatioInterval(ma, mb);
      return {
        design: 'instances',
        ratio: s ? Math.exp(s.logRatio) : mean(ma) / mean(mb),
        low: li?.low ?? null,
        high: li?.high ?? null,
        units: Math.min(ma.length, mb.length),
        logSd: null,
      };
    }
  }
  const r = ratioInterval(
    a.map((o) => o.value),
    b.map((o) => o.value),
  );
  if (!r) return null;
  return {
    design: 'pooled',
    ratio: r.ratio,
    low: r.low,
    high: r.high,
    units: Math.min(a.length, b.length),
    logSd: null,
  };
}

/** Upper bound of unitsToSettle's answer. */
export const MAX_UNITS_ESTIMATE = 100_000;

/**
 * For a paired design: about how many more units (rounds or instances) would make the interval
 * settle the question (half-width below |d|, or |d| + half-width inside the noise margin), with
 * the observed sd and difference. Null when it cannot be estimated.
 */
export function unitsToSettle(c: Comparison, marginRatio: number): number | null {
  if (c.logSd === null || c.units < 2) return null;
  const d = Math.abs(Math.log(c.ratio));
  const target = Math.max(d, Math.log(marginRatio) - d);
  const ok = (n: number) =>
    c.logSd === 0 || (tCritical(n - 1) * (c.logSd as number)) / Math.sqrt(n) <= target;
  let n = Math.max(c.units + 1, MIN_N_FOR_INTERVAL);
  while (!ok(n)) {
    if (n >= MAX_UNITS_ESTIMATE) return MAX_UNITS_ESTIMATE;
    n = Math.min(n * 2, MAX_UNITS_ESTIMATE);
  }
  let lo = Math.max(c.units, MIN_N_FOR_INTERVAL - 1);
  while (n - lo > 1) {
    const mid = Math.floor((lo + n) / 2);
    if (ok(mid)) n = mid;
    else lo = mid;
  }
  return Math.max(1, n - c.units);
}
