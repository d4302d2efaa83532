/**
 * How a cell ends: its record in cells.json, from its lasting state (cellState.ts). A cell
 * that never started ends with the reason its target gave (cancelled, failed to prepare,
 * died); one that started ends by its counts, with the repetitions its dead target still
 * owed recorded as failed samples.
 */
import type { CellRecord } from './cells';
import { failedSample } from './cells';
import type { CellState } from './cellState';
import type { Clock } from './clock';
import type { ActiveRun } from './activeRun';
import type { PlannedCell } from './plan';

const NOTHING = { measured: 0, failed: 0, warmup: 0 } as const;

/** Records a repetition that never ran (its target failed or died) as a failed sample. */
export function recordFailedRepetition(
  clock: Clock,
  run: ActiveRun,
  cell: PlannedCell,
  rep: number,
  reason: string,
): void {
  const startedAt = clock.now().toISOString();
  const { platform, target } = cell;
  run.record(
    failedSample(
      { runId: run.runId, platform, target, bench: cell.benchmark, rep, startedAt },
      reason,
      run.targetMeta(target),
    ),
  );
}

/** Every promised repetition of a cell that never ran fails with one reason (target failed/died). */
export function failCell(
  clock: Clock,
  run: ActiveRun,
  state: CellState,
  reason: string,
  cancelled: boolean,
): void {
  state.ended = true;
  if (cancelled) {
    run.endCell(state.cell, 'cancelled', { ...NOTHING }, reason);
    return;
  }
  const n = state.promised;
  for (let rep = 1; rep <= n; rep++)
    recordFailedRepetition(clock, run, state.cell, state.repBase + rep, reason);
  run.endCell(state.cell, 'failed', { measured: n, failed: n, warmup: 0 }, reason);
}

/** A cell that never started because the run was cancelled. */
export function cancelBeforeStart(run: ActiveRun, state: CellState): void {
  state.ended = true;
  run.endCell(state.cell, 'cancelled', { ...NOTHING }, 'cancelled before it started');
}

/** A target that failed to prepare ends its cells (skipped, failed or cancelled) with the reason. */
export function endUnprepared(
  clock: Clock,
  run: ActiveRun,
  cells: readonly CellState[],
  reason: string,
  outcome: 'skipped' | 'failed' | 'cancelled',
): void {
  for (const c of cells) {
    if (c.ended) continue;
    if (outcome === 'skipped') {
      c.ended = true;
      run.endCell(c.cell, 'skipped', { ...NOTHING }, reason);
    } else failCell(clock, run, c, reason, outcome === 'cancelled');
  }
}

/**
 * Ends a cell by its state: cancelled, failed by its target's death (the promised repetitions
 * it never got recorded as failed), or completed / partial / failed by its counts.
 */
export function settleCell(
  clock: Clock,
  run: ActiveRun,
  state: CellState,
  deadReason: string | null,
): void {
  if (state.ended) return;
  if (!state.started) {
    if (run.cancelled) cancelBeforeStart(run, state);
    else if (deadReason !== null) failCell(clock, run, state, deadReason, false);
    // A cell a schedule never asked for has nothing to say: it ends empty, as cancelled.
    else cancelBeforeStart(run, state);
    return;
  }
  state.ended = true;
  let status: CellRecord['status'];
  if (run.cancelled) status = 'cancelled';
  else if (deadReason !== null && state.measured < state.promised) {
    const missing = state.promised - state.measured;
    for (let i = 0; i < missing; i++)
      recordFailedRepetition(
        clock,
        run,
        state.cell,
        state.repBase + state.measured + i + 1,
        deadReason,
      );
    state.failed += missing;
    state.measured += missing;
    status = 'failed';
  } else
    status =
      state.failed === 0 ? 'completed' : state.failed === state.measured ? 'failed' : 'partial';
  run.endCell(
    state.cell,
    status,
    { measured: state.measured, failed: state.failed, warmup: state.warmups },
    deadReason ?? undefined,
    state.adaptive ? { rule: state.rule, stopReason: state.finalStopReason() } : undefined,
  );
}
