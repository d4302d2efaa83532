/**
 * Finds out what a benchmark runner would ask of a session — which binary with
 * which flags, or which service — without running anything: the runner is
 * given a session that records the request and answers with a failure.
 * Platforms' describe() renders the review step's command lines from it.
 */
import type { ParamValues } from '../../shared/catalogue';
import type { ServiceSpec } from '../session/service';
import type { ExecRequest, PlatformSession } from '../session/types';
import type { BenchmarkRunner } from './types';

export type RecordedRequest =
  { kind: 'exec'; exec: ExecRequest } | { kind: 'service'; service: ServiceSpec };

export async function recordRequest(
  runner: BenchmarkRunner,
  params: ParamValues,
  diskTarget: string,
): Promise<RecordedRequest | null> {
  let recorded: RecordedRequest | null = null;
  const session: PlatformSession = {
    diskTarget,
    exec: (req) => {
      recorded ??= { kind: 'exec', exec: req };
      return Promise.resolve({
        exitCode: null,
        stdout: '',
        durationMs: 0,
        failure: { code: 'CANCELLED', message: 'recording only' },
      });
    },
    startService: (spec) => {
      recorded ??= { kind: 'service', service: spec };
      return Promise.reject(new Error('recording only'));
    },
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

/** The exec request only (binary benchmarks), or null. */
export async function recordExecRequest(
  runner: BenchmarkRunner,
  params: ParamValues,
  diskTarget: string,
): Promise<ExecRequest | null> {
  const r = await recordRequest(runner, params, diskTarget);
  return r?.kind === 'exec' ? r.exec : null;
}
