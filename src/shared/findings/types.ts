/** A finding: an automatic diagnostic or a user expectation checked against the data. */
import { z } from 'zod';

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
  /** For expectations: whether it held. */
  held: z.boolean().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** The badge of a finding: its severity, or for an expectation whether it held. */
export function findingLabel(f: Finding): string {
  if (f.kind === 'expectation')
    return f.held === undefined ? 'cannot check' : f.held ? 'held' : 'not held';
  return f.severity;
}
