/**
 * The registry of sample meta keys (as pyperf registers its metadata): every key a writer may
 * put in a sample's `meta`, with its value's schema, one line on what it records and who writes
 * it. Writers are typed against it (`SampleMetaFields`: a platform's session facts, a runner's
 * outcome); readers go through `metaOf`, which returns a registered key's value only when it has
 * the registered shape. A stored sample's meta stays an open record: keys an older or newer
 * version wrote load and are kept (exports show them), they are just not typed.
 */
import type { z } from 'zod';
import type { MetaKey } from './define';
import { CONTAINER_KEYS } from './keys/containerKeys';
import { GUEST_KEYS } from './keys/guestKeys';
import { HOST_FACT_KEYS } from './keys/hostFactKeys';
import { LOAD_KEYS } from './keys/loadKeys';
import { RUN_KEYS } from './keys/runKeys';
import { SHAPE_KEYS } from './keys/shapeKeys';

/** The groups the registry is made of (a key is registered in exactly one). */
export const SAMPLE_META_GROUPS = {
  run: RUN_KEYS,
  shape: SHAPE_KEYS,
  guest: GUEST_KEYS,
  hostFacts: HOST_FACT_KEYS,
  container: CONTAINER_KEYS,
  load: LOAD_KEYS,
} as const;

export const SAMPLE_META = {
  ...RUN_KEYS,
  ...SHAPE_KEYS,
  ...GUEST_KEYS,
  ...HOST_FACT_KEYS,
  ...CONTAINER_KEYS,
  ...LOAD_KEYS,
} as const;

export type SampleMetaKey = keyof typeof SAMPLE_META;
export type SampleMetaValue<K extends SampleMetaKey> = z.infer<(typeof SAMPLE_META)[K]['schema']>;
/** What a writer records: registered keys with their registered types, all optional. */
export type SampleMetaFields = { [K in SampleMetaKey]?: SampleMetaValue<K> };
/** A sample's meta as stored and loaded: registered keys and any other (kept, untyped). */
export type StoredSampleMeta = Record<string, unknown>;

const REGISTRY: Readonly<Record<string, MetaKey>> = SAMPLE_META;

export function isMetaKey(key: string): key is SampleMetaKey {
  return Object.hasOwn(REGISTRY, key);
}

/** A registered key's value in a meta record, when it has the registered shape (else undefined). */
export function metaOf<K extends SampleMetaKey>(
  meta: StoredSampleMeta,
  key: K,
): SampleMetaValue<K> | undefined {
  if (!Object.hasOwn(meta, key)) return undefined;
  const r = REGISTRY[key]!.schema.safeParse(meta[key]);
  return r.success ? (r.data as SampleMetaValue<K>) : undefined;
}

/** metaOf for a sample. */
export function sampleMeta<K extends SampleMetaKey>(
  sample: { meta: StoredSampleMeta },
  key: K,
): SampleMetaValue<K> | undefined {
  return metaOf(sample.meta, key);
}

/** Registered keys whose value does not have the registered shape, as `key: why` lines. */
export function metaProblems(meta: StoredSampleMeta): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(meta)) {
    if (!isMetaKey(key)) continue;
    const r = REGISTRY[key]!.schema.safeParse(value);
    if (!r.success) out.push(`${key}: ${r.error.issues[0]?.message ?? 'not the registered shape'}`);
  }
  return out;
}

/** Keys of a meta record that no one registered (an older or newer version's). */
export function unregisteredKeys(meta: StoredSampleMeta): string[] {
  return Object.keys(meta).filter((k) => !isMetaKey(k));
}
