/** What the findings rules look at, and small helpers to read it. */
import { metaOf, type SampleMetaKey, type SampleMetaValue } from '../sampleMeta/registry';
import type { BenchmarkId } from '../catalogue';
import { ExpectationSchema } from '../config';
import type { Expectation } from '../config';
import { PLATFORM_IDS, PLATFORM_INFO, type PlatformId } from '../platforms';
import type { Sample } from '../sample';
import type { CellSummary, Summary } from '../stats/summaryTypes';
import { targetLabelOf, targetOf } from '../targets';
import { formatNumber, formatPercent } from '../format';

export interface FindingsInput {
  samples: readonly Sample[];
  /** summarize(samples) (computed once by the caller). */
  summary: Summary;
  /** environment.json of the run (shape owned by the engine; read defensively). */
  environment?: unknown;
  /** The run's resolved config (experiment.json `config`), for guest shape and expectations. */
  config?: unknown;
  /** What the run skipped and why (experiment.json `skipped`: [{platform, benchmark?, reason}]). */
  skipped?: unknown;
}

/**
 * A target seen in the run: a platform with one combination of the varied guest shape
 * (shared/targets.ts). In runs without variants, and in bundles from before them, each
 * platform is one target whose id is the platform id, so every rule below reads them as before.
 */
export interface RunTarget {
  id: string;
  platform: PlatformId;
  /** For titles: the platform's title when nothing varies, else the target's label. */
  title: string;
}

function labelFromSamples(samples: readonly Sample[], id: string, platform: PlatformId): string {
  if (id === platform) return PLATFORM_INFO[platform].title;
  for (const x of samples) {
    const label = targetOf(x) === id ? metaOf(x.meta, 'targetLabel') : undefined;
    if (label !== undefined) return label;
  }
  return targetLabelOf(platform, id);
}

/** Every target in the samples: platforms in run order, a platform's targets in the order they ran. */
export function targetsIn(samples: readonly Sample[]): RunTarget[] {
  const seen = new Map<string, RunTarget>();
  for (const s of samples) {
    const id = targetOf(s);
    if (!seen.has(id))
      seen.set(id, { id, platform: s.platform, title: labelFromSamples(samples, id, s.platform) });
  }
  const order = PLATFORM_IDS as readonly string[];
  return [...seen.values()].sort((a, b) => order.indexOf(a.platform) - order.indexOf(b.platform));
}

/** The targets of one platform in the samples (run order). */
export function targetsOf(samples: readonly Sample[], platform: PlatformId): RunTarget[] {
  return targetsIn(samples).filter((t) => t.platform === platform);
}

/**
 * The target of `other` that has the same variant values as `target` (its id with the platform
 * swapped: `qemu-kvm.raw` ↔ `qemu-tcg.raw`); when `other` ran as one target, that one.
 */
export function counterpartOf(
  samples: readonly Sample[],
  target: RunTarget,
  other: PlatformId,
): RunTarget | undefined {
  const candidates = targetsOf(samples, other);
  const suffix = target.id.slice(target.platform.length);
  return (
    candidates.find((t) => t.id === `${other}${suffix}`) ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}

/** The main-metric cell of a target (a platform id names the platform's only target) × benchmark. */
export function mainCellOf(
  summary: Summary,
  target: string,
  benchmark: BenchmarkId,
): CellSummary | undefined {
  return summary.cells.find((c) => targetOf(c) === target && c.benchmark === benchmark && c.main);
}

/**
 * The value of a registered meta key across a target's samples (the distinct values seen; a
 * value without the registered shape is left out).
 */
export function metaValues<K extends SampleMetaKey>(
  samples: readonly Sample[],
  target: string,
  key: K,
): SampleMetaValue<K>[] {
  const seen: SampleMetaValue<K>[] = [];
  for (const s of samples) {
    if (targetOf(s) !== target) continue;
    const v = metaOf(s.meta, key);
    if (v === undefined) continue;
    if (!seen.some((x) => JSON.stringify(x) === JSON.stringify(v))) seen.push(v);
  }
  return seen;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Host core count from environment.json, if recorded. */
export function hostCores(environment: unknown): number | null {
  if (isRecord(environment) && typeof environment.cores === 'number') return environment.cores;
  return null;
}

/** KVM facts from environment.json, if recorded. */
export function hostKvm(
  environment: unknown,
): { devicePresent?: boolean; deviceUsable?: boolean } | null {
  if (!isRecord(environment) || !isRecord(environment.kvm)) return null;
  const k = environment.kvm;
  return {
    devicePresent: typeof k.devicePresent === 'boolean' ? k.devicePresent : undefined,
    deviceUsable: typeof k.deviceUsable === 'boolean' ? k.deviceUsable : undefined,
  };
}

/** environment.hostVirtualized: true when the host itself runs under a hypervisor. */
export function hostVirtualized(environment: unknown): boolean | null {
  if (isRecord(environment) && typeof environment.hostVirtualized === 'boolean')
    return environment.hostVirtualized;
  return null;
}

/** config.guest.cacheMode / config.expectations, read defensively from an unknown config. */
export function configCacheMode(config: unknown): string | null {
  if (!isRecord(config) || !isRecord(config.guest)) return null;
  return typeof config.guest.cacheMode === 'string' ? config.guest.cacheMode : null;
}

export function configExpectations(config: unknown): Expectation[] {
  if (!isRecord(config) || !Array.isArray(config.expectations)) return [];
  return config.expectations.flatMap((e) => {
    const p = ExpectationSchema.safeParse(e);
    return p.success ? [p.data] : [];
  });
}

/** Rounds for display in `numbers` (keeps 4 significant digits). */
export function round(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(4));
}

/** Percent and numbers in explanations: the one number format (shared/format.ts). */
export const pct = formatPercent;
export const num = formatNumber;
