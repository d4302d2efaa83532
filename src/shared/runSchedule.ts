/**
 * The schedule a config asks for, in numbers (issue 19 item 8: the Review step shows it): the
 * order, rounds × targets (× instances) per benchmark, how many boots / container starts the
 * instances cost, and how many pause / resume pairs an interleaved run adds. Pure: the engine's
 * estimate (engine/estimate.ts) prices it, the Review step prints it.
 */
import type { ExperimentConfig } from './config';
import { PLATFORM_INFO, type PlatformId } from './platforms';
import { hasInstances, instancesFor } from './runDesign';

/**
 * Seconds one pause + resume of an idle target takes, as the estimate assumes, per kind of
 * target that pauses. Measured 2026-12-06 on our shared 2-CPU machine (load average 8–12 from
 * the other sessions' tests) with two interleaved runs of native + Docker + QEMU TCG, System call
 * quick, 4 and 8 rounds, from the samples' meta (resumeMs + pauseMs, 12 pairs each):
 *  - QEMU (QMP `stop` / `cont`): 5–29 ms a pair, median 18, mean 17 → 0.02 s;
 *  - Docker (`docker pause` / `unpause` through dockerode, the cgroup freezer): 95–201 ms a pair,
 *    median 156, mean 152 → 0.15 s.
 * Native has nothing to pause; the unikernel boots per repetition. Every sample records the real
 * durations (meta pauseMs, resumeMs).
 */
export const PAUSE_RESUME_SECONDS: Readonly<Record<'vm' | 'container', number>> = {
  vm: 0.02,
  container: 0.15,
};

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
  /** What those pairs cost, at PAUSE_RESUME_SECONDS of each target's kind. */
  pauseSeconds: number;
  /** Adaptive repetitions: `rounds` is the cap, the run may stop sooner (absent: a fixed count). */
  adaptive?: true;
}

/** Seconds a pause + resume of this platform's target takes; 0 when it does not pause. */
function pauseSecondsOf(platform: PlatformId): number {
  if (!hasInstances(platform)) return 0;
  return PLATFORM_INFO[platform].kind === 'container'
    ? PAUSE_RESUME_SECONDS.container
    : PAUSE_RESUME_SECONDS.vm;
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
  const interleaved = reps.order === 'interleaved' && targets.length > 1;
  const pausing = interleaved ? targets.filter((t) => pauseSecondsOf(t.platform) > 0) : [];
  const pauseSeconds = pausing.reduce((sum, t) => sum + pauseSecondsOf(t.platform) * perTarget, 0);
  return {
    order: reps.order,
    targets: targets.length,
    benchmarks: config.benchmarks.length,
    instances,
    rounds,
    starts: targets.length * instances,
    pausePairs: pausing.length * perTarget,
    pauseSeconds,
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
