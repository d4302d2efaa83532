/**
 * Finds out which binary and flags a benchmark runner would use, without
 * running anything: the runner is given a session that records the exec
 * request and answers with a failure. Used for the review step's command lines.
 */
import type { ParamValues } from '../../shared/catalogue';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { ExecRequest, PlatformSession } from '../platforms/platform';

export async function recordExecRequest(
  runner: BenchmarkRunner,
  params: ParamValues,
  diskTarget: string,
): Promise<ExecRequest | null> {
  let recorded: ExecRequest | null = null;
  const session: PlatformSession = {
    diskTarget,
    exec: (req) => {
      recorded ??= req;
      return Promise.resolve({
        exitCode: null,
        stdout: '',
        durationMs: 0,
        failure: { code: 'CANCELLED', message: 'recording only' },
      });
    },
    startNginx: () => Promise.reject(new Error('recording only')),
    write: () => false,
    meta: () => Promise.resolve({}),
    dispose: () => Promise.resolve(),
  };
  const controller = new AbortController();
  try {
    await runner.run(session, params, { timeoutMs: 1, signal: controller.signal });
  } catch {
    /* the recorded request is all we need */
  }
  return recorded;
}
