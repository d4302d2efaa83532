/**
 * Adapts the engine (runner, run store, platforms, doctor) to the API service's ServiceDeps.
 * The runner is a long-lived emitter; its events go to the observer of the run in progress.
 */
import type { Preview, RunDetail } from '../../shared/api';
import { expandTargets, targetConfig, type TargetInfo } from '../../shared/targets';
import type { ExperimentConfig } from '../../shared/config';
import type { DoctorReport, PlatformId } from '../../shared/platforms';
import { AppFailure } from '../../shared/result';
import type { Result } from '../../shared/result';
import type { RunListItem } from '../../shared/run';
import type { RunnerEvents } from '../experiment/events';
import type { Platform } from '../platforms/platform';
import type { ImportStaging } from '../export/importStaging';
import { estimateSeconds } from './estimate';
import { RunListCache } from './runListCache';
import type { HostFacts, StartedRun, RunObserver, ServiceDeps } from './serviceDeps';

/** What the adapter uses of the engine (structural, so fakes and the real engine both fit). */
export interface EngineParts {
  runner: {
    start(config: ExperimentConfig): Promise<Result<{ runId: string; dir: string }>>;
    cancel(runId?: string): boolean;
    write(platform: PlatformId, data: string, runId?: string, target?: string): boolean;
    on<E extends keyof RunnerEvents>(event: E, listener: (p: RunnerEvents[E]) => void): () => void;
  };
  store: { list(): RunListItem[]; get(runId: string): RunDetail; remove(runId: string): void };
  platforms: readonly Platform[];
  doctor(): Promise<DoctorReport>;
}

/** Run ids are folder names: never a path (web clients must not open arbitrary folders). */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function engineServiceDeps(
  engine: EngineParts,
  info: {
    version: string;
    runsDir: string;
    exportsDir: string;
    uploadsDir: string;
    staging?: ImportStaging;
    host: HostFacts;
  },
): ServiceDeps {
  let observer: RunObserver | null = null;
  let doctorCache: DoctorReport | null = null;
  const runList = new RunListCache(info.runsDir, () => engine.store.list());

  engine.runner.on('run:progress', (e) => observer?.progress(e));
  engine.runner.on('run:sample', (s) => {
    runList.invalidate(); // the run's sample count changed
    observer?.sample(s);
  });
  engine.runner.on('run:log', (e) => observer?.log(e));
  engine.runner.on('console:data', (e) => observer?.console(e.platform, e.data, e.target));
  engine.runner.on('run:finished', (e) => {
    runList.invalidate();
    const o = observer;
    observer = null;
    o?.finished(e);
  });

  return {
    version: info.version,
    runsDir: info.runsDir,
    exportsDir: info.exportsDir,
    uploadsDir: info.uploadsDir,
    ...(info.staging ? { staging: info.staging } : {}),
    host: info.host,

    doctor: async (refresh) => {
      if (refresh || !doctorCache) doctorCache = await engine.doctor();
      return doctorCache;
    },

    preview: async (config): Promise<Preview> => {
      const commands: Preview['commands'] = [];
      const notes: string[] = [];
      const expansion = expandTargets(config);
      if (!expansion.ok) throw new AppFailure('INVALID_CONFIG', expansion.message);
      // Every target's exact command lines, named by its target (the review groups them).
      for (const target of expansion.targets) {
        const id = target.platform;
        const platform = engine.platforms.find((p) => p.id === id);
        if (!platform) {
          notes.push(`${id}: not built into this engine`);
          continue;
        }
        try {
          for (const c of await platform.describe(targetConfig(config, target), target.id))
            commands.push({ platform: id, target: target.id, ...c });
        } catch (e) {
          notes.push(
            `${id}: cannot describe the commands (${e instanceof Error ? e.message : String(e)})`,
          );
        }
      }
      const est = estimateSeconds(config);
      if (config.repetitions.adaptive.enabled) {
        notes.push('adaptive repetitions: the estimate assumes every cell runs up to the cap');
      }
      return { commands, estimatedSeconds: est.seconds, repetitionsTotal: est.repetitions, notes };
    },

    startRun: async (config, runObserver): Promise<StartedRun> => {
      observer = runObserver;
      const started = await engine.runner.start(config);
      if (!started.ok) {
        observer = null;
        throw new AppFailure(started.error.code, started.error.message, started.error.details);
      }
      const { runId, dir } = started.value;
      runList.invalidate();
      return {
        runId,
        dir,
        platforms: [...config.platforms],
        targets: targetInfos(config),
        cancel: () => void engine.runner.cancel(runId),
        write: (platform, data, target) => engine.runner.write(platform, data, runId, target),
      };
    },

    listRuns: async () => runList.get(),

    getRun: async (runId) => {
      if (!RUN_ID_PATTERN.test(runId)) return null;
      try {
        return engine.store.get(runId);
      } catch (e) {
        if (e instanceof AppFailure && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },

    deleteRun: async (runId) => {
      if (!RUN_ID_PATTERN.test(runId)) return false;
      try {
        engine.store.remove(runId);
        runList.invalidate();
        return true;
      } catch (e) {
        if (e instanceof AppFailure && e.code === 'NOT_FOUND') return false;
        throw e;
      }
    },
  };
}

/** The run's targets for the run view (one console each). */
function targetInfos(config: Parameters<typeof expandTargets>[0]): TargetInfo[] {
  const e = expandTargets(config);
  return e.ok ? e.targets.map((t) => ({ id: t.id, platform: t.platform, label: t.label })) : [];
}
