/**
 * Pairs of targets that differ in exactly one variant field ("qcow2 · none" against
 * "raw · none"), read from the resolved shape every sample records in meta
 * (shared/targets.ts targetShape). Runs without variants have one target per platform and
 * so no pairs; the rules in this folder then say nothing.
 */
import { metaOf } from '../../sampleMeta/registry';
import { PLATFORM_INFO } from '../../platforms';
import type { Sample } from '../../sample';
import { targetOf } from '../../targets';
import { VARIANT_FIELDS, type VariantField } from '../../variants';
import { targetsIn, type RunTarget } from '../context';

export type VariantValue = string | number;

export interface VariantPair {
  field: VariantField;
  /** The side whose effect is described ("qcow2", "writeback", "2 vCPUs") … */
  a: RunTarget;
  aValue: VariantValue;
  /** … against this one (the baseline: "raw", "none", "1 vCPU"). */
  b: RunTarget;
  bValue: VariantValue;
  /** What both share: "QEMU TCG, cache=none" (platform and the other varied fields). */
  context: string;
}

/** A value as findings name it: "qcow2", "cache=writeback", "2 vCPUs", "1024 MiB". */
export function valueName(field: VariantField, v: VariantValue): string {
  switch (field) {
    case 'cacheMode':
      return `cache=${v}`;
    case 'preallocation':
      return `preallocation=${v}`;
    case 'vcpus':
      return `${v} vCPU${v === 1 ? '' : 's'}`;
    case 'memoryMiB':
      return `${v} MiB`;
    case 'network':
      return `${v} network`;
    case 'diskOn':
      return `disk on ${v}`;
    default:
      return String(v);
  }
}

/** The variant fields a target's samples record (fields that apply to its platform). */
function shapeOf(samples: readonly Sample[], id: string): Map<VariantField, VariantValue> {
  const shape = new Map<VariantField, VariantValue>();
  const s = samples.find((x) => targetOf(x) === id);
  if (!s) return shape;
  for (const { field } of VARIANT_FIELDS) {
    const v = metaOf(s.meta, field);
    if (typeof v === 'string' || typeof v === 'number') shape.set(field, v);
  }
  return shape;
}

/**
 * Every pair of targets of one platform that differ in `field` and nothing else, oriented by
 * `isEffectSide(x, y)` (true: x is the side described, y the baseline).
 */
export function variantPairs(
  samples: readonly Sample[],
  field: VariantField,
  isEffectSide: (x: VariantValue, y: VariantValue) => boolean,
): VariantPair[] {
  const targets = targetsIn(samples);
  const shapes = new Map(targets.map((t) => [t.id, shapeOf(samples, t.id)]));
  const out: VariantPair[] = [];
  targets.forEach((x, i) => {
    for (const y of targets.slice(i + 1)) {
      if (x.platform !== y.platform) continue;
      const sx = shapes.get(x.id) as Map<VariantField, VariantValue>;
      const sy = shapes.get(y.id) as Map<VariantField, VariantValue>;
      const fields = new Set([...sx.keys(), ...sy.keys()]);
      const differing = [...fields].filter((f) => sx.get(f) !== sy.get(f));
      if (differing.length !== 1 || differing[0] !== field) continue;
      const vx = sx.get(field) as VariantValue;
      const vy = sy.get(field) as VariantValue;
      const [a, aValue, b, bValue] = isEffectSide(vx, vy) ? [x, vx, y, vy] : [y, vy, x, vx];
      // The other fields that vary between this platform's targets name the pair's context.
      const varying = [...fields].filter(
        (f) =>
          f !== field &&
          new Set(
            targets.filter((t) => t.platform === x.platform).map((t) => shapes.get(t.id)?.get(f)),
          ).size > 1,
      );
      const context = [
        PLATFORM_INFO[x.platform].shortTitle,
        ...varying.map((f) => valueName(f, sx.get(f) as VariantValue)),
      ].join(', ');
      out.push({ field, a, aValue, b, bValue, context });
    }
  });
  return out;
}

/** Orders values by a list (earlier = baseline); values not in it come last. */
export function baselineFirst(order: readonly VariantValue[]) {
  return (x: VariantValue, y: VariantValue): boolean => {
    const ix = order.indexOf(x);
    const iy = order.indexOf(y);
    return (ix === -1 ? order.length : ix) > (iy === -1 ? order.length : iy);
  };
}
