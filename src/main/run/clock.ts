/** Time source passed into the runner (tests may pass a fake). */
export interface Clock {
  /** Wall-clock time for records. */
  now(): Date;
  /** Monotonic milliseconds for durations and ETA. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
