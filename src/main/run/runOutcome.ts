/**
 * How a run ends: its status and one line (a new run, or "run N more" of a finished one, whose
 * earlier failures or cancellation still stand), and the closing writes that a full disk must
 * not turn into a crash.
 */
import { errorText } from '../../shared/result';
import type { RunStatus } from '../../shared/run';
import { isDiskFull } from '../store/diskFull';
import type { ActiveRun } from './activeRun';

/** How a run ended, in its status and one line. */
export function runOutcome(
  run: ActiveRun,
  measured: number,
  failed: number,
): { status: RunStatus; message: string } {
  const more = run.previous ? ' more' : '';
  if (run.stopReason !== null) return { status: 'failed', message: run.stopReason };
  if (run.abort.signal.aborted)
    return {
      status: 'cancelled',
      message: `cancelled after ${measured}${more} repetitions (samples kept)`,
    };
  if (failed > 0)
    return {
      status: 'failed',
      message: `${failed} of ${measured}${more} repetitions failed (samples kept)`,
    };
  const message = `${measured}${more} repetitions completed`;
  const before = run.previous?.status ?? 'completed';
  if (run.previous === null) return { status: 'completed', message };
  const all = ` (${run.allSamples().length} in all)`;
  // The run's earlier failures or cancellation still stand: its status says the worse.
  if (before !== 'completed')
    return { status: before, message: `${message}${all}; the run was ${before} before` };
  return { status: 'completed', message: `${message}${all}` };
}

/** A write at the end of a run: a full disk is logged (the run stops anyway), anything else throws. */
export function closingWrite(run: ActiveRun, write: () => void): void {
  try {
    write();
  } catch (e) {
    if (!isDiskFull(e)) throw e;
    run.log('error', errorText(e));
  }
}
