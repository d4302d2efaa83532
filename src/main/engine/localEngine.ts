/**
 * The run engine of this process (runEngine.ts's port over the runner, the platforms and the
 * doctor). The runner is a long-lived emitter; the events of the run in progress go, unchanged
 * (offsets and all), to the sink of whoever started it.
 */
import type { Preview } from '../../shared/api';
import { expandTargets, targetConfig, type TargetInfo } from '../../shared/targets';
import type { ExperimentConfig } from '../../shared/config';
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import { PLATFORM_INFO, type DoctorReport, type PlatformId } from '../../shared/platforms';
import { AppFailure, errorText } from '../../shared/result';
import type { Result } from '../../shared/result';
import type { RunnerEvents } from '../run/events';
import type { Platform } from '../platforms/platform';
import { notApplicableReason } from '../platforms/support';
import { estimateSeconds } from './estimate';
import { scheduleText } from '../../shared/runSchedule';
import type { Calibration } from '../../shared/calibration';
import type { RunEngine, RunEventName, RunEventSink } from './runEngine';

/** What the local engine uses of the runner (structural, so fakes and the real one both fit). */
export interface RunnerPort {
  start(config: ExperimentConfig): Promise<Result<{ runId: string; dir: string }>>;
  /** Appends repetitions to a finished run (runner.ts extend). */
  extend(
    runId: string,
    repetitions: number,
  ): Promise<Result<{ runId: string; dir: string; config: ExperimentConfig }>>;
  cancel(runId?: string): boolean;
  write(platform: PlatformId, data: string, runId?: string, target?: string): boolean;
  on<E extends keyof RunnerEvents>(event: E, listener: (p: RunnerEvents[E]) => void): () => void;
}

export interface LocalEngineParts {
  runner: RunnerPort;
  platforms: readonly Platform[];
  doctor(): Promise<DoctorReport>;
  /** What this host's history says about times (historyCalibration.ts); none: the traits' guesses. */
  calibration?: () => Calibration;
}

const RUN_EVENTS: readonly RunEventName[] = [
  'run:progress',
  'run:sample',
  'run:log',
  'console:data',
  'run:finished',
];

/**
 * Which cells the run will measure, by the plan's own rule (planExperiment skips a benchmark a
 * platform lacks the capability for), and a note per skipped one: the review's promise of
 * repetitions is the run's count.
 */
function applicability(
  platforms: readonly Platform[],
  config: ExperimentConfig,
  targets: readonly { platform: PlatformId }[],
): { applies: (id: PlatformId, benchmark: BenchmarkId) => boolean; skipped: string[] } {
  const reason = (id: PlatformId, benchmark: BenchmarkId): string | null => {
    const platform = platforms.find((p) => p.id === id);
    return platform ? notApplicableReason(platform, CATALOGUE[benchmark].requires) : 'not built';
  };
  const applies = (id: PlatformId, benchmark: BenchmarkId): boolean =>
    reason(id, benchmark) === null;
  const skipped: string[] = [];
  for (const id of new Set(targets.map((t) => t.platform)))
    for (const b of config.benchmarks) {
      const why = platforms.some((p) => p.id === id) ? reason(id, b.id) : null;
      if (why !== null)
        skipped.push(
          `${CATALOGUE[b.id].title} on ${PLATFORM_INFO[id].title} will not run (${why})`,
        );
    }
  return { applies, skipped };
}

/** Every target's exact command lines, named by its target (the review groups them). */
async function preview(
  platforms: readonly Platform[],
  config: ExperimentConfig,
  calibration?: Calibration,
): Promise<Preview> {
  const commands: Preview['commands'] = [];
  const notes: string[] = [];
  const expansion = expandTargets(config);
  if (!expansion.ok) throw new AppFailure('INVALID_CONFIG', expansion.message);
  for (const target of expansion.targets) {
    const id = target.platform;
    const platform = platforms.find((p) => p.id === id);
    if (!platform) {
      notes.push(`${id}: not built into this engine`);
      continue;
    }
    try {
      for (const c of await platform.describe(targetConfig(config, target), target.id))
        commands.push({ platform: id, target: target.id, ...c });
    } catch (e) {
      notes.push(`${id}: cannot describe the commands (${errorText(e)})`);
    }
  }
  const { applies, skipped } = applicability(platforms, config, expansion.targets);
  notes.push(...skipped);
  const est = estimateSeconds(config, calibration, applies);
  if (est.calibrated)
    notes.push('the estimate is calibrated from the runs measured on this host before');
  if (config.repetitions.adaptive.enabled) {
    notes.push('adaptive repetitions: the estimate assumes every cell runs up to the cap');
  }
  const schedule = {
    text: scheduleText(est.schedule),
    starts: est.schedule.starts,
    bootSeconds: est.bootSeconds,
    pausePairs: est.schedule.pausePairs,
    pauseSeconds: est.pauseSeconds,
  };
  return {
    commands,
    estimatedSeconds: est.seconds,
    repetitionsTotal: est.repetitions,
    notes,
    schedule,
  };
}

export function localEngine(parts: LocalEngineParts): RunEngine {
  let sink: RunEventSink | null = null;
  let doctorCache: DoctorReport | null = null;

  for (const event of RUN_EVENTS) {
    parts.runner.on(event, (payload) => {
      const to = sink;
      if (event === 'run:finished') sink = null;
      to?.({ event, payload } as Parameters<RunEventSink>[0]);
    });
  }

  return {
    doctor: async (refresh) => {
      if (refresh || !doctorCache) doctorCache = await parts.doctor();
      return doctorCache;
    },
    preview: (config) => preview(parts.platforms, config, parts.calibration?.()),
    start: async (config, events) => {
      sink = events;
      const started = await parts.runner.start(config);
      if (!started.ok) {
        sink = null;
        throw new AppFailure(started.error.code, started.error.message, started.error.details);
      }
      const { runId, dir } = started.value;
      return { runId, dir, platforms: [...config.platforms], targets: targetInfos(config) };
    },
    more: async (runId, repetitions, events) => {
      sink = events;
      const started = await parts.runner.extend(runId, repetitions);
      if (!started.ok) {
        sink = null;
        throw new AppFailure(started.error.code, started.error.message, started.error.details);
      }
      const { dir, config } = started.value;
      const targets = targetInfos(config);
      return { runId, dir, platforms: [...config.platforms], targets, name: config.name };
    },
    cancel: (runId) => parts.runner.cancel(runId),
    write: (runId, platform, data, target) => parts.runner.write(platform, data, runId, target),
    // The runner does not wait for its clients: the service's flow control paces them.
    ack: () => {},
  };
}

/** The run's targets for the run view (one console each). */
function targetInfos(config: ExperimentConfig): TargetInfo[] {
  const e = expandTargets(config);
  return e.ok ? e.targets.map((t) => ({ id: t.id, platform: t.platform, label: t.label })) : [];
}
