/**
 * Run against run: for every platform × benchmark both runs measured (main
 * metric), how the candidate run did relative to the baseline run: the
 * direction-aware speed ratio with its 95% CI (log scale), Welch's p, and a
 * verdict (verdict.ts). "Did switching qcow2 → raw, or cache=writeback → none, change
 * anything, or is it noise?" is the question this answers.
 */
import type { BenchmarkId, Direction } from '../catalogue';
import type { PlatformId } from '../platforms';
import { directedRatio } from './ratio';
import { finiteOrNull } from './cellStatistics';
import type { Summary } from './summaryTypes';
import { targetOf } from '../targets';
import { verdictFor, type Verdict } from './verdict';
import { welchTest } from './welch';

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
  /** See verdict.ts: faster / slower / same / inconclusive / too-few. */
  verdict: Verdict;
  /** For inconclusive: about how many more repetitions per side would settle it. */
  moreRepetitions: number | null;
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
    const { verdict, moreRepetitions } = verdictFor(cand.values, base.values, base.direction);
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
      moreRepetitions,
    });
  }
  return rows;
}
