/**
 * The order of repetitions. A schedule decides which target is open when and which cell's
 * repetition comes next; everything else — preparing and disposing a target, measuring once,
 * ending a cell — is the runner's, offered as ScheduleOps. The runner hands a schedule every
 * target's work (targets in run order, each with its cells' lasting state) and awaits it.
 *
 * The runner takes its order from the config (designSchedules.ts: interleaved rounds, the
 * default — every target opened first, one repetition per target per round in a random order —
 * or sequential, each with its instances). `sequentialSchedule` below is the plain order: one
 * target after another, each cell's repetitions in a row (tests pass it, or any other
 * `Schedule`); the ops allow several targets open at once.
 */
import type { CellState } from './cellState';
import type { LiveTarget, TargetWork } from './liveTarget';

export interface ScheduleOps {
  /** The run was cancelled: open nothing more (close what is open). */
  cancelled(): boolean;
  /** Prepares a target; null when it could not be (its cells are already ended with the reason). */
  open(work: TargetWork): Promise<LiveTarget | null>;
  /**
   * One repetition of a cell on its open target (its warmups first). False when the cell had
   * nothing left to do, was cancelled or its target died: the cell is then ended.
   */
  step(live: LiveTarget, cell: CellState): Promise<boolean>;
  /** Ends the target's cells that are not ended yet and disposes it. Call once per opened target. */
  close(live: LiveTarget, work: TargetWork): Promise<void>;
  /** Ends the cells of a target that will never be opened (the run was cancelled). */
  skip(work: TargetWork): void;
}

export interface Schedule {
  /** How the order is called (for the log and for the choice between orders). */
  readonly name: string;
  run(work: readonly TargetWork[], ops: ScheduleOps): Promise<void>;
}

/** One target after another; each cell's warmups and repetitions in a row. */
export const sequentialSchedule: Schedule = {
  name: 'sequential',
  async run(work, ops) {
    for (const w of work) {
      if (ops.cancelled()) {
        ops.skip(w);
        continue;
      }
      const live = await ops.open(w);
      if (live === null) continue;
      try {
        for (const cell of w.cells) while (await ops.step(live, cell));
      } finally {
        await ops.close(live, w);
      }
    }
  },
};
