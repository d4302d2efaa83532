/**
 * Rough time estimate for the review step: how long a repetition of each benchmark takes
 * natively per profile (the catalogue's nativeSeconds), times the platform's slowdown, plus
 * each platform's start-up (its traits) once per instance, plus the pauses and resumes of an
 * interleaved run (shared/runSchedule.ts). It is a guide for the user ("about 2 minutes"), not a promise.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import { PLATFORM_INFO, type PlatformId } from '../../shared/platforms';
import { scheduleSummary, type ScheduleSummary } from '../../shared/runSchedule';
import { expandTargets } from '../../shared/targets';
import type { Calibration } from '../../shared/calibration';

const tenths = (x: number): number => Math.round(x * 10) / 10;

/**
 * Seconds and repetitions over every target (platform × the variant values that apply); with a
 * calibration from this host's history (shared/calibration.ts), its medians replace the guesses
 * where it has them. `bootSeconds` and `pauseSeconds` are the parts the run design adds (every
 * instance boots or starts its target afresh; an interleaved run pauses idle targets).
 */
export function estimateSeconds(
  config: ExperimentConfig,
  calibration?: Calibration,
  /** Whether the run will measure this cell (the plan's rule: not-applicable cells are skipped). */
  applies: (platform: PlatformId, benchmark: BenchmarkId) => boolean = () => true,
): {
  seconds: number;
  repetitions: number;
  /** Whether the history calibrated any part of it. */
  calibrated: boolean;
  bootSeconds: number;
  pauseSeconds: number;
  schedule: ScheduleSummary;
} {
  const expansion = expandTargets(config);
  const platforms = expansion.ok ? expansion.targets.map((t) => t.platform) : config.platforms;
  const schedule = scheduleSummary(
    config,
    platforms.map((platform) => ({ platform })),
  );
  const reps = config.repetitions;
  const perCell = reps.warmup + (reps.adaptive.enabled ? reps.adaptive.maxRepetitions : reps.count);
  let seconds = 0;
  let bootSeconds = 0;
  let repetitions = 0;
  let calibrated = false;
  for (const platform of platforms) {
    const traits = PLATFORM_INFO[platform];
    const start = calibration?.startupSeconds(platform) ?? null;
    calibrated ||= start !== null;
    bootSeconds += (start ?? traits.startupSeconds) * schedule.instances;
    for (const b of config.benchmarks) {
      if (!applies(platform, b.id)) continue;
      const rep = calibration?.repetitionSeconds(platform, b.id, config.profile) ?? null;
      calibrated ||= rep !== null;
      seconds += perCell * (rep ?? CATALOGUE[b.id].nativeSeconds[config.profile] * traits.slowdown);
      repetitions += perCell;
    }
  }
  const { pauseSeconds } = schedule;
  return {
    seconds: tenths(seconds + bootSeconds + pauseSeconds),
    repetitions,
    calibrated,
    bootSeconds: tenths(bootSeconds),
    pauseSeconds: tenths(pauseSeconds),
    schedule,
  };
}
