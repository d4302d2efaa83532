/**
 * qemu-kvm: a real KVM guest where KVM works (skipped elsewhere, with the
 * reason printed; BENCHVISOR_EXPECT_KVM=1 turns that skip into a failure, for
 * CI runners that do have KVM). Where KVM is unusable, the platform must
 * refuse with the reason instead of quietly running TCG; stand-in QEMU
 * binaries (kvmWrappers.ts) make the failures after the preflight happen here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { kvmPreflight, type KvmProbeIO } from '../../src/main/platforms/qemu/kvmPreflight';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';
import { failingKvmQemu, tcgInsteadOfKvmQemu } from './kvmWrappers';

/** Set on runners that have KVM: a KVM that does not work fails the suite instead of skipping. */
export const ENV_EXPECT_KVM = 'BENCHVISOR_EXPECT_KVM';
/** KVM runs LINPACK on the real CPU: at least this many times TCG's KFLOPS. */
const KVM_OVER_TCG_MIN = 2;

const kvm = await kvmPreflight();
const expectKvm = process.env[ENV_EXPECT_KVM] === '1';
if (!kvm.available)
  console.log(
    `qemu-kvm real run ${expectKvm ? 'REQUIRED but' : 'skipped:'} ${kvm.reason} (fix: ${kvm.fix})`,
  );
const runKvm = kvm.available || expectKvm;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A preflight that passes (the stand-in QEMU then fails, or runs TCG, at the real start). */
const PASSING_PROBE: KvmProbeIO = {
  cpuinfo: async () => 'flags : fpu vmx\n',
  moduleLoaded: async () => true,
  devKvmProblem: async () => null,
  qemuAccelHelp: async () => 'tcg\nkvm\n',
  trial: async () => ({ ok: true, detail: 'stand-in' }),
};

function hostCpuVendor(): string {
  const m = /^vendor_id\s*:\s*(\S+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m?.[1] ?? 'unknown';
}

describe('qemu-kvm', () => {
  it.runIf(runKvm)(
    'boots with KVM (QMP: enabled), the host CPU vendor in the guest, LINPACK ≥ 2× TCG',
    async () => {
      expect(kvm.available, `${ENV_EXPECT_KVM}=1 but: ${kvm.reason} (fix: ${kvm.fix})`).toBe(true);
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
        const cfg = config({
          platforms: [accel === 'kvm' ? 'qemu-kvm' : 'qemu-tcg'],
          benchmarks: ['linpack'],
        });
        const ctx = prepareContext(cfg, join(s.dir, accel));
        const session = await platform.prepare(ctx);
        try {
          const meta = await session.meta();
          expect(meta).toMatchObject({ accel, kvmEnabled: accel === 'kvm' });
          if (accel === 'kvm') expect(meta.guestCpuVendor).toBe(hostCpuVendor());
          const b = cfg.benchmarks[0]!;
          const o = await runners.linpack.run(session, b.params, {
            timeoutMs: 300_000,
            signal: ctx.signal,
          });
          expect(o.error).toBeUndefined();
          kflops[accel] = o.metrics.kflops!;
        } finally {
          await session.dispose();
        }
      }
      console.log(`LINPACK KFLOPS: kvm ${kflops.kvm}, tcg ${kflops.tcg}`);
      expect(kflops.kvm!).toBeGreaterThanOrEqual(KVM_OVER_TCG_MIN * kflops.tcg!);
      expect(qemuProcesses(s.dir)).toEqual([]);
    },
    600_000,
  );

  it.skipIf(kvm.available)(
    'where KVM is unusable: probe and prepare give the reason, and no QEMU starts',
    async () => {
      const s = scratchDir('nokvm');
      cleanups.push(s.cleanup);
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('kvm', {
        paths: qemuTestPaths(),
        tracker,
        scratchDir: s.dir,
      });
      const probe = await platform.probe();
      expect(probe.available).toBe(false);
      expect(probe.reason).toBe(kvm.reason);
      expect(probe.fix).toBeTruthy();
      const ctx = prepareContext(config({ platforms: ['qemu-kvm'] }), s.dir);
      await expect(platform.prepare(ctx)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^KVM is unavailable: .*Fix: /),
      });
      expect(qemuProcesses(s.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
  );

  it('a QEMU that runs TCG when asked for KVM: query-kvm enabled=false → UNAVAILABLE, guest stopped', async () => {
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
  }, 300_000);

  it.each([
    ['EBUSY', /another hypervisor/],
    ['EPERM', /--device \/dev\/kvm/],
    ['EACCES', /usermod -aG kvm/],
  ] as const)(
    'QEMU fails to initialise KVM (%s) after the preflight: UNAVAILABLE with the fix, no QEMU left',
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
    120_000,
  );
});
