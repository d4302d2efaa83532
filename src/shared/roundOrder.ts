/**
 * The order of an interleaved run, reproducible from one recorded seed (RMIT: Abedi & Brecht,
 * ICPE 2017). A round runs one repetition on every live target in a random order; the order of
 * round r of benchmark b depends only on (seed, b, r), so adding rounds (adaptive repetitions)
 * never changes the rounds already run, and anyone holding the seed can recompute every round.
 *
 * The generator is mulberry32 (a 32-bit state, full period 2³², fast and well-mixed enough for
 * shuffling a handful of targets); its seed for a round is the run's seed mixed with an FNV-1a
 * hash of the benchmark and round number. This is not for cryptography: the seed is recorded.
 */

/** Largest seed + 1: seeds are unsigned 32-bit integers. */
export const SEED_LIMIT = 2 ** 32;

/** FNV-1a offset basis and prime (32-bit). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(text: string, basis: number = FNV_OFFSET): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

/** mulberry32: a uniform number in [0, 1) per call from a 32-bit state. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / SEED_LIMIT;
  };
}

/** A fresh seed for a run (recorded in experiment.json and every sample's meta). */
export function newSeed(random: () => number = Math.random): number {
  return Math.floor(random() * SEED_LIMIT) >>> 0;
}

/**
 * The targets of one round in the order they measure (a Fisher–Yates shuffle driven by the
 * round's own generator). `targets` is the run's list of live targets in plan order.
 */
export function roundOrder<T>(
  seed: number,
  benchmark: string,
  round: number,
  targets: readonly T[],
): T[] {
  const next = mulberry32(fnv1a(`${benchmark}#${round}`, seed ^ FNV_OFFSET));
  const out = [...targets];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** One slot of an interleaved schedule: what a sample's meta records about its place. */
export interface RoundSlot<T> {
  target: T;
  /** 1-based round number within the benchmark (counted across instances). */
  round: number;
  /** 1-based position of the target within its round. */
  position: number;
  /** 1-based instance (boot / container start) of the target that measures. */
  instance: number;
}

/**
 * The slots of `rounds` rounds per instance for `instances` instances, instance after instance
 * (every target's instance k is live while its rounds run), in measuring order.
 */
export function interleavedSlots<T>(
  seed: number,
  benchmark: string,
  targets: readonly T[],
  rounds: number,
  instances: number,
): RoundSlot<T>[] {
  const slots: RoundSlot<T>[] = [];
  let round = 0;
  for (let instance = 1; instance <= instances; instance++) {
    for (let r = 0; r < rounds; r++) {
      round++;
      roundOrder(seed, benchmark, round, targets).forEach((target, i) =>
        slots.push({ target, round, position: i + 1, instance }),
      );
    }
  }
  return slots;
}
