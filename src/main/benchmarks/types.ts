/** How one benchmark repetition is carried out on a platform session. */
import type { BenchmarkId, ParamValues } from '../../shared/catalogue';
import type { Availability } from '../../shared/platforms';
import type { SampleMetaFields } from '../../shared/sampleMeta/registry';
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
  /**
   * Facts of this one run (the platform's ExecResult.meta, the runner's own such as the load
   * client's ceiling), added to the sample's meta: registered keys only (shared/sampleMeta).
   */
  meta?: SampleMetaFields;
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
