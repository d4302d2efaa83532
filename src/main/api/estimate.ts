/**
 * Rough time estimate for the review step: how long a repetition of each benchmark takes
 * natively per profile, times a slowdown per platform, plus each platform's start-up.
 * It is a guide for the user ("about 2 minutes"), not a promise.
 */
import type { BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';

/** Seconds per repetition natively (quick: well under a second; standard: about ten). */
const NATIVE_REP_SECONDS: Record<'quick' | 'standard', Record<BenchmarkId, number>> = {
  quick: { linpack: 0.5, memsweep: 0.2, diskwrite: 0.3, forksum: 0.1, syscall: 0.1, nginx: 0.5 },
  standard: { linpack: 11, memsweep: 3, diskwrite: 6, forksum: 4, syscall: 5, nginx: 4 },
};

/** How much slower a repetition usually is than natively. TCG emulates every instruction. */
const SLOWDOWN: Record<PlatformId, number> = {
  native: 1,
  docker: 1.05,
  'qemu-kvm': 1.2,
  'qemu-tcg': 8,
};

/** Preparing a platform: building/starting a container, booting a guest. */
const STARTUP_SECONDS: Record<PlatformId, number> = {
  native: 0,
  docker: 5,
  'qemu-kvm': 8,
  'qemu-tcg': 20,
};

export function estimateSeconds(config: ExperimentConfig): {
  seconds: number;
  repetitions: number;
} {
  const reps = config.repetitions;
  const perCell = reps.warmup + (reps.adaptive.enabled ? reps.adaptive.maxRepetitions : reps.count);
  let seconds = 0;
  let repetitions = 0;
  for (const platform of config.platforms) {
    seconds += STARTUP_SECONDS[platform];
    for (const b of config.benchmarks) {
      seconds += perCell * NATIVE_REP_SECONDS[config.profile][b.id] * SLOWDOWN[platform];
      repetitions += perCell;
    }
  }
  return { seconds: Math.round(seconds * 10) / 10, repetitions };
}
