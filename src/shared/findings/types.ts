/** A finding: an automatic diagnostic or a user expectation checked against the data. */
import { z } from 'zod';
import { expectationWord } from '../answer/words';

export const FindingSeverity = z.enum(['info', 'warn', 'problem']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

export const FindingSchema = z.object({
  /** Stable id: "<rule>:<subject>" ("kvm-inactive:qemu-kvm", "expectation:0"). */
  id: z.string(),
  severity: FindingSeverity,
  /** diagnostic: found by Benchvisor; expectation: one the user entered. */
  kind: z.enum(['diagnostic', 'expectation']),
  title: z.string(),
  explanation: z.string(),
  /** The numbers behind the finding, labelled ("KVM/TCG speed ratio": 1.02). */
  numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  /** For expectations: whether it held (absent: cannot check, or cannot tell yet). */
  held: z.boolean().optional(),
  /** For an expectation the data cannot decide yet: what would settle it. */
  settle: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * The badge of a finding: its severity, or for an expectation held / not held / cannot tell yet
 * (the data cannot decide it: `settle` says what would) / cannot check (the run lacks the data).
 */
export function findingLabel(f: Finding): string {
  if (f.kind === 'expectation') {
    if (f.held === undefined)
      return f.settle !== undefined ? expectationWord(undefined) : 'cannot check';
    return expectationWord(f.held);
  }
  return f.severity;
}
