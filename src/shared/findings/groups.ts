/**
 * Where a finding goes on a results page: the answer's "why" (issues and explanations, as
 * one-line headlines), the measurement-quality panel (host load, noise, warm-ups: folded into
 * one summary line), the variants' effects, the user's expectations, or plain information.
 */
import { EMULATION_FINDING_PREFIX } from './emulation';
import type { Finding } from './types';
import { VARIANT_FINDING_PREFIX } from './variants';

export type FindingGroup = 'why' | 'quality' | 'variant' | 'expectation' | 'info';

/** Rules about how well the host let the run measure (ids before their first ':'). */
const QUALITY_RULES = new Set([
  'other-load',
  'cpu-steal',
  'frequency-scaling',
  'high-cv',
  'warmup',
]);
/** Information that explains a big effect of the answer: shown with the why, not folded. */
const EXPLANATION_PREFIXES = [EMULATION_FINDING_PREFIX];

export function ruleOf(f: Finding): string {
  const i = f.id.indexOf(':');
  return i < 0 ? f.id : f.id.slice(0, i);
}

export function findingGroup(f: Finding): FindingGroup {
  if (f.kind === 'expectation') return 'expectation';
  if (f.id.startsWith(VARIANT_FINDING_PREFIX)) return 'variant';
  if (QUALITY_RULES.has(ruleOf(f))) return 'quality';
  if (EXPLANATION_PREFIXES.some((p) => f.id.startsWith(p))) return 'why';
  return f.severity === 'info' ? 'info' : 'why';
}

/**
 * One line for the measurement-quality panel: "Measurement quality: Other processes used 114% of
 * a CPU (and 3 more like it); CV 14% on Fork sum" or "… nothing detected".
 */
export function qualitySummary(findings: readonly Finding[]): string {
  const quality = findings.filter((f) => findingGroup(f) === 'quality');
  if (quality.length === 0)
    return 'Measurement quality: no host load, noise or warm-up effect detected';
  const byRule = new Map<string, Finding[]>();
  for (const f of quality) byRule.set(ruleOf(f), [...(byRule.get(ruleOf(f)) ?? []), f]);
  const parts = [...byRule.values()].map((fs) => {
    const first = fs[0] as Finding;
    return fs.length === 1 ? first.title : `${first.title} (and ${fs.length - 1} more like it)`;
  });
  return `Measurement quality: ${parts.join('; ')}`;
}

/** Whether the quality panel should open by itself: a problem, or a verdict it may explain. */
export function qualityMatters(findings: readonly Finding[], undecidedCells: number): boolean {
  const quality = findings.filter((f) => findingGroup(f) === 'quality');
  return (
    quality.some((f) => f.severity === 'problem') || (quality.length > 0 && undecidedCells > 0)
  );
}
