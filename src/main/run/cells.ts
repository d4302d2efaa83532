/** Per-cell (platform × benchmark) records written to cells.json, and the sample lines of a cell. */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig, ResolvedBenchmark } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { Sample } from '../../shared/sample';
import type { AdaptiveRule } from '../../shared/stats/adaptive';
import type { RepetitionOutcome } from '../benchmarks/types';

export type { CellRecord } from '../../shared/run';

/** The adaptive stop rule of a config. */
export function adaptiveRule(config: ExperimentConfig): AdaptiveRule {
  const a = config.repetitions.adaptive;
  return {
    minRepetitions: a.minRepetitions,
    maxRepetitions: a.maxRepetitions,
    targetCiPercent: a.targetCiPercent,
    minSeconds: a.minSeconds,
  };
}

/** Main metric key and unit of a benchmark. */
export function mainMetricOf(id: BenchmarkId): { key: string; unit: string } {
  const def = CATALOGUE[id];
  return {
    key: def.mainMetric,
    unit: def.metrics.find((m) => m.key === def.mainMetric)?.unit ?? '',
  };
}

export interface SampleContext {
  runId: string;
  platform: PlatformId;
  /** The target id (platform × variant values). */
  target: string;
  bench: ResolvedBenchmark;
  rep: number;
  startedAt: string;
}

/** The sample line of a measured repetition (value null when it failed). */
export function measuredSample(
  ctx: SampleContext,
  out: RepetitionOutcome,
  meta: Record<string, unknown>,
): Sample {
  const { key, unit } = mainMetricOf(ctx.bench.id);
  const value = out.error ? null : (out.metrics[key] ?? null);
  const error = out.error ?? (value === null ? `the result has no "${key}" metric` : undefined);
  const sample: Sample = {
    runId: ctx.runId,
    platform: ctx.platform,
    target: ctx.target,
    benchmark: ctx.bench.id,
    rep: ctx.rep,
    metric: key,
    value,
    unit,
    metrics: out.metrics,
    startedAt: ctx.startedAt,
    durationMs: out.durationMs,
    exitCode: out.exitCode,
    meta: { ...meta, ...out.meta, params: ctx.bench.params },
  };
  if (error !== undefined) sample.error = error;
  return sample;
}

/** The sample line of a repetition that never ran (platform failed to prepare or died). */
export function failedSample(
  ctx: SampleContext,
  reason: string,
  meta: Record<string, unknown> = {},
): Sample {
  const { key, unit } = mainMetricOf(ctx.bench.id);
  return {
    runId: ctx.runId,
    platform: ctx.platform,
    target: ctx.target,
    benchmark: ctx.bench.id,
    rep: ctx.rep,
    metric: key,
    value: null,
    unit,
    metrics: {},
    startedAt: ctx.startedAt,
    durationMs: 0,
    exitCode: null,
    error: reason,
    meta: { ...meta, params: ctx.bench.params },
  };
}
