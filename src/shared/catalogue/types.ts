/** Shapes of the benchmark catalogue: metadata the UI, the runner and reports share. */
import type { Capability } from '../platforms';

export const BENCHMARK_IDS = [
  'linpack',
  'memsweep',
  'diskwrite',
  'forksum',
  'syscall',
  'nginx',
] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export const PROFILE_IDS = ['quick', 'standard'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export type Direction = 'higher' | 'lower';

export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /** Which way is better. */
  direction: Direction;
}

export interface ParamDef {
  key: string;
  label: string;
  unit?: string;
  /** Integer parameters are validated as integers. */
  integer: boolean;
  min: number;
  max: number;
  help: string;
  /** Binary benchmarks: the command line flag that carries this parameter (argv order = param order). */
  flag?: string;
  /**
   * An on/off choice (min 0, max 1): the flag is passed alone when the value is 1 and left out
   * when it is 0 or absent (a switch such as diskwrite's --no-fill). The wizard shows a checkbox.
   */
  switch?: true;
}

export type ParamValues = Record<string, number>;

export interface BenchmarkDef {
  id: BenchmarkId;
  title: string;
  /** One line for the UI: what it measures and how. */
  explanation: string;
  params: ParamDef[];
  profiles: Record<ProfileId, ParamValues>;
  metrics: MetricDef[];
  /** Key of the metric plotted and compared by default. */
  mainMetric: string;
  requires: Capability[];
  /** The parameter giving the MiB this benchmark writes to the benchmark disk (disk fit). */
  diskSpaceParam?: string;
  /** Whether the work runs inside the platform as a binary (false: host-driven, like nginx). */
  binary: boolean;
  /** Binary benchmarks: how scripts/build-bench.sh builds resources/bench/<id>.c (extra linker libraries). */
  build?: { libs: readonly string[] };
  /** Binary benchmarks: the flag that receives the platform's disk target (a file or block device). */
  diskTargetFlag?: string;
  /** What dominates its cost (findings and the wizard read these, never a list of ids). */
  traits: BenchmarkTraits;
  /** Rough seconds per repetition natively, per profile (the review step's estimate). */
  nativeSeconds: Record<ProfileId, number>;
}

export interface BenchmarkTraits {
  /** User-space CPU work: virtualization should cost little (TCG excepted). */
  cpuBound: boolean;
  /** Its timed part is mostly kernel work (system calls, page faults, process creation). */
  kernelBound: boolean;
  /** A device dominates (disk, network), not the CPU. */
  deviceBound: boolean;
  /** Processes hand work to each other (the CPU count changes the cost). */
  parallel: boolean;
  /** Needs a service (a server program) started inside the platform and driven by the host. */
  needsService: boolean;
}
