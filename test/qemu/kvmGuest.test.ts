/**
 * qemu-kvm. The real KVM guest runs where the runner says KVM is usable
 * (BENCHVISOR_EXPECT_KVM=1: then it must pass, a missing /dev/kvm fails it), or, with the switch
 * unset, where /dev/kvm opens read-write; elsewhere it is skipped with the reason. There it also
 * runs LINPACK under TCG and asserts KVM ≥ 2× TCG, and that the guest sees the host's CPU vendor.
 * The refusal paths run on every host: a preflight made to fail, and stand-in QEMU binaries
 * (kvmWrappers.ts) that fail to initialise KVM with QEMU's real error text or quietly run TCG.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { kvmPreflight, type KvmProbeIO } from '../../src/main/qemu/kvmPreflight';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { hostHasKvm, KVM_SWITCH } from '../support/hostSwitches';
import { skipBecause } from '../support/skip';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';
import { failingKvmQemu, tcgInsteadOfKvmQemu } from './kvmWrappers';

const KVM_HOST = hostHasKvm();
const NO_KVM_REASON = `KVM is not usable on this host (${KVM_SWITCH} unset or 0 and /dev/kvm does not open read-write); a KVM runner sets ${KVM_SWITCH}=1`;
/** KVM runs LINPACK on the real CPU: at least this many times TCG's KFLOPS. */
const KVM_OVER_TCG_MIN = 2;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A host whose QEMU lacks the kvm accelerator: the preflight must refuse, whatever the host. */
const NO_KVM_IN_QEMU: KvmProbeIO = {
  cpuinfo: async () => 'flags\t: fpu sse2 vmx\n',
  moduleLoaded: async () => true,
  devKvmProblem: async () => null,
  qemuAccelHelp: async () => 'Accelerators supported in QEMU binary:\ntcg\n',
  trial: async () => ({ ok: true, detail: 'not reached' }),
};

/** A preflight that passes (the stand-in QEMU then fails, or runs TCG, at the real start). */
const PASSING_PROBE: KvmProbeIO = {
  ...NO_KVM_IN_QEMU,
  qemuAccelHelp: async () => 'tcg\nkvm\n',
  trial: async () => ({ ok: true, detail: 'stand-in' }),
};

function hostCpuVendor(): string {
  const m = /^vendor_id\s*:\s*(\S+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m?.[1] ?? 'unknown';
}

describe('qemu-kvm', () => {
  // The file's one KVM guest (and the one TCG guest it is compared with), booted once each.
  it(
    'boots with KVM (QMP: enabled), the host CPU vendor in the guest, LINPACK ≥ 2× TCG',
    { timeout: 900_000 },
    async (ctx) => {
      if (!KVM_HOST) {
        const pre = await kvmPreflight();
        skipBecause(ctx, `${NO_KVM_REASON}; preflight: ${pre.reason ?? 'available'}`);
      }
      const s = scratchDir('kvm');
      cleanups.push(s.cleanup);
      const runners = createBenchmarkRunners();
      const kflops: Record<string, number> = {};
      for (const accel of ['kvm', 'tcg'] as const) {
        const tracker = new ProcessTracker();
        const platform = createQemuPlatform(accel, {
          paths: qemuTestPaths(),
          tracker,
          runners,
          scratchDir: s.dir,
        });
        // On a KVM host a refusal here is a failure (not a skip): the preflight must say available.
        expect(await platform.probe()).toMatchObject({ available: true });
        const cfg = config({
          platforms: [accel === 'kvm' ? 'qemu-kvm' : 'qemu-tcg'],
          benchmarks: ['linpack', 'syscall'],
        });
        const ctxRun = prepareContext(cfg, join(s.dir, accel));
        const session = await platform.prepare(ctxRun);
        try {
          const meta = await session.meta();
          expect(meta).toMatchObject({ accel, kvmEnabled: accel === 'kvm' });
          if (accel === 'kvm') expect(meta.cpuVendor).toBe(hostCpuVendor());
          for (const b of cfg.benchmarks) {
            const o = await runners[b.id].run(session, b.params, {
              timeoutMs: 300_000,
              signal: ctxRun.signal,
            });
            expect(o.error).toBeUndefined();
            expect(Object.keys(o.metrics).length).toBeGreaterThan(0);
            if (b.id === 'linpack') kflops[accel] = o.metrics.kflops!;
          }
        } finally {
          await session.dispose();
        }
        expect(tracker.size).toBe(0);
      }
      console.log(`LINPACK KFLOPS: kvm ${kflops.kvm}, tcg ${kflops.tcg}`);
      expect(kflops.kvm!).toBeGreaterThanOrEqual(KVM_OVER_TCG_MIN * kflops.tcg!);
      expect(qemuProcesses(s.dir)).toEqual([]);
    },
  );

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

  // Its own (stand-in) guest: the subject is the refusal during the boot itself.
  it(
    'a QEMU that runs TCG when asked for KVM: query-kvm enabled=false → UNAVAILABLE, guest stopped',
    { timeout: 300_000 },
    async () => {
      const s = scratchDir('kvm-as-tcg');
      cleanups.push(s.cleanup);
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('kvm', {
        paths: qemuTestPaths(),
        tracker,
        scratchDir: s.dir,
        qemuBinary: tcgInsteadOfKvmQemu(join(s.dir, 'bin')),
        kvmProbe: PASSING_PROBE,
      });
      const ctx = prepareContext(config({ platforms: ['qemu-kvm'] }), s.dir);
      await expect(platform.prepare(ctx)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(
          /query-kvm says KVM is not enabled; refusing to run it as TCG/,
        ),
      });
      expect(qemuProcesses(s.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
  );

  it.each([
    ['EBUSY', /another hypervisor/],
    ['EPERM', /--device \/dev\/kvm/],
    ['EACCES', /usermod -aG kvm/],
  ] as const)(
    'QEMU fails to initialise KVM (%s) after the preflight: UNAVAILABLE with the fix, no QEMU left',
    { timeout: 120_000 },
    async (errno, fix) => {
      const s = scratchDir(`kvm-${errno}`);
      cleanups.push(s.cleanup);
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('kvm', {
        paths: qemuTestPaths(),
        tracker,
        scratchDir: s.dir,
        qemuBinary: failingKvmQemu(join(s.dir, 'bin'), errno),
        kvmProbe: PASSING_PROBE,
      });
      const ctx = prepareContext(config({ platforms: ['qemu-kvm'] }), s.dir);
      const e = await platform.prepare(ctx).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'UNAVAILABLE' });
      const message = (e as Error).message;
      expect(message).toContain(`(${errno})`);
      expect(message).toMatch(fix);
      expect(qemuProcesses(s.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
  );
});
