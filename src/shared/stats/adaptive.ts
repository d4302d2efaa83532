/**
 * Adaptive repetition rule (the runner calls decideStop after every measured
 * repetition of a cell).
 *
 * The rule, in this order:
 *  1. at maxRepetitions values: stop ("cap reached") — the cap always wins;
 *  2. below minRepetitions values: continue;
 *  3. before minSeconds of measured time: continue;
 *  4. when the 95% CI half-width ÷ |mean| × 100 ≤ targetCiPercent: stop;
 *  5. otherwise continue.
 */
import { confidenceInterval } from './descriptive';

export interface AdaptiveRule {
  minRepetitions: number;
  maxRepetitions: number;
  targetCiPercent: number;
  minSeconds: number;
}

export interface StopDecision {
  stop: boolean;
  /** Human reason, recorded with the cell ("CI ±3.1% ≤ 5% after 6 reps", "cap of 20 reached"). */
  reason: string;
  /** CI half-width in % of the mean at this point (null when fewer than two values). */
  ciPercent: number | null;
}

/**
 * Decides whether a cell has enough repetitions.
 * @param values measured values so far (successful repetitions only)
 * @param elapsedSeconds measured time spent on this cell so far
 */
export function decideStop(
  values: readonly number[],
  elapsedSeconds: number,
  rule: AdaptiveRule,
): StopDecision {
  const n = values.length;
  const ci = confidenceInterval(values);
  const ciPercent = ci ? ci.halfWidthPercent : null;
  const ciText = ciPercent === null ? 'CI not yet defined' : `CI ±${fmtPercent(ciPercent)}`;
  const target = `${fmtNumber(rule.targetCiPercent)}%`;

  if (n >= rule.maxRepetitions) {
    const reached = ciPercent !== null && ciPercent <= rule.targetCiPercent;
    return {
      stop: true,
      reason: `cap of ${rule.maxRepetitions} repetitions reached (${ciText} ${reached ? '≤' : '>'} ${target})`,
      ciPercent,
    };
  }
  if (n < rule.minRepetitions) {
    return {
      stop: false,
      reason: `${n} of at least ${rule.minRepetitions} repetitions done`,
      ciPercent,
    };
  }
  if (elapsedSeconds < rule.minSeconds) {
    return {
      stop: false,
      reason: `${fmtNumber(elapsedSeconds)} s of at least ${fmtNumber(rule.minSeconds)} s measured`,
      ciPercent,
    };
  }
  if (ciPercent !== null && ciPercent <= rule.targetCiPercent) {
    return { stop: true, reason: `${ciText} ≤ ${target} after ${n} repetitions`, ciPercent };
  }
  return { stop: false, reason: `${ciText} > ${target} after ${n} repetitions`, ciPercent };
}

function fmtPercent(p: number): string {
  return Number.isFinite(p) ? `${p.toFixed(1)}%` : '∞%';
}

function fmtNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
