/**
 * Explicit switches a runner sets to say what its host offers, so that expectations never
 * follow the code under test (a KVM preflight that always said "unavailable" must not make the
 * KVM tests quietly skip on a KVM runner).
 *
 *   BENCHVISOR_EXPECT_KVM=1   this runner has usable KVM: the KVM tests must run and pass
 *                             (a missing /dev/kvm is a failure, never a skip)
 *   BENCHVISOR_EXPECT_KVM=0   this runner has no KVM: the "unavailable" path is asserted
 *   (unset)                   decided from /dev/kvm itself (opened read-write by the test, not
 *                             by the preflight), and the KVM-only run is skipped with a reason
 *                             when it is not usable
 */
import { accessSync, constants } from 'node:fs';

export const KVM_SWITCH = 'BENCHVISOR_EXPECT_KVM';

/** true / false when the runner said so, undefined when it did not. */
export function expectKvmSwitch(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const v = env[KVM_SWITCH];
  if (v === undefined || v === '') return undefined;
  if (v === '1') return true;
  if (v === '0') return false;
  throw new Error(`${KVM_SWITCH} must be 1, 0 or unset (got "${v}")`);
}

/** Whether this process can open /dev/kvm for reading and writing (the test's own look). */
export function devKvmUsable(path = '/dev/kvm'): boolean {
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether this host is expected to run KVM guests: the switch, else /dev/kvm itself. */
export function hostHasKvm(env: NodeJS.ProcessEnv = process.env): boolean {
  return expectKvmSwitch(env) ?? devKvmUsable();
}
