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
}
