/**
 * Preparing one target: its platform's prepare() with the experiment reduced to
 * that target's shape (shared/targets.ts targetConfig), so platforms stay unaware
 * of variants. What targets share is the platforms' business and is built once
 * (the guest kernel and initramfs come from the cache, the Docker image is reused
 * by its payload hash); what differs is made per target (the disk image in
 * `<run>/scratch/<target>/`, the container `<run>-<target>`). The wall time of
 * the preparation is measured here for every platform (`prepareMs` in each
 * sample's meta); the platform adds its own phases (disk creation, boot to ready,
 * container start) to its session's facts.
 */
import { AppFailure, errorText } from '../../shared/result';
import { targetConfig, type Target } from '../../shared/targets';
import type { Platform, PlatformSession } from '../platforms/platform';
import { targetScratchDir } from '../util/targetScratch';
import type { ActiveRun } from './activeRun';
import type { Clock } from './clock';

/** A target whose preparation ended its cells (skipped, failed or cancelled): nothing to measure. */
export type Prepared =
  | { session: PlatformSession; prepareMs: number }
  | { session: null; reason: string; outcome: 'skipped' | 'failed' | 'cancelled' };

/** How the run names a target in its log: the platform id, with the label when it varies. */
export function targetName(platform: Platform, target: Target): string {
  return target.id !== platform.id ? `${platform.id} (${target.label})` : platform.id;
}

/** A platform that refused to prepare because it cannot run here (AppFailure UNAVAILABLE). */
function isUnavailable(e: unknown): boolean {
  return e instanceof AppFailure && e.code === 'UNAVAILABLE';
}

/** Prepares one target; a failure is classified (never thrown) so the run goes on. */
export async function prepareTarget(
  run: ActiveRun,
  clock: Clock,
  platform: Platform,
  target: Target,
): Promise<Prepared> {
  const id = platform.id;
  const name = targetName(platform, target);
  run.log('info', `preparing ${name}`, id);
  const started = clock.monotonicMs();
  try {
    const session = await platform.prepare({
      runId: run.runId,
      target: target.id,
      config: targetConfig(run.config, target),
      runDir: run.dir,
      scratchDir: targetScratchDir(run.dir, target.id),
      console: { data: (chunk) => run.consoleData(target.id, chunk) },
      log: (level, message) => run.log(level, message, id),
      signal: run.abort.signal,
    });
    const prepareMs = Math.round(clock.monotonicMs() - started);
    run.log('info', `prepared ${name} in ${(prepareMs / 1000).toFixed(2)} s`, id);
    return { session, prepareMs };
  } catch (e) {
    if (!run.abort.signal.aborted && isUnavailable(e) && run.config.skipUnavailable) {
      // Found unavailable only when it tried (e.g. KVM that fails to start): skipped, as in the plan.
      const reason = `${id} is unavailable: ${errorText(e)}`;
      run.log('warn', `skipped ${id}: ${reason}`, id);
      return { session: null, reason, outcome: 'skipped' };
    }
    if (run.abort.signal.aborted) {
      run.log('warn', 'cancelled while preparing', id);
      return { session: null, reason: 'cancelled while preparing', outcome: 'cancelled' };
    }
    const reason = `${name} failed to prepare: ${errorText(e)}`;
    run.log('error', reason, id);
    return { session: null, reason, outcome: 'failed' };
  }
}
