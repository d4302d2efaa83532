/**
 * The lasting state of one cell of the matrix (a benchmark on a target): the values measured
 * so far, the counts, the warmups done and the adaptive stop rule's last word. It outlives any
 * loop — a schedule may measure a cell's repetitions one at a time, between other cells'
 * (schedule.ts) — and says what the cell needs next: a warmup, a measured repetition, or nothing.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { AdaptiveRule, StopDecision } from '../../shared/stats/adaptive';
import { adaptiveRule } from './cells';
import type { PlannedCell } from './plan';

/** What a cell needs next. */
export type CellStep = 'warmup' | 'measure' | null;

export class CellState {
  /** Warmup repetitions run (discarded). */
  warmupsDone = 0;
  /** Values of the measured repetitions that succeeded, in order. */
  readonly values: number[] = [];
  /** Measured repetitions (failed ones included). */
  measured = 0;
  failed = 0;
  /** Summed duration of the measured repetitions (the adaptive rule's minSeconds). */
  elapsedSeconds = 0;
  /** Why the cell stops (adaptive: the rule's reason; fixed: the count). */
  stopReason: string;
  /** The adaptive rule said stop. */
  private stopped = false;
  /** A schedule asked for a repetition of it at least once. */
  started = false;
  /** Its record (cells.json) is written: nothing more happens to it. */
  ended = false;
  readonly warmups: number;
  readonly adaptive: boolean;
  readonly rule: AdaptiveRule;
  /** Measured repetitions at most. */
  readonly planned: number;
  /** Repetitions the cell had before this run added to it ("run N more"): numbering continues. */
  repBase = 0;
  /**
   * An interleaved schedule decides when this adaptive cell stops, for every cell of its
   * benchmark at once (stats/roundStop.ts, paired by round), instead of the cell's own interval.
   */
  pairedByRound = false;

  constructor(
    readonly cell: PlannedCell,
    config: ExperimentConfig,
  ) {
    const reps = config.repetitions;
    this.warmups = reps.warmup;
    this.adaptive = reps.adaptive.enabled;
    this.rule = adaptiveRule(config);
    this.planned = this.adaptive ? this.rule.maxRepetitions : reps.count;
    this.stopReason = this.adaptive ? '' : `fixed count of ${reps.count}`;
  }

  /** Repetitions a cell that could not run records as failed (the count it was promised). */
  get promised(): number {
    return this.adaptive ? this.rule.minRepetitions : this.planned;
  }

  /** The next repetition this cell needs, or null when it is done. */
  next(): CellStep {
    if (this.warmupsDone < this.warmups) return 'warmup';
    if (this.stopped || this.measured >= this.planned) return null;
    return 'measure';
  }

  /** A measured repetition ended: its value (null when it failed) and duration. */
  addMeasured(value: number | null, durationMs: number): void {
    this.measured++;
    this.elapsedSeconds += durationMs / 1000;
    if (value === null) this.failed++;
    else this.values.push(value);
  }

  /** The adaptive rule's decision after a measured repetition. */
  applyDecision(decision: StopDecision): void {
    this.stopReason = decision.reason;
    if (decision.stop) this.stopped = true;
    // Failed repetitions use up the cap too: say so rather than "2 of at least 3 done".
    else if (this.measured >= this.planned)
      this.stopReason = `cap of ${this.planned} repetitions reached (${this.stopReason})`;
  }

  /** The paired rule's word on the cell's benchmark (the schedule's, after a round). */
  applyRoundDecision(reason: string, stop: boolean): void {
    this.stopReason = reason;
    if (stop) this.stopped = true;
  }

  /** The stop reason recorded with an adaptive cell. */
  finalStopReason(): string {
    return this.stopReason === '' ? `cap of ${this.rule.maxRepetitions} reached` : this.stopReason;
  }
}
