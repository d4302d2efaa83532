/** Direction-aware labels shared by plots, reports and the results page. */
import { CATALOGUE } from '../catalogue';
import type { BenchmarkId, Direction } from '../catalogue';
import { PLATFORM_INFO } from '../platforms';
import type { PlatformId } from '../platforms';
import { targetLabelOf } from '../targets';
import { formatNumber, metricName } from '../format';

export function directionText(direction: Direction): string {
  return direction === 'higher' ? 'higher is better' : 'lower is better';
}

/** "KFLOPS — higher is better", "Time (s) — lower is better". */
export function axisTitle(
  benchmark: BenchmarkId,
  metric: string,
  unit: string,
  direction: Direction,
): string {
  const def = CATALOGUE[benchmark].metrics.find((m) => m.key === metric);
  const label = def?.label ?? metric;
  const name = metricName(label, unit);
  return `${name} — ${directionText(direction)}`;
}

/** Axis title of the normalised view ("Native", or a target's label: "QEMU TCG · raw"). */
export function normalizedAxisTitle(referenceTitle: string): string {
  return `Relative performance (${referenceTitle} = 1) — higher is better`;
}

/**
 * A target's name on charts: the platform's short title when the target is the platform
 * itself (runs without variants, bundles from before them), else its label ("QEMU TCG · qcow2").
 */
export function targetShort(platform: PlatformId, target?: string | null): string {
  return !target || target === platform ? platformShort(platform) : targetLabelOf(platform, target);
}

export function platformTitle(platform: PlatformId): string {
  return PLATFORM_INFO[platform]?.title ?? platform;
}

/** Short platform names for chart axes and legends (the platform's traits). */
export function platformShort(platform: PlatformId): string {
  return PLATFORM_INFO[platform]?.shortTitle ?? platform;
}

export function benchmarkTitle(benchmark: BenchmarkId): string {
  return CATALOGUE[benchmark]?.title ?? benchmark;
}

/** Compact number for labels, tables and reports: the one number format (shared/format.ts). */
export const formatValue = formatNumber;
