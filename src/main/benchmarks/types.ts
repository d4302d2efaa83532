/** How one benchmark repetition is carried out on a platform session. */
import type { BenchmarkId, ParamValues } from '../../shared/catalogue';
import type { Availability } from '../../shared/platforms';
import type { PlatformSession, ToolVersionCommand } from '../session/types';

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
  /** Facts the platform reported for this one run (ExecResult.meta), added to the sample's meta. */
  meta?: Record<string, unknown>;
}

export interface BenchmarkRunner {
  id: BenchmarkId;
  /**
   * What the host must have beyond a built binary (a service program such as
   * nginx). Platforms ask it through the one shared check (platforms/support.ts).
   */
  check?(): Promise<Availability>;
  /** Host programs it needs (nginx), for the versions in environment.json. */
  readonly tools?: readonly ToolVersionCommand[];
  /** A new run starts: forget what was measured for the previous one (nginx's client ceiling). */
  beginRun?(): void;
  run(
    session: PlatformSession,
    params: ParamValues,
    opts: RepetitionOptions,
  ): Promise<RepetitionOutcome>;
}
