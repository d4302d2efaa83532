/**
 * Rough time estimate for the review step: how long a repetition of each benchmark takes
 * natively per profile (the catalogue's nativeSeconds), times the platform's slowdown, plus
 * each platform's start-up (its traits). It is a guide for the user ("about 2 minutes"), not a promise.
 */
import { CATALOGUE } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import { PLATFORM_INFO } from '../../shared/platforms';
import { expandTargets } from '../../shared/targets';

/** Seconds and repetitions over every target (platform × the variant values that apply). */
export function estimateSeconds(config: ExperimentConfig): {
  seconds: number;
  repetitions: number;
} {
  const expansion = expandTargets(config);
  const platforms = expansion.ok ? expansion.targets.map((t) => t.platform) : config.platforms;
  const reps = config.repetitions;
  const perCell = reps.warmup + (reps.adaptive.enabled ? reps.adaptive.maxRepetitions : reps.count);
  let seconds = 0;
  let repetitions = 0;
  for (const platform of platforms) {
    const traits = PLATFORM_INFO[platform];
    seconds += traits.startupSeconds;
    for (const b of config.benchmarks) {
      seconds += perCell * CATALOGUE[b.id].nativeSeconds[config.profile] * traits.slowdown;
      repetitions += perCell;
    }
  }
  return { seconds: Math.round(seconds * 10) / 10, repetitions };
}
