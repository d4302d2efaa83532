/** All benchmark runners, keyed by benchmark id (built by the composition root). */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ProcessTracker } from '../process/tracker';
import type { AppPaths } from '../util/appPaths';
import { createBinaryRunners } from './binary';
import { NginxBenchmarkRunner, type HttpLoadFn } from './nginx/nginx';
import type { BenchmarkRunner } from './types';

export interface BenchmarkRunnerDeps {
  /** Accepted for symmetry with other services; the runners need no paths (platforms locate binaries). */
  paths?: AppPaths;
  /** Accepted for symmetry; runners start nothing themselves (sessions and the load worker do). */
  tracker?: ProcessTracker;
  /** Replaces the nginx benchmark's load generator (tests). */
  httpLoad?: HttpLoadFn;
  /** Environment (PATH) host programs are found in. */
  env?: NodeJS.ProcessEnv;
}

export function createBenchmarkRunners(
  deps: BenchmarkRunnerDeps = {},
): Record<BenchmarkId, BenchmarkRunner> {
  return {
    ...createBinaryRunners(),
    nginx: new NginxBenchmarkRunner({ httpLoad: deps.httpLoad, env: deps.env }),
  };
}
