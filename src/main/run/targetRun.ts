/**
 * Opening and closing one target of the run. openTarget prepares it
 * (targetPreparation.ts), registers its live session (console input) and reads its facts;
 * a target that failed to prepare ends its cells with the reason and opens nothing.
 * closeTarget ends the cells the schedule left (cancelled, or failed when the guest died)
 * and disposes the session whatever happened. Between the two, a schedule (schedule.ts)
 * measures its cells' repetitions in the order it chooses; several targets may be open at once.
 */
import type { ActiveRun } from './activeRun';
import { endUnprepared, settleCell } from './cellEnd';
import type { CellDeps } from './measureOnce';
import type { LiveTarget, TargetWork } from './liveTarget';
import { errorText } from '../../shared/result';
import { prepareTarget, targetName } from './targetPreparation';
import { watchSession } from './watchSession';

/** Prepares a target; null when it could not be (its cells are then ended with the reason). */
export async function openTarget(
  deps: CellDeps,
  run: ActiveRun,
  work: TargetWork,
): Promise<LiveTarget | null> {
  const { platform, target } = work;
  const name = targetName(platform, target);
  run.setTargetState(target.id, 'booting');
  const prepared = await prepareTarget(run, deps.clock, platform, target);
  if (prepared.session === null) {
    run.setTargetState(target.id, 'closed');
    endUnprepared(deps.clock, run, work.cells, prepared.reason, prepared.outcome);
    return null;
  }
  const { session, prepareMs } = prepared;
  let deadReason: string | null = null;
  const watched = watchSession(
    session,
    (f) => {
      if (f.code === 'GUEST_FAILED') deadReason = `${name} died: ${f.message}`;
    },
    (paused) => run.setTargetState(target.id, paused ? 'paused' : 'live'),
  );
  run.setTargetState(target.id, 'live');
  run.sessions.set(target.id, session);
  // The target's resolved shape, then the session's facts (truth over intention).
  let meta: Record<string, unknown> = { ...run.targetMeta(target.id), prepareMs };
  try {
    meta = { ...meta, ...(await session.meta()), target: target.id, targetLabel: target.label };
  } catch (e) {
    run.log('warn', `could not read ${name} facts: ${errorText(e)}`, platform.id);
  }
  return { platform, target, session: watched, meta, name, dead: () => deadReason };
}

/** Ends the target's unfinished cells, then disposes its session (whatever happened). */
export async function closeTarget(
  deps: CellDeps,
  run: ActiveRun,
  live: LiveTarget,
  cells: TargetWork['cells'],
): Promise<void> {
  try {
    for (const c of cells) settleCell(deps.clock, run, c, live.dead());
  } finally {
    run.sessions.delete(live.target.id);
    run.setTargetState(live.target.id, 'closed');
    try {
      await live.session.dispose();
    } catch (e) {
      run.log('warn', `cleaning up ${live.name} failed: ${errorText(e)}`, live.platform.id);
    }
  }
}
