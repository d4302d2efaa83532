/** The estimate calibrated from this host's history, on constructed runs (no live timing). */
import { describe, expect, it } from 'vitest';
import { PAUSE_RESUME_SECONDS } from '../../src/shared/runSchedule';
import { estimateSeconds } from '../../src/main/engine/estimate';
import { historyCalibration } from '../../src/main/engine/historyCalibration';
import type { RunDetail } from '../../src/shared/api';
import {
  calibrate,
  durationText,
  estimateErrorText,
  type CalibrationRun,
} from '../../src/shared/calibration';
import { parseExperimentConfig } from '../../src/shared/config';
import type { RunListItem } from '../../src/shared/run';
import type { Sample } from '../../src/shared/sample';
import { cellSamples } from '../results/fixtures';

/** Samples with given durations (ms) and, on the first, the target's preparation time. */
function timed(
  platform: Sample['platform'],
  benchmark: Sample['benchmark'],
  durations: number[],
  prepareMs?: number,
): Sample[] {
  return cellSamples(platform, benchmark, 100, { n: durations.length }).map((s, i) => ({
    ...s,
    durationMs: durations[i] as number,
    meta: { ...s.meta, ...(prepareMs !== undefined ? { prepareMs } : {}) },
  }));
}

const history: CalibrationRun[] = [
  {
    profile: 'quick',
    samples: [
      ...timed('native', 'linpack', [400, 600, 500]),
      ...timed('qemu-tcg', 'linpack', [9000, 11000, 10000], 24_000),
    ],
  },
  {
    profile: 'quick',
    samples: [...timed('qemu-tcg', 'linpack', [12000, 8000], 30_000)],
  },
];

describe('calibrate', () => {
  const c = calibrate(history);
  it('takes the median repetition time per platform × benchmark × profile', () => {
    expect(c.repetitionSeconds('native', 'linpack', 'quick')).toBe(0.5);
    expect(c.repetitionSeconds('qemu-tcg', 'linpack', 'quick')).toBe(10);
    expect(c.repetitionSeconds('qemu-tcg', 'linpack', 'standard')).toBeNull();
    expect(c.repetitionSeconds('docker', 'linpack', 'quick')).toBeNull();
    expect(c.runs).toBe(2);
  });
  it('takes the median preparation per platform, one per target and run', () => {
    expect(c.startupSeconds('qemu-tcg')).toBe(27);
    // One observation is not enough.
    expect(calibrate([history[1]!]).startupSeconds('qemu-tcg')).toBeNull();
    expect(c.startupSeconds('native')).toBeNull();
  });
  it('leaves failed repetitions out', () => {
    const failed = timed('native', 'syscall', [5000, 5000]).map((s) => ({ ...s, value: null }));
    expect(
      calibrate([{ profile: 'quick', samples: failed }]).repetitionSeconds(
        'native',
        'syscall',
        'quick',
      ),
    ).toBeNull();
  });
});

describe('the estimate with and without history', () => {
  const parsed = parseExperimentConfig({
    platforms: ['native', 'qemu-tcg'],
    profile: 'quick',
    benchmarks: ['linpack'],
    repetitions: { count: 3, warmup: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  const config = parsed.config;
  it('uses the medians where the history has them', () => {
    const est = estimateSeconds(config, calibrate(history));
    // native: 0 s start-up (no history: its trait) + 3 × 0.5 s; TCG: 27 s + 3 × 10 s, its
    // start-up once per instance (3 where a guest is compared) and a pause + resume after
    // each of its 3 repetitions (interleaved).
    expect(est.seconds).toBeCloseTo(1.5 + 3 * 27 + 30 + 3 * PAUSE_RESUME_SECONDS.vm, 1);
    expect(est.calibrated).toBe(true);
  });
  it('falls back to the traits without history', () => {
    const plain = estimateSeconds(config);
    expect(plain.calibrated).toBe(false);
    expect(estimateSeconds(config, calibrate([]))).toEqual(plain);
  });
  it('learns only from runs measured on this host', () => {
    const item = (runId: string, extra: Partial<RunListItem>): RunListItem =>
      ({
        runId,
        name: runId,
        startedAt: `2026-01-0${runId.length}T00:00:00Z`,
        status: 'completed',
        platforms: ['qemu-tcg'],
        benchmarks: ['linpack'],
        sampleCount: 3,
        failedCount: 0,
        imported: false,
        ...extra,
      }) as RunListItem;
    const detail = (samples: Sample[]): RunDetail =>
      ({
        item: item('x', {}),
        experiment: { config: { profile: 'quick' } },
        environment: {},
        samples,
      }) as RunDetail;
    const store = {
      list: () => [item('a', {}), item('bb', { imported: true }), item('ccc', { host: 'lab1' })],
      get: (id: string) =>
        detail(timed('qemu-tcg', 'linpack', id === 'a' ? [2000, 2000] : [90_000, 90_000])),
    };
    expect(historyCalibration(store).repetitionSeconds('qemu-tcg', 'linpack', 'quick')).toBe(2);
  });
});

describe('the estimate error after a run', () => {
  it('says how far it was off', () => {
    expect(estimateErrorText(80, 31)).toBe('estimated 1 min 20 s, took 31 s (2.6× too long)');
    expect(estimateErrorText(24, 68)).toBe('estimated 24 s, took 1 min 8 s (2.8× too short)');
    expect(estimateErrorText(30, 31)).toBe('estimated 30 s, took 31 s (about right)');
    expect(durationText(3720)).toBe('1 h 2 min');
  });
});
