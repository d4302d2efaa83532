/** Findings: automatic diagnostics and the user's expectations, from samples + environment + config. */
import { DIAGNOSTICS } from './diagnostics';
import { aaControl } from './control';
import { checkExpectations } from './expectations';
import { configExpectations } from './context';
import type { FindingsInput } from './context';
import type { Finding } from './types';

export * from './types';
export type { FindingsInput } from './context';
export { checkExpectations } from './expectations';
export * from './diagnostics';
export * from './hostNoise';
export * from './stability';
export { VARIANT_FINDING_PREFIX } from './variants';
export { CONTROL_FINDING_PREFIX } from './control';

const SEVERITY_ORDER = { problem: 0, warn: 1, info: 2 } as const;

/** Every finding for a run: problems first, then warnings, then information; expectations last. */
export function computeFindings(input: FindingsInput): Finding[] {
  const diagnostics = DIAGNOSTICS.flatMap((rule) => rule(input)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  // The A/A control first: it says how far the run's other verdicts can be trusted.
  return [
    ...aaControl(input),
    ...diagnostics,
    ...checkExpectations(configExpectations(input.config), input.summary),
  ];
}
export * from './groups';
export { EMULATION_FINDING_PREFIX, COMPUTE_BOUND } from './emulation';
