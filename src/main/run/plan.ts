/**
 * Preflight of an experiment: which platforms are usable, which cells
 * (platform × benchmark) will run, which are skipped and why.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig, ResolvedBenchmark } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform } from '../platforms/platform';
import { notApplicableReason } from '../platforms/support';

export interface PlannedCell {
  platform: PlatformId;
  benchmark: ResolvedBenchmark;
  /** The target id (the platform id until the runner expands variants). */
  target: string;
}

export interface Skip {
  platform: PlatformId;
  benchmark?: BenchmarkId;
  reason: string;
  /** 'not-applicable': the platform lacks a capability (always skipped, never an error). */
  kind: 'unavailable' | 'not-applicable';
}

export interface ExperimentPlan {
  /** Platforms with at least one runnable cell, in config order. */
  platforms: { platform: Platform; cells: PlannedCell[] }[];
  skipped: Skip[];
}

function describeAvailability(a: {
  reason?: string | undefined;
  fix?: string | undefined;
}): string {
  const reason = a.reason ?? 'unavailable';
  return a.fix ? `${reason} (fix: ${a.fix})` : reason;
}

/** Probes every platform in the config and every benchmark on it. Never throws. */
export async function planExperiment(
  config: ExperimentConfig,
  platforms: readonly Platform[],
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>,
): Promise<ExperimentPlan> {
  const plan: ExperimentPlan = { platforms: [], skipped: [] };
  for (const id of config.platforms) {
    const platform = platforms.find((p) => p.id === id);
    if (!platform) {
      plan.skipped.push({
        platform: id,
        kind: 'unavailable',
        reason: `platform "${id}" is not built into this engine`,
      });
      continue;
    }
    const availability = await safeProbe(() => platform.probe(config));
    if (!availability.available) {
      plan.skipped.push({
        platform: id,
        kind: 'unavailable',
        reason: describeAvailability(availability),
      });
      continue;
    }
    const cells: PlannedCell[] = [];
    for (const bench of config.benchmarks) {
      const def = CATALOGUE[bench.id];
      const notApplicable = notApplicableReason(platform, def.requires);
      if (notApplicable !== null) {
        plan.skipped.push({
          platform: id,
          benchmark: bench.id,
          kind: 'not-applicable',
          reason: notApplicable,
        });
        continue;
      }
      if (!runners[bench.id]) {
        plan.skipped.push({
          platform: id,
          benchmark: bench.id,
          kind: 'unavailable',
          reason: `no runner for benchmark "${bench.id}" in this engine`,
        });
        continue;
      }
      const support = await safeProbe(() => platform.supports(bench.id));
      if (!support.available) {
        plan.skipped.push({
          platform: id,
          benchmark: bench.id,
          kind: 'unavailable',
          reason: describeAvailability(support),
        });
        continue;
      }
      cells.push({ platform: id, benchmark: bench, target: id });
    }
    if (cells.length > 0) plan.platforms.push({ platform, cells });
  }
  return plan;
}

async function safeProbe(
  f: () => Promise<{ available: boolean; reason?: string | undefined; fix?: string | undefined }>,
): Promise<{ available: boolean; reason?: string | undefined; fix?: string | undefined }> {
  try {
    return await f();
  } catch (e) {
    return {
      available: false,
      reason: `probe failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Human text for refused runs: one line per unavailable platform or cell. */
export function describeSkips(skips: Skip[]): string {
  return skips
    .map((s) => `${s.platform}${s.benchmark ? ` / ${s.benchmark}` : ''}: ${s.reason}`)
    .join('\n');
}
