import { afterAll, describe, expect, it } from 'vitest';
import {
  cpuVirtualizationFlag,
  kvmAvailability,
  kvmPreflight,
  runKvmChecks,
  type KvmProbeIO,
} from '../../src/main/qemu/kvmPreflight';
import { devKvmUsable, hostHasKvm, KVM_SWITCH } from '../support/hostSwitches';

const GOOD: KvmProbeIO = {
  cpuinfo: async () => 'processor\t: 0\nflags\t\t: fpu vme sse2 vmx ept\n',
  moduleLoaded: async () => true,
  devKvmProblem: async () => null,
  qemuAccelHelp: async () => 'Accelerators supported in QEMU binary:\ntcg\nkvm\n',
  trial: async () => ({ ok: true, detail: 'QEMU started with KVM' }),
};
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('KVM preflight', () => {
  it('is available when every check and the trial pass', async () => {
    const a = await kvmPreflight(GOOD);
    expect(a.available).toBe(true);
    expect(a.details?.['cpu-virtualization']).toMatch(/^ok: .*vmx/);
    expect(a.details?.['kvm-vendor-module']).toMatch(/^ok: .*kvm_intel/);
    expect(a.details?.['kvm-trial']).toMatch(/^ok: QEMU started with KVM/);
  });

  it('kvm without the vendor module for the CPU flag is not enough (Intel and AMD)', async () => {
    const onlyKvm = { moduleLoaded: async (name: string) => name === 'kvm' };
    const intel = await kvmPreflight({ ...GOOD, ...onlyKvm });
    expect(intel.available).toBe(false);
    expect(intel.reason).toMatch(/advertises vmx but the kvm_intel module is not loaded/);
    expect(intel.fix).toMatch(/modprobe kvm_intel/);
    const amd = await kvmPreflight({
      ...GOOD,
      ...onlyKvm,
      cpuinfo: async () => 'flags : fpu svm npt\n',
    });
    expect(amd.reason).toMatch(/kvm_amd module is not loaded/);
    expect(amd.fix).toMatch(/modprobe kvm_amd/);
  });

  it('the trial runs last and only when the other checks pass; its failure is the reason', async () => {
    let trials = 0;
    const failing: KvmProbeIO = {
      ...GOOD,
      trial: async () => {
        trials++;
        return {
          ok: false,
          failure: { errno: 'EBUSY', reason: 'creating a VM failed (EBUSY)', fix: 'stop it' },
        };
      },
    };
    const a = await kvmPreflight(failing);
    expect(a).toMatchObject({
      available: false,
      reason: 'KVM is unavailable: creating a VM failed (EBUSY)',
      fix: 'stop it',
    });
    expect(trials).toBe(1);
    await kvmPreflight({ ...failing, devKvmProblem: async () => 'missing' });
    expect(trials).toBe(1);
  });

  it.each([
    [
      'cpu-virtualization',
      { cpuinfo: async () => 'flags\t: fpu sse2 hypervisor\n' },
      /neither vmx .* nor svm/,
      /firmware|nested/,
    ],
    [
      'kvm-module',
      { moduleLoaded: async () => false },
      /kvm kernel module is not loaded/,
      /modprobe kvm_intel/,
    ],
    [
      'dev-kvm missing',
      { devKvmProblem: async () => 'missing' as const },
      /\/dev\/kvm does not exist/,
      /modprobe|--device/,
    ],
    [
      'dev-kvm not rw',
      { devKvmProblem: async () => 'not-rw' as const },
      /not readable and writable/,
      /usermod -aG kvm/,
    ],
    [
      'qemu without kvm',
      { qemuAccelHelp: async () => 'Accelerators supported in QEMU binary:\ntcg\n' },
      /does not list kvm/,
      /qemu-system-x86/,
    ],
    [
      'qemu missing',
      { qemuAccelHelp: async () => null },
      /could not be run/,
      /apt-get install qemu-system-x86/,
    ],
  ])('%s: reason and fix', async (_name, override, reason, fix) => {
    const a = await kvmPreflight({ ...GOOD, ...override });
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(reason);
    expect(a.fix).toMatch(fix);
  });

  it('names every failed check in the reason; the fix is the first one', async () => {
    const checks = await runKvmChecks({
      ...GOOD,
      cpuinfo: async () => 'flags : fpu\n',
      devKvmProblem: async () => 'missing',
    });
    const a = kvmAvailability(checks);
    expect(a.reason).toMatch(/neither vmx.*; \/dev\/kvm does not exist/);
    expect(a.fix).toMatch(/nested/);
  });

  it('reads svm on AMD', () => {
    expect(cpuVirtualizationFlag('flags : fpu svm\n')).toBe('svm');
    expect(cpuVirtualizationFlag('flags : fpu\n')).toBeNull();
  });

  it('on this machine: agrees with the host switch (or /dev/kvm itself) and states the reason', async () => {
    const a = await kvmPreflight();
    // Printed so the test log records why KVM is (un)available here.
    console.log(
      `KVM preflight on this machine: ${a.available ? 'available' : `${a.reason} — fix: ${a.fix}`}`,
    );
    // The expectation comes from the runner (BENCHVISOR_EXPECT_KVM) or from opening /dev/kvm
    // ourselves, never from the preflight under test.
    const expected = hostHasKvm();
    expect(a.available, `${KVM_SWITCH}=${process.env[KVM_SWITCH] ?? '(unset)'}`).toBe(expected);
    if (!expected) {
      expect(a.reason).toMatch(/^KVM is unavailable: /);
      expect(a.fix).toBeTruthy();
      // Where this process cannot open /dev/kvm, the reason must say so.
      if (!devKvmUsable()) expect(a.reason).toMatch(/\/dev\/kvm/);
    }
  });
});
