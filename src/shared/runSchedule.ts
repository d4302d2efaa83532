/**
 * The schedule a config asks for, in numbers (issue 19 item 8: the Review step shows it): the
 * order, rounds × targets (× instances) per benchmark, how many boots / container starts the
 * instances cost, and how many pause / resume pairs an interleaved run adds. Pure: the engine's
 * estimate (engine/estimate.ts) prices it, the Review step prints it.
 */
import type { ExperimentConfig } from './config';
import type { PlatformId } from './platforms';
import { hasInstances, instancesFor } from './runDesign';

/**
 * Seconds one pause + resume of an idle target takes, as the estimate assumes: QMP stop/cont
 * answer in milliseconds and `docker pause`/`unpause` (the cgroup freezer) in tens of them; a
 * round figure that keeps the estimate honest about the extra step. Every sample records the
 * real durations (meta pauseMs, resumeMs).
 */
export const PAUSE_RESUME_SECONDS = 0.1;

export interface ScheduleSummary {
  order: ExperimentConfig['repetitions']['order'];
  targets: number;
  benchmarks: number;
  /** Instances (boots / starts) per target. */
  instances: number;
  /** Measured repetitions per target and benchmark: the rounds of an interleaved run (the cap when adaptive). */
  rounds: number;
  /** Boots or starts in all: every target once per instance. */
  starts: number;
  /** Pause + resume pairs: one per measured or warmup repetition of a target that pauses (interleaved). */
  pausePairs: number;
  /** Adaptive repetitions: `rounds` is the cap, the run may stop sooner (absent: a fixed count). */
  adaptive?: true;
}

/** Can a target of this platform pause while idle (a lasting guest or container)? */
function pauses(platform: PlatformId): boolean {
  return hasInstances(platform);
}

/** The schedule of a config over its expanded targets. */
export function scheduleSummary(
  config: Pick<ExperimentConfig, 'repetitions' | 'benchmarks'>,
  targets: readonly { platform: PlatformId }[],
): ScheduleSummary {
  const reps = config.repetitions;
  const rounds = reps.adaptive.enabled ? reps.adaptive.maxRepetitions : reps.count;
  const instances = Math.min(instancesFor(config, targets), Math.max(1, rounds));
  const perTarget = config.benchmarks.length * (rounds + reps.warmup);
  const pausing = targets.filter((t) => pauses(t.platform)).length;
  return {
    order: reps.order,
    targets: targets.length,
    benchmarks: config.benchmarks.length,
    instances,
    rounds,
    starts: targets.length * instances,
    pausePairs: reps.order === 'interleaved' && targets.length > 1 ? pausing * perTarget : 0,
    ...(reps.adaptive.enabled ? { adaptive: true as const } : {}),
  };
}

/** The schedule in words, for the Review step and the CLI's preview. */
export function scheduleText(s: ScheduleSummary): string {
  const inst = s.instances > 1 ? ` × ${s.instances} instances` : '';
  const starts = `${s.starts} boot${s.starts === 1 ? '' : 's'} or start${s.starts === 1 ? '' : 's'}`;
  const upTo = s.adaptive ? 'up to ' : '';
  if (s.order === 'interleaved')
    return `Interleaved: per benchmark ${upTo}${s.rounds} rounds${s.adaptive ? ' (adaptive: whole rounds until every paired interval reaches the target)' : ''} × ${s.targets} target${s.targets === 1 ? '' : 's'}${inst} (each round measures every target once, in a random order; the rounds are shared out over the instances); ${starts}; ${s.pausePairs} pauses and resumes of idle targets`;
  return `Sequential: each target runs its ${upTo}${s.rounds} repetitions per benchmark before the next starts (${s.targets} target${s.targets === 1 ? '' : 's'}${inst}); ${starts}`;
}
