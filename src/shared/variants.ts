/**
 * Variant fields: the guest-shape fields and container options an experiment may
 * vary over a list of values ("raw and qcow2"). Pure schema helpers; expansion into
 * targets is in targets.ts.
 */
import { z } from 'zod';
import { PLATFORM_INFO, type ContainerOption, type GuestField, type PlatformId } from './platforms';

/** Guest-shape fields that may take a list of values, in the order ids and labels name them. */
export const GUEST_VARIANT_FIELDS = [
  'diskFormat',
  'cacheMode',
  'preallocation',
  'vcpus',
  'memoryMiB',
] as const satisfies readonly GuestField[];
export type GuestVariantField = (typeof GUEST_VARIANT_FIELDS)[number];

/** Container options that may take a list of values. */
export const CONTAINER_VARIANT_FIELDS = [
  'network',
  'diskOn',
] as const satisfies readonly ContainerOption[];

export type VariantField = GuestVariantField | ContainerOption;

/** Every variant field in naming order, with the config section it lives in. */
export const VARIANT_FIELDS: readonly { field: VariantField; section: 'guest' | 'docker' }[] = [
  ...GUEST_VARIANT_FIELDS.map((field) => ({ field, section: 'guest' as const })),
  ...CONTAINER_VARIANT_FIELDS.map((field) => ({ field, section: 'docker' as const })),
];

/** At most this many values per field: a sweep is a handful of settings, not a scan. */
export const MAX_VALUES_PER_FIELD = 8;

/**
 * At most this many targets (platform × variant values) per experiment: every
 * target is prepared (boot, container) and measured in turn, so the run time
 * grows with the count; 16 covers raw/qcow2 × two caches × two vCPU counts on two
 * machines.
 */
export const MAX_TARGETS = 16;

/** Does this variant field apply to the platform (from its traits, never its name)? */
export function fieldApplies(platform: PlatformId, field: VariantField): boolean {
  const info = PLATFORM_INFO[platform];
  return (
    (info.guestFields as readonly string[]).includes(field) ||
    (info.containerOptions as readonly string[]).includes(field)
  );
}

/**
 * The number of targets (platform × the lists that apply to it), or the reason it
 * exceeds MAX_TARGETS, naming each platform's fields and counts.
 */
export function targetCountProblem(
  platforms: readonly PlatformId[],
  lists: Partial<Record<VariantField, readonly unknown[]>>,
): string | null {
  let total = 0;
  const counts: string[] = [];
  for (const platform of platforms) {
    const applied = VARIANT_FIELDS.filter(
      ({ field }) => (lists[field]?.length ?? 0) > 1 && fieldApplies(platform, field),
    );
    const n = applied.reduce((p, { field }) => p * (lists[field]?.length ?? 1), 1);
    total += n;
    if (applied.length > 0)
      counts.push(
        `${platform}: ${applied.map(({ field, section }) => `${section}.${field} (${lists[field]?.length ?? 0})`).join(' × ')} = ${n}`,
      );
  }
  if (total <= MAX_TARGETS) return null;
  return `too many targets: ${total} (at most ${MAX_TARGETS}); ${counts.join('; ')}. Give fewer values in the fields named here.`;
}

/**
 * A field that takes one value or a list of distinct values. The single form keeps
 * its default (old configs parse unchanged); the list's items are the same schema.
 */
export function listable<T extends z.ZodType>(field: z.ZodDefault<T>) {
  const item = field.unwrap() as T;
  const list = z
    .array(item)
    .min(1, 'give at least one value')
    .max(MAX_VALUES_PER_FIELD, `at most ${MAX_VALUES_PER_FIELD} values`)
    .refine((a) => new Set(a).size === a.length, 'a value is listed twice');
  return z.union([field, list], {
    // Say what is wrong with the form the input has (a list: which item), not "Invalid input".
    error: (iss) => {
      const errors = (iss as { errors?: { message: string; path: PropertyKey[] }[][] }).errors;
      const relevant = Array.isArray(iss.input) ? errors?.[1] : errors?.[0];
      const first = relevant?.[0];
      if (!first) return undefined;
      const at = first.path.length > 0 ? `value ${first.path.map(String).join('.')}: ` : '';
      return `${at}${first.message}`;
    },
  });
}
