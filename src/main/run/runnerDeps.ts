/** What the experiment runner (runner.ts) is given: its collaborators, passed in. */
import type { BenchmarkId } from '../../shared/catalogue';
import type { LogEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { HostCapacity } from '../host/hostCapacity';
import type { HostCpuSampler } from '../host/hostCpuSampler';
import type { Platform } from '../platforms/platform';
import type { ProcessTracker } from '../process/tracker';
import type { RunStore } from '../store/runStore';
import type { Clock } from './clock';
import type { DecideStop } from './measureOnce';
import type { Schedule } from './schedule';

/** A line for the run's log from before it started (the orphan sweep's). */
export interface RunNote {
  level: LogEvent['level'];
  message: string;
}

export interface ExperimentRunnerDeps {
  platforms: readonly Platform[];
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  store: RunStore;
  tracker: ProcessTracker;
  clock?: Clock;
  /** Host facts for environment.json. */
  collectEnvironment?: () => Promise<unknown>;
  /** Adaptive stop rule; required for configs with repetitions.adaptive.enabled. */
  decideStop?: DecideStop;
  /** Measures the host's CPU split during each repetition (sample meta.hostCpu). */
  hostCpu?: HostCpuSampler;
  /**
   * Called before each run is planned (the engine sweeps orphans of crashed runs here, once);
   * what it returns goes into the run's log.
   */
  beforeRun?: () => Promise<RunNote[] | void>;
  /**
   * Called once a run has logged what beforeRun returned. A run refused before its folder
   * exists logs nothing, so what was to be said once waits for the next run.
   */
  notesLogged?: () => void;
  /** Builds summary.json from the samples (src/shared/stats). */
  summarize?: (samples: Sample[]) => unknown;
  /** This host's CPUs, memory and free space for the host preflight (HostProbe.capacity()); none: no preflight. */
  hostCapacity?: () => HostCapacity;
  /** A fixed order of repetitions for every run (tests); default: the config's (designSchedules.ts). */
  schedule?: Schedule;
}
