/** Synthetic samples and run folders for the results tests (deterministic, no randomness). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../../src/shared/sample';
import { CATALOGUE } from '../../src/shared/catalogue';
import type { BenchmarkId } from '../../src/shared/catalogue';
import type { PlatformId } from '../../src/shared/platforms';

/** Relative deviations applied in turn to a base value (mean 0, CV ≈ 1.2%). */
const WOBBLE = [0, 0.012, -0.01, 0.015, -0.017, 0.006, -0.006];

export function cellSamples(
  platform: PlatformId,
  benchmark: BenchmarkId,
  base: number,
  opts: { n?: number; spread?: number; meta?: Record<string, unknown>; runId?: string } = {},
): Sample[] {
  const n = opts.n ?? 5;
  const spread = opts.spread ?? 1;
  const metric = CATALOGUE[benchmark].mainMetric;
  const unit = CATALOGUE[benchmark].metrics.find((m) => m.key === metric)!.unit;
  return Array.from({ length: n }, (_, i) => {
    const value = base * (1 + (WOBBLE[i % WOBBLE.length] as number) * spread);
    return {
      runId: opts.runId ?? 'run-1',
      platform,
      benchmark,
      rep: i + 1,
      metric,
      value,
      unit,
      metrics: { [metric]: value },
      startedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
      durationMs: 100 + i,
      exitCode: 0,
      meta: { vcpus: platform === 'native' ? 2 : 1, ...(opts.meta ?? {}) },
    };
  });
}

/**
 * Samples with exactly these main-metric values, in repetition order (for constructed shapes a
 * wobble cannot make: a skewed cell, a zero, a single slow repetition). Empty meta.
 */
export function valueSamples(
  platform: PlatformId,
  benchmark: BenchmarkId,
  values: readonly number[],
  runId = 'constructed',
): Sample[] {
  const metric = CATALOGUE[benchmark].mainMetric;
  const unit = CATALOGUE[benchmark].metrics.find((m) => m.key === metric)!.unit;
  return values.map((value, i) => ({
    runId,
    platform,
    benchmark,
    rep: i + 1,
    metric,
    value,
    unit,
    metrics: { [metric]: value },
    startedAt: '2026-12-01T00:00:00Z',
    durationMs: 10,
    exitCode: 0,
    meta: {},
  }));
}

/** Writes a complete run folder (DESIGN §5 layout) under runsDir; returns its path. */
export function writeRunFolder(
  runsDir: string,
  runId: string,
  samples: Sample[],
  opts: { consoleBytes?: number; config?: Record<string, unknown> } = {},
): string {
  const dir = join(runsDir, runId);
  mkdirSync(join(dir, 'consoles'), { recursive: true });
  const platforms = [...new Set(samples.map((s) => s.platform))];
  const benchmarks = [...new Set(samples.map((s) => s.benchmark))];
  const experiment = {
    runId,
    name: `Synthetic ${runId}`,
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:10:00.000Z',
    status: 'completed',
    config: {
      name: `Synthetic ${runId}`,
      platforms,
      profile: 'quick',
      benchmarks: benchmarks.map((id) => ({ id, params: CATALOGUE[id].profiles.quick })),
      guest: {
        vcpus: 1,
        memoryMiB: 512,
        diskFormat: 'qcow2',
        diskSizeMiB: 256,
        cacheMode: 'none',
        preallocation: 'off',
      },
      repetitions: {
        count: 5,
        warmup: 0,
        adaptive: {
          enabled: false,
          minRepetitions: 3,
          maxRepetitions: 20,
          targetCiPercent: 5,
          minSeconds: 0,
        },
      },
      expectations: [],
      ...(opts.config ?? {}),
    },
    skipped: [],
    formatVersion: 1,
  };
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify(experiment, null, 2));
  writeFileSync(
    join(dir, 'environment.json'),
    JSON.stringify({
      cpuModel: 'Test CPU',
      cores: 2,
      memoryMiB: 24576,
      kernel: '6.1',
      kvm: { devicePresent: false, deviceUsable: false },
    }),
  );
  writeFileSync(
    join(dir, 'samples.ndjson'),
    samples.map((s) => JSON.stringify(s)).join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'cells.json'),
    JSON.stringify(
      platforms.flatMap((platform) =>
        benchmarks.map((benchmark) => ({
          platform,
          benchmark,
          status: 'completed',
          measured: 5,
          failed: 0,
          warmup: 0,
        })),
      ),
    ),
  );
  const line = 'linpack: rep 1 of 5, 1.93 GFLOPS (residual 1.2e-13) ok\r\n';
  for (const p of platforms) {
    const size = opts.consoleBytes ?? 2000;
    writeFileSync(
      join(dir, 'consoles', `${p}.log`),
      line.repeat(Math.ceil(size / line.length)).slice(0, size),
    );
  }
  return dir;
}
