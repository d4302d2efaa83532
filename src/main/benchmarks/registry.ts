/** All benchmark runners, keyed by benchmark id (built by the composition root). */
import type { BenchmarkId } from '../../shared/catalogue';
import { ProcessTracker } from '../process/tracker';
import type { ServiceHandle, ServiceSpec } from '../session/service';
import { defaultAppPaths, type AppPaths } from '../util/appPaths';
import { createBinaryRunners } from './binary';
import { createHttpLoad, loadClientPath } from './nginx/httpLoad';
import { LoadCeiling } from './nginx/loadCeiling';
import { NginxBenchmarkRunner, type HttpLoadFn } from './nginx/nginx';
import { nginxService } from './nginx/nginxService';
import { createServerCpuSampler } from './nginx/serverCpu';
import type { BenchmarkRunner } from './types';
import type { ProcReader } from '../host/procReader';

export interface BenchmarkRunnerDeps {
  /** Where the benchmark binaries are (the nginx load client is built beside them). */
  paths?: Pick<AppPaths, 'benchBinDir'>;
  /** Tracks the load client while it runs. */
  tracker?: ProcessTracker;
  /** Replaces the nginx benchmark's load generator (tests). */
  httpLoad?: HttpLoadFn;
  /** Environment (PATH) host programs are found in. */
  env?: NodeJS.ProcessEnv;
  /**
   * Starts a service on this host (the native platform's way): given, the nginx benchmark
   * measures its client's ceiling against the host's nginx in every run (meta.loadCeiling).
   */
  startHostService?: (spec: ServiceSpec, signal?: AbortSignal) => Promise<ServiceHandle>;
  /** The /proc reader the nginx benchmark's server-side CPU is read through (the host probe's). */
  proc?: ProcReader;
}

export function createBenchmarkRunners(
  deps: BenchmarkRunnerDeps = {},
): Record<BenchmarkId, BenchmarkRunner> {
  const tracker = deps.tracker ?? new ProcessTracker();
  const benchBinDir = deps.paths?.benchBinDir ?? defaultAppPaths(deps.env).benchBinDir;
  const clientPath = loadClientPath(benchBinDir);
  const httpLoad = deps.httpLoad ?? createHttpLoad({ clientPath, tracker });
  const serverCpu = createServerCpuSampler(deps.proc ? { proc: deps.proc } : {});
  const ceiling = deps.startHostService
    ? new LoadCeiling({
        startHostService: deps.startHostService,
        service: (fileSize) => nginxService(fileSize, deps.env),
        httpLoad,
        serverCpu,
      })
    : undefined;
  return {
    ...createBinaryRunners(),
    nginx: new NginxBenchmarkRunner({
      httpLoad,
      ...(deps.httpLoad === undefined ? { clientPath } : {}),
      ...(ceiling ? { ceiling } : {}),
      serverCpu,
      ...(deps.env ? { env: deps.env } : {}),
    }),
  };
}
