/**
 * Adaptive repetition rule (owned by the results work; the runner calls it
 * after every measured repetition of a cell).
 */
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
}
