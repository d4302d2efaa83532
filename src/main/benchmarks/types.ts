/** How one benchmark repetition is carried out on a platform session. */
import type { BenchmarkId, ParamValues } from '../../shared/catalogue';
import type { PlatformSession } from '../platforms/platform';

export interface RepetitionOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

export interface RepetitionOutcome {
  /** Metrics reported by the benchmark (empty when it failed). */
  metrics: Record<string, number>;
  exitCode: number | null;
  durationMs: number;
  /** Why it failed; absent on success. */
  error?: string;
}

export interface BenchmarkRunner {
  id: BenchmarkId;
  run(
    session: PlatformSession,
    params: ParamValues,
    opts: RepetitionOptions,
  ): Promise<RepetitionOutcome>;
}
