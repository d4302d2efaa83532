/**
 * Which target ratios are taken against, and what a reference picker offers. Native is the
 * default; a run with variants but without native starts from its first target ("qcow2
 * relative to raw"); a run without either has no reference, as before variants.
 */
import { PLATFORM_IDS, PLATFORM_INFO, REFERENCE_PLATFORM, type PlatformId } from '../platforms';
import type { Sample } from '../sample';
import { targetLabelOf, targetOf } from '../targets';

export interface ReferenceChoice {
  /** Target id (the platform id when nothing varies for it). */
  id: string;
  platform: PlatformId;
  /** "Native", "QEMU TCG · raw · none". */
  label: string;
}

/** Every target in the samples, platforms in run order and a platform's targets as they ran. */
export function referenceChoices(samples: readonly Sample[]): ReferenceChoice[] {
  const seen = new Map<string, ReferenceChoice>();
  for (const s of samples) {
    const id = targetOf(s);
    if (seen.has(id)) continue;
    const label =
      id === s.platform ? PLATFORM_INFO[s.platform].title : targetLabelOf(s.platform, id);
    seen.set(id, { id, platform: s.platform, label });
  }
  const order = PLATFORM_IDS as readonly string[];
  return [...seen.values()].sort((a, b) => order.indexOf(a.platform) - order.indexOf(b.platform));
}

/** The reference a view starts with (see the file comment); undefined: no ratios. */
export function defaultReference(samples: readonly Sample[]): string | undefined {
  const choices = referenceChoices(samples);
  const native = choices.find((c) => c.platform === REFERENCE_PLATFORM);
  if (native) return native.id;
  const variants = choices.some((c) => c.id !== c.platform);
  return variants ? choices[0]?.id : undefined;
}
