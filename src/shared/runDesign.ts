/**
 * How a run's repetitions were taken (issue 19): its order, the instances of each target, the
 * A/A control, and where each sample sat (seed, round, position, instance, pause/resume times,
 * recorded in the sample's meta). Pure: the engine writes these facts, every view reads them here.
 */
import { z } from 'zod';
import { RunOrder, type ExperimentConfig } from './config';
import { PLATFORM_INFO, type PlatformId } from './platforms';
import type { Sample } from './sample';
import { metaOf, type SampleMetaFields, type SampleMetaKey } from './sampleMeta/registry';
import type { Observation } from './stats/paired';

/**
 * Instances per target where targets are compared and a guest or container is among them. Two
 * boots of one guest differ by a few percent (where memory lands, cache placement: Mytkowicz et
 * al., ASPLOS 2009): with one boot per target that difference is indistinguishable from an effect;
 * with 2 the spread between boots has 1 degree of freedom (a t of 12.7, an interval that says
 * nothing); 3 is the fewest for which Benchvisor states an interval at all (MIN_N_FOR_INTERVAL).
 */
export const DEFAULT_COMPARED_INSTANCES = 3;

/** The order a run used: a config or experiment.json without the field ran sequentially. */
export function runOrderOf(config: unknown): RunOrder {
  const reps = (config as { repetitions?: { order?: unknown } } | null)?.repetitions;
  const parsed = RunOrder.safeParse(reps?.order);
  return parsed.success ? parsed.data : 'sequential';
}

/** A saved config or a run's experiment.json without an order, read as the sequential run it was. */
export function withRecordedOrder<T>(config: T): T {
  if (config === null || typeof config !== 'object') return config;
  const c = config as { repetitions?: Record<string, unknown> };
  if (c.repetitions && typeof c.repetitions === 'object' && 'order' in c.repetitions) return config;
  return { ...c, repetitions: { ...(c.repetitions ?? {}), order: 'sequential' } } as T;
}

/** Does a platform keep a lasting session (a guest or container) that an instance is a boot of? */
export function hasInstances(platform: PlatformId): boolean {
  const info = PLATFORM_INFO[platform];
  // The library OS boots afresh for every repetition: each repetition is its own instance.
  return (info.kind === 'vm' || info.kind === 'container') && info.libraryOs !== true;
}

/** Instances per target: the config's, else DEFAULT_COMPARED_INSTANCES where it matters, else 1. */
export function instancesFor(
  config: Pick<ExperimentConfig, 'repetitions'>,
  targets: readonly { platform: PlatformId }[],
): number {
  if (config.repetitions.instances !== undefined) return config.repetitions.instances;
  const compared = targets.length >= 2;
  return compared && targets.some((t) => hasInstances(t.platform)) ? DEFAULT_COMPARED_INSTANCES : 1;
}

/** The keys a sample's meta carries about its place in the run (registered in sampleMeta/). */
const ORDER_KEYS = [
  'order',
  'seed',
  'round',
  'position',
  'instance',
  'group',
  'pauseMs',
  'resumeMs',
] as const satisfies readonly SampleMetaKey[];
export type SampleOrderMeta = Pick<SampleMetaFields, (typeof ORDER_KEYS)[number]>;

/** The order facts of a sample (the ones that parse; a malformed key is left out). */
export function sampleOrderOf(sample: Pick<Sample, 'meta'>): SampleOrderMeta {
  const out: Record<string, unknown> = {};
  for (const key of ORDER_KEYS) {
    const v = metaOf(sample.meta, key);
    if (v !== undefined) out[key] = v;
  }
  return out as SampleOrderMeta;
}

/** A successful sample as an Observation of the given value (its round and instance if recorded). */
export function observationOf(sample: Pick<Sample, 'meta'>, value: number): Observation {
  const o = sampleOrderOf(sample);
  return {
    value,
    ...(o.round !== undefined ? { round: o.round } : {}),
    ...(o.instance !== undefined ? { instance: o.instance } : {}),
  };
}

/** The recorded interleave groups (lists of target ids), or null when absent or malformed. */
function groupsOf(v: unknown): string[][] | null {
  const r = z.array(z.array(z.string()).min(1)).min(2).safeParse(v);
  return r.success ? r.data : null;
}

/** The order a run's list entry shows: from experiment.json's design, else its config. */
export function runOrderOfRecord(experiment: unknown): RunOrder {
  const e = (experiment ?? {}) as { design?: { order?: unknown }; config?: unknown };
  const d = RunOrder.safeParse(e.design?.order);
  return d.success ? d.data : runOrderOf(e.config);
}

/**
 * How a run's history, `show` and the reports name its order, from experiment.json (its
 * `design`, else the config's order; records without either ran sequentially).
 */
export function runOrderText(experiment: unknown): string {
  const e = (experiment ?? {}) as { design?: unknown; config?: unknown };
  const d = (e.design ?? {}) as {
    order?: unknown;
    instances?: unknown;
    seed?: unknown;
    groups?: unknown;
  };
  const order = runOrderOfRecord(experiment);
  const instances =
    typeof d.instances === 'number' && d.instances > 1
      ? `, ${d.instances} instances per target`
      : '';
  if (order === 'interleaved') {
    const seed = typeof d.seed === 'number' ? `seed ${d.seed}` : 'seed not recorded';
    const groups = groupsOf(d.groups);
    if (groups)
      return `interleaved rounds in ${groups.length} groups that fit the host, one group after another (${seed}${instances}; ${groups.map((g) => g.join(', ')).join(' | ')}); ratios paired by round within a group`;
    return `interleaved rounds (${seed}${instances}); ratios paired by round`;
  }
  return `sequential (one target after another${instances}); order and time are confounded`;
}
