/**
 * Builds the API service over the real engine: shared by the Electron shell and web mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../composition';
import type { Engine, EngineOptions } from '../composition';
import type { ExperimentRunner } from '../run/runner';
import { localEngine, type RunnerPort } from '../engine/localEngine';
import { historyCalibration } from '../engine/historyCalibration';
import { runLibrary, type RunFolders, type RunLibrary } from '../engine/runLibrary';
import { HostStore } from '../hosts/hostStore';
import { hostsService } from '../hosts/hostsService';
import { RunListCache } from './runListCache';
import { ApiService } from './service';
import type { ServiceOptions } from './service';

export interface AppService {
  service: ApiService;
  engine: Engine;
  /**
   * Cancels the active run and waits until it has ended (marked cancelled in its folder),
   * then kills everything the engine still tracks. The shells bound it (process/shutdown.ts).
   */
  dispose(): Promise<void>;
}

/** Resolves when the runner's run in progress (if any) has finished; call before cancelling. */
function runEnded(runner: ExperimentRunner): Promise<void> {
  if (!runner.current) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const off = runner.on('run:finished', () => {
      off();
      resolve();
    });
  });
}

/**
 * The finished runs, listed through a cache (runListCache.ts) that this process's run events
 * and deletions invalidate.
 */
export function cachedRunLibrary(
  store: RunFolders,
  runsDir: string,
  runner: Pick<RunnerPort, 'on'>,
): RunLibrary {
  const library = runLibrary(store);
  const runList = new RunListCache(runsDir, () => store.list());
  // A run began, measured a sample or ended: its line in the list changed.
  for (const event of ['run:progress', 'run:sample', 'run:finished'] as const)
    runner.on(event, () => runList.invalidate());
  return {
    ...library,
    listRuns: async () => runList.get(),
    deleteRun: async (runId) => {
      const deleted = await library.deleteRun(runId);
      if (deleted) runList.invalidate();
      return deleted;
    },
  };
}

/** The version in package.json at `root` ("0.0.0" when unreadable). */
export function packageVersion(root: string): string {
  try {
    return (
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string })
        .version ?? '0.0.0'
    );
  } catch {
    return '0.0.0';
  }
}

/** The service over a new engine (Electron shell). */
export async function createAppService(
  opts: EngineOptions & { service?: ServiceOptions } = {},
): Promise<AppService> {
  return serviceForEngine(createEngine(opts), opts.service);
}

/** What the service offers besides the engine. */
export interface ServiceExtras {
  /** Lab hosts (hosts:* and runs on hosts): the app and web mode, not an agent. */
  labHosts?: boolean;
}

/** The service over an engine someone else built (the CLI's `serve` and `agent`). */
export function serviceForEngine(
  engine: Engine,
  serviceOptions?: ServiceOptions,
  extras: ServiceExtras = { labHosts: true },
): AppService {
  // What a killed earlier instance left (a labelled Docker container, a native process) goes
  // now, when the app or `serve` starts, not only before the next run (the sweep never
  // touches what a live process owns; it reports its own failures, so none is thrown here).
  void engine.sweepOrphans();
  const runner = engine.createRunner();
  const facts = engine.host.facts();
  const local = localEngine({
    runner,
    platforms: engine.platforms,
    doctor: () => engine.doctor(),
    calibration: () => historyCalibration(engine.store),
  });
  const version = packageVersion(engine.paths.root);
  const hosts = extras.labHosts
    ? hostsService({
        store: new HostStore(engine.paths.dataDir),
        link: { env: engine.env, tracker: engine.tracker, version },
        local,
        runsDir: engine.paths.runsDir,
        exportsDir: engine.paths.exportsDir,
        staging: engine.staging,
      })
    : undefined;
  const deps = {
    ...cachedRunLibrary(engine.store, engine.paths.runsDir, runner),
    engine: local,
    ...(hosts ? { hosts } : {}),
    version,
    runsDir: engine.paths.runsDir,
    exportsDir: engine.paths.exportsDir,
    uploadsDir: engine.paths.uploadsDir,
    staging: engine.staging,
    host: { cpuModel: facts.cpuModel, cores: facts.cores, memoryMiB: facts.memoryMiB },
  };
  const service = new ApiService(deps, serviceOptions);
  return {
    service,
    engine,
    dispose: async () => {
      const ended = runEnded(runner);
      service.cancelActive();
      await ended;
      service.dispose();
      await engine.shutdown();
    },
  };
}
