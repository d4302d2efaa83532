/**
 * Preflight of an experiment: which platforms are usable, which cells (target × benchmark)
 * will run, which are skipped and why. A platform is probed once (its targets share its tools,
 * kernel and benchmark support); the plan lists each of its targets with the target's cells.
 */
import { CATALOGUE, type BenchmarkId } from '../../shared/catalogue';
import type { ExperimentConfig, ResolvedBenchmark } from '../../shared/config';
import type { PlatformId } from '../../shared/platforms';
import type { Target } from '../../shared/targets';
import type { BenchmarkRunner } from '../benchmarks/types';
import type { Platform } from '../platforms/platform';
import { notApplicableReason } from '../platforms/support';

export interface PlannedCell {
  platform: PlatformId;
  benchmark: ResolvedBenchmark;
  /** The target id (the platform id when nothing varies for it). */
  target: string;
}

/** One target of a usable platform and the cells it will run. */
export interface PlannedTarget {
  platform: Platform;
  target: Target;
  cells: PlannedCell[];
}

export interface Skip {
  platform: PlatformId;
  benchmark?: BenchmarkId;
  reason: string;
  /** 'not-applicable': the platform lacks a capability (always skipped, never an error). */
  kind: 'unavailable' | 'not-applicable';
}

export interface ExperimentPlan {
  /** Targets with at least one runnable cell, in target order (platforms in config order). */
  targets: PlannedTarget[];
  skipped: Skip[];
}

function describeAvailability(a: {
  reason?: string | undefined;
  fix?: string | undefined;
}): string {
  const reason = a.reason ?? 'unavailable';
  return a.fix ? `${reason} (fix: ${a.fix})` : reason;
}

/** Probes every platform of the targets and every benchmark on it. Never throws. */
export async function planExperiment(
  config: ExperimentConfig,
  targets: readonly Target[],
  platforms: readonly Platform[],
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>,
): Promise<ExperimentPlan> {
  const plan: ExperimentPlan = { targets: [], skipped: [] };
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
    const runnable = await runnableBenchmarks(config, platform, runners, plan.skipped);
    if (runnable.length === 0) continue;
    for (const target of targets.filter((t) => t.platform === id))
      plan.targets.push({
        platform,
        target,
        cells: runnable.map((benchmark) => ({ platform: id, benchmark, target: target.id })),
      });
  }
  return plan;
}

/** The config's benchmarks this platform can run here; the others go to `skipped` with why. */
async function runnableBenchmarks(
  config: ExperimentConfig,
  platform: Platform,
  runners: Partial<Record<BenchmarkId, BenchmarkRunner>>,
  skipped: Skip[],
): Promise<ResolvedBenchmark[]> {
  const id = platform.id;
  const availability = await safeProbe(() => platform.probe(config));
  if (!availability.available) {
    skipped.push({ platform: id, kind: 'unavailable', reason: describeAvailability(availability) });
    return [];
  }
  const out: ResolvedBenchmark[] = [];
  for (const bench of config.benchmarks) {
    const skip = (kind: Skip['kind'], reason: string) =>
      skipped.push({ platform: id, benchmark: bench.id, kind, reason });
    const notApplicable = notApplicableReason(platform, CATALOGUE[bench.id].requires);
    if (notApplicable !== null) {
      skip('not-applicable', notApplicable);
      continue;
    }
    if (!runners[bench.id]) {
      skip('unavailable', `no runner for benchmark "${bench.id}" in this engine`);
      continue;
    }
    const support = await safeProbe(() => platform.supports(bench.id));
    if (!support.available) {
      skip('unavailable', describeAvailability(support));
      continue;
    }
    out.push(bench);
  }
  return out;
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
