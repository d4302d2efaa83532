/** Findings that explain a variant's effect (targets differing in exactly one field). */
import { cacheModeEffects } from './cacheMode';
import { diskFormatEffects, preallocationEffects } from './diskFormat';
import { memoryEffects } from './memory';
import { vcpuEffects } from './vcpus';

export { VARIANT_FINDING_PREFIX } from './effect';
export { variantPairs, valueName, type VariantPair } from './pairs';

export const VARIANT_FINDINGS = [
  diskFormatEffects,
  preallocationEffects,
  cacheModeEffects,
  vcpuEffects,
  memoryEffects,
];
