/**
 * The steps a design schedule takes with its live targets (designSchedules.ts): open and pause,
 * resume, warm up, close. Pausing and resuming never fail a run: a target that cannot be paused
 * stays running, and one that failed to resume shows it in its next repetition. After a cancel
 * nothing is paused any more (a kill on its way would wait on a frozen target for good).
 */
import type { CellState } from './cellState';
import type { LiveTarget, TargetWork } from './liveTarget';
import type { ScheduleOps } from './schedule';

/** How long an optional session step took (ms), null when the session has none. */
async function timed(step: (() => Promise<void>) | undefined): Promise<number | null> {
  if (!step) return null;
  const started = performance.now();
  await step();
  return performance.now() - started;
}

/** The live target with extra facts for the samples of the next step. */
export function withMeta(live: LiveTarget, extra: Record<string, unknown>): LiveTarget {
  return { ...live, meta: { ...live.meta, ...extra } };
}

/** Disposes an instance without ending its cells (the next instance carries them on). */
export function closeInstance(ops: ScheduleOps, live: LiveTarget, w: TargetWork): Promise<void> {
  return ops.close(live, { ...w, cells: [] });
}

/** Ends every cell of the work: the run's last instance closes with them. */
export async function closeAll(
  ops: ScheduleOps,
  open: readonly { live: LiveTarget; work: TargetWork }[],
  last: boolean,
): Promise<void> {
  for (const o of open)
    await (last ? ops.close(o.live, o.work) : closeInstance(ops, o.live, o.work));
}

/** A target open in an interleaved instance. */
export interface Open {
  live: LiveTarget;
  work: TargetWork;
  /** ms of the pause that ended this target's last repetition. */
  lastPauseMs: number | null;
}

/** Opens every target (those that fail end their cells), each paused once it is up. */
export async function openAll(work: readonly TargetWork[], ops: ScheduleOps): Promise<Open[]> {
  const open: Open[] = [];
  for (const w of work) {
    if (ops.cancelled()) break;
    if (w.cells.every((c) => c.ended)) continue;
    const live = await ops.open(w);
    if (live === null) continue;
    open.push({ live, work: w, lastPauseMs: await pauseQuietly(live, ops) });
  }
  return open;
}

/** Pauses a target that has a pause; a failure to pause leaves it running (never fails the run). */
export async function pauseQuietly(
  live: LiveTarget,
  ops: Pick<ScheduleOps, 'cancelled'>,
): Promise<number | null> {
  // After a cancel a target is only closed, never paused: the kill of its repetition may still be
  // on its way, and a frozen container would hold that kill (and the daemon with it) for good.
  if (live.dead() || ops.cancelled()) return null;
  try {
    return await timed(live.session.pause?.bind(live.session));
  } catch {
    return null;
  }
}

/** Resumes a paused target; a failure shows in the repetition that follows (its exec fails). */
export async function resumeQuietly(live: LiveTarget): Promise<number | null> {
  try {
    return await timed(live.session.resume?.bind(live.session));
  } catch {
    return null;
  }
}

/** Every target's warmups of one benchmark, before its first round. */
export async function warmups(
  open: readonly Open[],
  cellOf: (o: Open) => CellState | undefined,
  ops: ScheduleOps,
): Promise<void> {
  for (const o of open) {
    const cell = cellOf(o);
    if (!cell || cell.next() !== 'warmup' || o.live.dead()) continue;
    await resumeQuietly(o.live);
    while (cell.next() === 'warmup' && !ops.cancelled()) if (!(await ops.step(o.live, cell))) break;
    o.lastPauseMs = await pauseQuietly(o.live, ops);
  }
}
