/**
 * Runs one benchmark repetition with the runner's own guard on top of the
 * platform's timeout: a benchmark runner that does not return after its
 * timeout (or after a cancel) is abandoned with a clear reason.
 */
import type { ResolvedBenchmark } from '../../shared/config';
import type { BenchmarkRunner, RepetitionOutcome } from '../benchmarks/types';
import type { PlatformSession } from '../platforms/platform';
import { errorText } from '../../shared/result';

/** Extra time past the repetition timeout before the runner gives up on a benchmark runner itself. */
export const TIMEOUT_GRACE_MS = 10_000;
/** After cancel, how long a benchmark runner gets to return before the runner stops waiting for it. */
export const CANCEL_GRACE_MS = 5_000;

export interface GuardedRepetition {
  runner: BenchmarkRunner | undefined;
  session: PlatformSession;
  bench: ResolvedBenchmark;
  timeoutSeconds: number;
  /** The run's cancel signal. */
  runSignal: AbortSignal;
}

const failed = (error: string, durationMs = 0): RepetitionOutcome => ({
  metrics: {},
  exitCode: null,
  durationMs,
  error,
});

export async function runGuardedRepetition(g: GuardedRepetition): Promise<RepetitionOutcome> {
  const { runner, runSignal } = g;
  if (!runner) return failed(`no runner for ${g.bench.id}`);
  if (runSignal.aborted) return failed('cancelled');
  const timeoutMs = g.timeoutSeconds * 1000;
  const guard = new AbortController();
  const signal = AbortSignal.any([runSignal, guard.signal]);
  let timer: NodeJS.Timeout | undefined;
  let cancelTimer: NodeJS.Timeout | undefined;
  const onCancel = (): void => {
    cancelTimer = setTimeout(() => guard.abort(), CANCEL_GRACE_MS);
  };
  runSignal.addEventListener('abort', onCancel, { once: true });
  const guardExpired = new Promise<RepetitionOutcome>((resolveGuard) => {
    guard.signal.addEventListener('abort', () =>
      resolveGuard(failed('the benchmark did not stop when cancelled')),
    );
    timer = setTimeout(() => {
      resolveGuard(
        failed(`repetition did not finish within the ${g.timeoutSeconds} s timeout`, timeoutMs),
      );
      guard.abort(); // tells the benchmark runner to stop what it still has running
    }, timeoutMs + TIMEOUT_GRACE_MS);
  });
  try {
    return await Promise.race([
      runner.run(g.session, g.bench.params, { timeoutMs, signal }),
      guardExpired,
    ]);
  } catch (e) {
    return failed(`benchmark runner failed: ${errorText(e)}`);
  } finally {
    clearTimeout(timer);
    clearTimeout(cancelTimer);
    runSignal.removeEventListener('abort', onCancel);
  }
}
