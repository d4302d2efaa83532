/**
 * The runner's side of "run N more repetitions" (runExtension.ts plans it): what the reopened
 * run knows of its past before its first new repetition, the numbers its cells continue from,
 * and what experiment.json keeps of the extension when it ends.
 */
import type { RunStatus } from '../../shared/run';
import type { ActiveRun } from './activeRun';
import type { TargetWork } from './liveTarget';
import { cellKey, type RunExtension } from './runExtension';
import type { ExtensionRecord } from '../store/runFiles';

/** When each extended run's extension began (its record's startedAt). */
const began = new WeakMap<ActiveRun, string>();

/** The reopened run carries the old samples and cells; the log says what is added. */
export function beginExtension(run: ActiveRun, ext: RunExtension, now: Date): void {
  run.previous = ext.previous;
  began.set(run, now.toISOString());
  run.log(
    'info',
    `adding ${ext.repetitions} more repetition${ext.repetitions === 1 ? '' : 's'} per cell to run ${ext.runId} (${ext.previous.samples.length} recorded so far)`,
  );
}

/** Every cell's repetitions are numbered on from the run's last one. */
export function continueNumbering(work: readonly TargetWork[], ext: RunExtension): void {
  for (const w of work)
    for (const c of w.cells)
      c.repBase = ext.start.reps.get(cellKey(c.cell.target, c.cell.benchmark.id)) ?? 0;
}

/** experiment.json's list of extensions with this one added. */
export function endExtension(
  run: ActiveRun,
  end: { finishedAt: string; measured: number; failed: number; status: RunStatus },
): { extensions: ExtensionRecord[] } {
  const record: ExtensionRecord = {
    startedAt: began.get(run) ?? end.finishedAt,
    finishedAt: end.finishedAt,
    repetitions: run.config.repetitions.count,
    measured: end.measured,
    failed: end.failed,
    status: end.status === 'completed' || end.status === 'cancelled' ? end.status : 'failed',
  };
  return { extensions: [...(run.writer.experiment.extensions ?? []), record] };
}

/** A refusal of the plan (a target unavailable now), said as the extension's. */
export function extensionRefused(runId: string, reason: string): string {
  return `no repetitions were added to run ${runId}: ${reason}`;
}
