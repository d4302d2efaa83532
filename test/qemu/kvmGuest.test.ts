/**
 * qemu-kvm. The real KVM guest runs where the runner says KVM is usable
 * (BENCHVISOR_EXPECT_KVM=1: then it must pass, a missing /dev/kvm fails it), or, with the switch
 * unset, where /dev/kvm opens read-write; elsewhere it is skipped with the reason. The refusal
 * path runs on every host with a preflight that is made to fail, and on a host without KVM also
 * with the real preflight.
 */
import { describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { kvmPreflight, type KvmProbeIO } from '../../src/main/platforms/qemu/kvmPreflight';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { hostHasKvm, KVM_SWITCH } from '../support/hostSwitches';
import { skipBecause } from '../support/skip';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';

const KVM_HOST = hostHasKvm();
const NO_KVM_REASON = `KVM is not usable on this host (${KVM_SWITCH} unset or 0 and /dev/kvm does not open read-write); a KVM runner sets ${KVM_SWITCH}=1`;

/** A host whose QEMU lacks the kvm accelerator: the preflight must refuse, whatever the host. */
const NO_KVM_IN_QEMU: KvmProbeIO = {
  cpuinfo: async () => 'flags\t: fpu sse2 vmx\n',
  moduleLoaded: async () => true,
  devKvmProblem: async () => null,
  qemuAccelHelp: async () => 'Accelerators supported in QEMU binary:\ntcg\n',
};

describe('qemu-kvm', () => {
  it('boots with KVM and QMP says kvm enabled', { timeout: 300_000 }, async (ctx) => {
    if (!KVM_HOST) {
      const pre = await kvmPreflight();
      skipBecause(ctx, `${NO_KVM_REASON}; preflight: ${pre.reason ?? 'available'}`);
    }
    const s = scratchDir('kvm');
    const runners = createBenchmarkRunners();
    const tracker = new ProcessTracker();
    const platform = createQemuPlatform('kvm', {
      paths: qemuTestPaths(),
      tracker,
      runners,
      scratchDir: s.dir,
    });
    const cfg = config({ platforms: ['qemu-kvm'], benchmarks: ['linpack', 'syscall'] });
    const ctxRun = prepareContext(cfg, s.dir);
    // On a KVM host a refusal here is a failure (not a skip): the preflight must say available.
    expect(await platform.probe()).toMatchObject({ available: true });
    const session = await platform.prepare(ctxRun);
    try {
      expect(await session.meta()).toMatchObject({ accel: 'kvm', kvmEnabled: true });
      for (const b of cfg.benchmarks) {
        const o = await runners[b.id].run(session, b.params, {
          timeoutMs: 60_000,
          signal: ctxRun.signal,
        });
        expect(o.error).toBeUndefined();
        expect(Object.keys(o.metrics).length).toBeGreaterThan(0);
      }
    } finally {
      await session.dispose();
      s.cleanup();
    }
    expect(qemuProcesses(s.dir)).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it('a preflight that fails: probe and prepare give the reason, and no QEMU starts (any host)', async () => {
    const s = scratchDir('nokvm');
    const tracker = new ProcessTracker();
    const platform = createQemuPlatform('kvm', {
      paths: qemuTestPaths(),
      tracker,
      scratchDir: s.dir,
      kvmProbe: NO_KVM_IN_QEMU,
    });
    try {
      const probe = await platform.probe();
      expect(probe.available).toBe(false);
      expect(probe.reason).toMatch(/^KVM is unavailable: .*does not list kvm/);
      expect(probe.fix).toMatch(/qemu-system-x86/);
      const ctx = prepareContext(config({ platforms: ['qemu-kvm'] }), s.dir);
      await expect(platform.prepare(ctx)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^KVM is unavailable: .*does not list kvm.*Fix: /),
      });
      expect(qemuProcesses(s.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    } finally {
      s.cleanup();
    }
  });

  it('on a host without KVM, the real preflight refuses with its reason', async (ctx) => {
    if (KVM_HOST)
      skipBecause(ctx, 'this host has KVM (the refusal is covered with a failing probe)');
    const s = scratchDir('nokvm-real');
    const tracker = new ProcessTracker();
    const platform = createQemuPlatform('kvm', {
      paths: qemuTestPaths(),
      tracker,
      scratchDir: s.dir,
    });
    try {
      const probe = await platform.probe();
      expect(probe.available).toBe(false);
      expect(probe.reason).toMatch(/^KVM is unavailable: /);
      expect(probe.fix).toBeTruthy();
      const ctxRun = prepareContext(config({ platforms: ['qemu-kvm'] }), s.dir);
      await expect(platform.prepare(ctxRun)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^KVM is unavailable: .*Fix: /),
      });
      expect(qemuProcesses(s.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    } finally {
      s.cleanup();
    }
  });
});
