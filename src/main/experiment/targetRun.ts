/**
 * One target of the run, start to end: prepared (targetPreparation.ts), its
 * cells measured one after another (cellMeasurement.ts), disposed whatever happened.
 * A target that failed to prepare or whose guest died fails its remaining cells
 * with the reason; the run goes on with the next target.
 */
import type { Target } from '../../shared/targets';
import type { Platform } from '../platforms/platform';
import type { ActiveRun } from './activeRun';
import { recordFailedRepetition, runCell, type CellDeps } from './cellMeasurement';
import type { PlannedCell } from './plan';
import { errorText, prepareTarget, targetName } from './targetPreparation';
import { watchSession } from './watchSession';

const NOTHING = { measured: 0, failed: 0, warmup: 0 } as const;

/** Every planned repetition of the cell fails with the same reason (platform failed/died). */
export function failCell(
  deps: CellDeps,
  run: ActiveRun,
  cell: PlannedCell,
  reason: string,
  cancelled: boolean,
): void {
  if (cancelled) {
    run.endCell(cell, 'cancelled', { ...NOTHING }, reason);
    return;
  }
  const reps = run.config.repetitions;
  const n = reps.adaptive.enabled ? reps.adaptive.minRepetitions : reps.count;
  for (let rep = 1; rep <= n; rep++) recordFailedRepetition(deps.clock, run, cell, rep, reason);
  run.endCell(cell, 'failed', { measured: n, failed: n, warmup: 0 }, reason);
}

/** A cell that never started because the run was cancelled. */
export function cancelBeforeStart(run: ActiveRun, cell: PlannedCell): void {
  run.endCell(cell, 'cancelled', { ...NOTHING }, 'cancelled before it started');
}

/** Prepares one target, runs its cells, disposes it (whatever happened). */
export async function runTarget(
  deps: CellDeps,
  run: ActiveRun,
  platform: Platform,
  target: Target,
  cells: PlannedCell[],
): Promise<void> {
  const id = platform.id;
  const name = targetName(platform, target);
  const prepared = await prepareTarget(run, deps.clock, platform, target);
  if (prepared.session === null) {
    for (const c of cells) {
      if (prepared.outcome === 'skipped')
        run.endCell(c, 'skipped', { ...NOTHING }, prepared.reason);
      else failCell(deps, run, c, prepared.reason, prepared.outcome === 'cancelled');
    }
    return;
  }
  const { session, prepareMs } = prepared;
  let deadReason: string | null = null;
  const watched = watchSession(session, (f) => {
    if (f.code === 'GUEST_FAILED') deadReason = `${name} died: ${f.message}`;
  });
  run.sessions.set(target.id, session);
  try {
    // The target's resolved shape, then the session's facts (truth over intention).
    let meta: Record<string, unknown> = { ...run.targetMeta(target.id), prepareMs };
    try {
      meta = { ...meta, ...(await session.meta()), target: target.id, targetLabel: target.label };
    } catch (e) {
      run.log('warn', `could not read ${name} facts: ${errorText(e)}`, id);
    }
    for (const cell of cells) {
      if (run.abort.signal.aborted) {
        cancelBeforeStart(run, cell);
        continue;
      }
      if (deadReason !== null) {
        failCell(deps, run, cell, deadReason, false);
        continue;
      }
      await runCell(deps, run, watched, cell, meta, () => deadReason);
    }
  } finally {
    run.sessions.delete(target.id);
    try {
      await session.dispose();
    } catch (e) {
      run.log('warn', `cleaning up ${name} failed: ${errorText(e)}`, id);
    }
  }
}
