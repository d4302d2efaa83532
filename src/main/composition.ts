/**
 * Composition root of the engine: builds every service with its
 * collaborators. Shared by the CLI, the Electron shell and the web server.
 * Process-exit cleanup (tracker.killAll) is installed by those shells, not here.
 */
import { CATALOGUE, type BenchmarkId } from '../shared/catalogue';
import type { DoctorReport } from '../shared/platforms';
import { decideStop } from '../shared/stats/adaptive';
import { summarize } from '../shared/stats/summary';
import { createBenchmarkRunners } from './benchmarks/registry';
import type { BenchmarkRunner } from './benchmarks/types';
import { buildDoctorReport } from './doctor/doctor';
import { collectEnvironment, declaredTools, type EnvironmentInfo } from './run/environment';
import { ExperimentRunner } from './run/runner';
import { sweepPlatforms, type SweepOutcome } from './run/orphanSweep';
import { RunStore } from './store/runStore';
import { createNativePlatform } from './platforms/native/nativePlatform';
import { createDockerPlatform } from './platforms/docker';
import { createQemuPlatform } from './platforms/qemu/qemuPlatform';
import { createUnikernelPlatform } from './platforms/unikernel/unikernelPlatform';
import type { Platform } from './platforms/platform';
import { ProcessTracker } from './process/tracker';
import { defaultAppPaths, type AppPaths } from './util/appPaths';
import { ImportStaging } from './export/importStaging';
import { createHostProbe, type HostProbe } from './host/hostProbe';
import { hostServiceStarter } from './platforms/native/hostService';

export interface EngineOptions {
  paths?: AppPaths;
  env?: NodeJS.ProcessEnv;
  /** How the engine reads its host (default: this machine's /proc, /sys and os). */
  host?: HostProbe;
}

/** What platform factories get. */
export interface PlatformDeps {
  paths: AppPaths;
  tracker: ProcessTracker;
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  env: NodeJS.ProcessEnv;
  /** The engine's host probe: every platform reads its host through it. */
  host: HostProbe;
}

/** One line per platform. The runner never branches on the kind: order here is run order. */
export function createPlatforms(deps: PlatformDeps): Platform[] {
  return [
    createNativePlatform({
      benchBinDir: deps.paths.benchBinDir,
      tracker: deps.tracker,
      runners: deps.runners,
      host: deps.host,
    }),
    createQemuPlatform('tcg', deps),
    createQemuPlatform('kvm', deps),
    createDockerPlatform(deps),
    createUnikernelPlatform('tcg', deps),
    createUnikernelPlatform('kvm', deps),
  ];
}

export interface Engine {
  paths: AppPaths;
  /** The environment the engine was made for (child processes such as ssh get it). */
  env: NodeJS.ProcessEnv;
  tracker: ProcessTracker;
  platforms: Platform[];
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>;
  /** The host probe every part of the engine reads its host through. */
  host: HostProbe;
  store: RunStore;
  /** Staging folders of bundle imports (the shells remove them on exit; dead ones swept at start). */
  staging: ImportStaging;
  /** A new runner (one run at a time per runner) wired to this engine's services. */
  createRunner(): ExperimentRunner;
  doctor(): Promise<DoctorReport>;
  collectEnvironment(): Promise<EnvironmentInfo>;
  /**
   * Removes what crashed earlier runs left behind (platform.sweepOrphans, e.g.
   * labelled docker containers). Runs once per engine; later calls return the first result.
   */
  sweepOrphans(): Promise<string[]>;
  /** Kills everything the engine still tracks. */
  shutdown(): Promise<void>;
}

export function createEngine(opts: EngineOptions = {}): Engine {
  const env = opts.env ?? process.env;
  const paths = opts.paths ?? defaultAppPaths(env);
  const tracker = new ProcessTracker();
  const host = opts.host ?? createHostProbe();
  const runners = createBenchmarkRunners({
    paths,
    tracker,
    env,
    startHostService: hostServiceStarter(tracker, host.proc),
    proc: host.proc,
  });
  const platforms = createPlatforms({ paths, tracker, runners, env, host });
  const store = new RunStore({ runsDir: paths.runsDir, host });
  const staging = new ImportStaging(paths.runsDir);
  // The tool versions a run records are those its platforms and benchmarks declare.
  const environment = (): Promise<EnvironmentInfo> =>
    collectEnvironment(host, declaredTools(platforms, Object.values(runners)));
  // Imports interrupted by a killed process left their staging folder: remove it now.
  staging.sweepDead();
  let swept: Promise<SweepOutcome> | null = null;
  const sweep = (): Promise<SweepOutcome> => (swept ??= sweepPlatforms(platforms));
  const sweepOrphans = async (): Promise<string[]> => {
    const o = await sweep();
    return [...o.removed, ...o.problems];
  };
  // The sweep's lines go into the log of the first run that starts after it (once per engine;
  // a run refused while it is planned leaves them for the next).
  let sweepLogged = false;
  return {
    paths,
    env,
    tracker,
    platforms,
    runners,
    host,
    store,
    staging,
    createRunner: () =>
      new ExperimentRunner({
        platforms,
        runners,
        store,
        tracker,
        collectEnvironment: environment,
        decideStop,
        hostCpu: host.cpu,
        summarize: (samples) => summarize(samples),
        hostCapacity: () => host.capacity(),
        beforeRun: async () => {
          const o = await sweep();
          // per-run state of the benchmarks (the nginx client's ceiling is measured anew)
          for (const r of Object.values(runners)) r.beginRun?.();
          if (sweepLogged) return [];
          return [
            ...o.removed.map((message) => ({ level: 'info' as const, message })),
            ...o.problems.map((message) => ({ level: 'warn' as const, message })),
          ];
        },
        notesLogged: () => {
          sweepLogged = true;
        },
      }),
    doctor: () => buildDoctorReport(platforms, CATALOGUE),
    collectEnvironment: environment,
    sweepOrphans,
    shutdown: async () => {
      staging.removeAllSync();
      await tracker.killAll();
    },
  };
}
