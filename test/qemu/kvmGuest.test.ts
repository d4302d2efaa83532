/**
 * qemu-kvm: a real KVM guest where /dev/kvm is usable (skipped elsewhere,
 * with the reason printed); where it is not, the platform must refuse with
 * that reason instead of quietly running TCG.
 */
import { describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { kvmPreflight } from '../../src/main/platforms/qemu/kvmPreflight';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';

const kvm = await kvmPreflight();
if (!kvm.available) console.log(`qemu-kvm real run skipped: ${kvm.reason} (fix: ${kvm.fix})`);

describe('qemu-kvm', () => {
  it.skipIf(!kvm.available)(
    'boots with KVM and QMP says kvm enabled',
    async () => {
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
      const ctx = prepareContext(cfg, s.dir);
      const session = await platform.prepare(ctx);
      try {
        expect(await session.meta()).toMatchObject({ accel: 'kvm', kvmEnabled: true });
        for (const b of cfg.benchmarks) {
          const o = await runners[b.id].run(session, b.params, {
            timeoutMs: 60_000,
            signal: ctx.signal,
          });
          expect(o.error).toBeUndefined();
        }
      } finally {
        await session.dispose();
        s.cleanup();
      }
      expect(qemuProcesses(s.dir)).toEqual([]);
    },
    300_000,
  );

  it.skipIf(kvm.available)(
    'where KVM is unusable: probe and prepare give the reason, and no QEMU starts',
    async () => {
      const s = scratchDir('nokvm');
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('kvm', {
        paths: qemuTestPaths(),
        tracker,
        scratchDir: s.dir,
      });
      try {
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
      } finally {
        s.cleanup();
      }
    },
  );
});
