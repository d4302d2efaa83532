/**
 * Run against run: for every platform × benchmark both runs measured (main
 * metric), how the candidate run did relative to the baseline run: the
 * direction-aware speed ratio with its 95% CI (Fieller), Welch's p, and a
 * verdict. "Did switching qcow2 → raw, or cache=writeback → none, change
 * anything, or is it noise?" is the question this answers.
 */
import type { BenchmarkId, Direction } from '../catalogue';
import type { PlatformId } from '../platforms';
import { directedRatio } from './ratio';
import { finiteOrNull, type Summary } from './summary';
import { targetOf } from '../targets';
import { welchTest } from './welch';

/**
 * faster / slower: the CI of the speed ratio excludes 1; same: it includes 1 (any difference
 * is within the noise); unknown: a side has fewer than two successful repetitions.
 */
export type ComparisonVerdict = 'faster' | 'slower' | 'same' | 'unknown';

/** Words for each verdict, shared by the UI table and `benchvisor compare`. */
export const VERDICT_TEXT: Record<ComparisonVerdict, string> = {
  faster: 'better',
  slower: 'worse',
  same: 'same within noise',
  unknown: 'too few repetitions',
};

export interface RunComparisonRow {
  platform: PlatformId;
  /** The target both runs measured (the platform id when nothing varies). */
  target: string;
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: Direction;
  baselineN: number;
  candidateN: number;
  baselineMean: number | null;
  candidateMean: number | null;
  /** Candidate speed ÷ baseline speed, direction-aware: > 1 means the candidate did better. */
  relative: number | null;
  relativeLow: number | null;
  relativeHigh: number | null;
  /** Welch's two-sided p for "the means differ". */
  welchP: number | null;
  verdict: ComparisonVerdict;
}

/** Compares the candidate run's cells with the baseline run's, in the baseline's cell order. */
export function compareRuns(baseline: Summary, candidate: Summary): RunComparisonRow[] {
  const rows: RunComparisonRow[] = [];
  for (const base of baseline.cells) {
    if (!base.main) continue;
    // Target against the same target: qcow2 in one run against qcow2 in the other.
    const target = targetOf(base);
    const cand = candidate.cells.find(
      (c) => c.main && c.benchmark === base.benchmark && targetOf(c) === target,
    );
    if (!cand || cand.metric !== base.metric) continue;
    const dr = directedRatio(cand.values, base.values, base.direction);
    const welch = welchTest(cand.values, base.values);
    const low = finiteOrNull(dr?.relativeLow);
    const high = finiteOrNull(dr?.relativeHigh);
    let verdict: ComparisonVerdict = 'unknown';
    if (low !== null && high !== null && base.n >= 2 && cand.n >= 2) {
      verdict = low > 1 ? 'faster' : high < 1 ? 'slower' : 'same';
    }
    rows.push({
      platform: base.platform,
      target,
      benchmark: base.benchmark,
      metric: base.metric,
      unit: base.unit,
      direction: base.direction,
      baselineN: base.n,
      candidateN: cand.n,
      baselineMean: base.mean,
      candidateMean: cand.mean,
      relative: finiteOrNull(dr?.relative),
      relativeLow: low,
      relativeHigh: high,
      welchP: welch ? welch.p : null,
      verdict,
    });
  }
  return rows;
}
