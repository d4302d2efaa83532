/**
 * Estimates calibrated from this host's history: the review's time estimate starts from the
 * catalogue's native seconds × the platform's slowdown and its start-up guess (platform traits),
 * which were 2.6–3.5× off on a busy machine. Runs already measured here say better: each
 * repetition's duration (sample `durationMs`) per platform × benchmark × profile, and each
 * target's preparation (boot, container start: sample `meta.prepareMs`) per platform. The median
 * of what was seen replaces the guess; where the history has nothing, the guess stays.
 */
import { metaOf } from './sampleMeta/registry';
import type { BenchmarkId } from './catalogue';
import type { PlatformId } from './platforms';
import type { Sample } from './sample';
import { targetOf } from './targets';

/** A past run as calibration reads it: its profile and its samples. */
export interface CalibrationRun {
  profile: string;
  samples: readonly Pick<
    Sample,
    'platform' | 'target' | 'benchmark' | 'durationMs' | 'value' | 'meta'
  >[];
}

/** Fewest observations before a median replaces the guess. */
export const MIN_OBSERVATIONS = 2;

export interface Calibration {
  /** Median seconds of one repetition (warm-ups included in the estimate's count). */
  repetitionSeconds(platform: PlatformId, benchmark: BenchmarkId, profile: string): number | null;
  /** Median seconds to prepare a target of the platform (boot, container start). */
  startupSeconds(platform: PlatformId): number | null;
  /** How many past runs it learned from. */
  runs: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function push(map: Map<string, number[]>, key: string, v: number): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

/** Learns from the runs (see the file comment); failed repetitions are left out. */
export function calibrate(runs: readonly CalibrationRun[]): Calibration {
  const reps = new Map<string, number[]>();
  const starts = new Map<string, number[]>();
  for (const run of runs) {
    // One preparation per target: the first sample of each target carries it.
    const seenTargets = new Set<string>();
    for (const s of run.samples) {
      if (s.value !== null && Number.isFinite(s.durationMs) && s.durationMs > 0)
        push(reps, `${s.platform}|${s.benchmark}|${run.profile}`, s.durationMs / 1000);
      const prep = metaOf(s.meta, 'prepareMs');
      const target = targetOf(s);
      if (typeof prep === 'number' && prep >= 0 && !seenTargets.has(target)) {
        seenTargets.add(target);
        push(starts, s.platform, prep / 1000);
      }
    }
  }
  const pick = (map: Map<string, number[]>, key: string): number | null => {
    const xs = map.get(key);
    return xs && xs.length >= MIN_OBSERVATIONS ? median(xs) : null;
  };
  return {
    repetitionSeconds: (p, b, profile) => pick(reps, `${p}|${b}|${profile}`),
    startupSeconds: (p) => pick(starts, p),
    runs: runs.length,
  };
}

/** How far an estimate was off: "estimated 1 min 20 s, took 31 s (2.6× too long)". */
export function estimateErrorText(estimatedSeconds: number, actualSeconds: number): string {
  const ratio = estimatedSeconds / actualSeconds;
  const off =
    Math.abs(ratio - 1) < 0.1
      ? 'about right'
      : ratio > 1
        ? `${ratio.toFixed(1)}× too long`
        : `${(1 / ratio).toFixed(1)}× too short`;
  return `estimated ${durationText(estimatedSeconds)}, took ${durationText(actualSeconds)} (${off})`;
}

/** "31 s", "1 min 20 s", "1 h 2 min". */
export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
