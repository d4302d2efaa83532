/**
 * unikernel-kvm, with the same accelerator truth as qemu-kvm. Where the runner says KVM is usable
 * (BENCHVISOR_EXPECT_KVM=1: then it must pass; unset: where /dev/kvm opens read-write) the real
 * KVM boot runs: query-kvm enabled in the repetition's facts, LINPACK at least 2× unikernel-tcg.
 * Elsewhere it is skipped with the reason. On every host: a preflight made to fail refuses with
 * exactly qemu-kvm's words, and a stand-in QEMU that quietly runs TCG is refused per repetition.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { UnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import type { KvmProbeIO } from '../../src/main/qemu/kvmPreflight';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from '../qemu/helpers';
import { NO_KVM_IN_QEMU_PROBE, PASSING_KVM_PROBE, tcgInsteadOfKvmQemu } from '../qemu/kvmWrappers';
import { hostHasKvm, KVM_SWITCH } from '../support/hostSwitches';
import { skipBecause } from '../support/skip';
import { buildImages } from './helpers';

const KVM_HOST = hostHasKvm();
const NO_KVM_REASON = `KVM is not usable on this host (${KVM_SWITCH} unset or 0 and /dev/kvm does not open read-write); a KVM runner sets ${KVM_SWITCH}=1`;
/** KVM runs LINPACK on the real CPU: at least this many times TCG's KFLOPS. */
const KVM_OVER_TCG_MIN = 2;
const runners = createBenchmarkRunners();

let images: ReturnType<typeof buildImages>;
let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  images = buildImages();
  scratch = scratchDir('ukvm');
});
afterAll(() => {
  images?.cleanup();
  scratch?.cleanup();
});

function unikernel(
  accel: 'tcg' | 'kvm',
  tracker: ProcessTracker,
  extra: { kvmProbe?: KvmProbeIO; qemuBinary?: string } = {},
): UnikernelPlatform {
  return new UnikernelPlatform(accel, {
    paths: { resourcesDir: '/nonexistent' },
    imageDir: images.dir,
    tracker,
    runners,
    scratchDir: scratch.dir,
    ...extra,
  });
}

describe('unikernel-kvm', () => {
  it(
    'boots with KVM (query-kvm enabled in every repetition), LINPACK ≥ 2× unikernel-tcg',
    { timeout: 600_000 },
    async (ctx) => {
      if (!KVM_HOST) skipBecause(ctx, NO_KVM_REASON);
      const kflops: Record<string, number> = {};
      for (const accel of ['kvm', 'tcg'] as const) {
        const tracker = new ProcessTracker();
        const platform = unikernel(accel, tracker);
        // On a KVM host a refusal here is a failure (not a skip): the preflight must say available.
        expect(await platform.probe()).toMatchObject({ available: true });
        const cfg = config({
          platforms: [`unikernel-${accel}`],
          benchmarks: ['linpack', 'syscall'],
          guest: { memoryMiB: 256 },
        });
        const run = prepareContext(cfg, join(scratch.dir, accel));
        const session = await platform.prepare(run);
        try {
          for (const b of cfg.benchmarks) {
            const o = await runners[b.id].run(session, b.params, {
              timeoutMs: 300_000,
              signal: run.signal,
            });
            expect(o.error).toBeUndefined();
            expect(o.meta).toMatchObject({ kvmEnabled: accel === 'kvm' });
            if (b.id === 'linpack') kflops[accel] = o.metrics.kflops!;
          }
        } finally {
          await session.dispose();
        }
        expect(tracker.size).toBe(0);
      }
      console.log(`unikernel LINPACK KFLOPS: kvm ${kflops.kvm}, tcg ${kflops.tcg}`);
      expect(kflops.kvm!).toBeGreaterThanOrEqual(KVM_OVER_TCG_MIN * kflops.tcg!);
      expect(qemuProcesses(scratch.dir)).toEqual([]);
    },
  );

  it('a preflight that fails: probe and prepare say exactly what qemu-kvm says; no QEMU starts', async () => {
    const tracker = new ProcessTracker();
    const uni = unikernel('kvm', tracker, { kvmProbe: NO_KVM_IN_QEMU_PROBE });
    const qemu = createQemuPlatform('kvm', {
      paths: qemuTestPaths(),
      tracker,
      scratchDir: scratch.dir,
      kvmProbe: NO_KVM_IN_QEMU_PROBE,
    });
    const [u, q] = [await uni.probe(), await qemu.probe()];
    expect(u.available).toBe(false);
    expect(u.reason).toMatch(/^KVM is unavailable: .*does not list kvm/);
    expect({ reason: u.reason, fix: u.fix }).toEqual({ reason: q.reason, fix: q.fix });
    const run = prepareContext(config({ platforms: ['unikernel-kvm'] }), scratch.dir);
    const e = await uni.prepare(run).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^KVM is unavailable: .*does not list kvm.*Fix: /),
    });
    const runQ = prepareContext(config({ platforms: ['qemu-kvm'] }), scratch.dir);
    const eq = await qemu.prepare(runQ).catch((x: unknown) => x);
    expect((e as Error).message).toBe((eq as Error).message);
    expect(qemuProcesses(scratch.dir)).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it('on a host without KVM, the real preflight refuses with qemu-kvm’s reason and fix', async (ctx) => {
    if (KVM_HOST)
      skipBecause(ctx, 'this host has KVM (the refusal is covered with a failing probe)');
    const tracker = new ProcessTracker();
    const u = await unikernel('kvm', tracker).probe();
    const q = await createQemuPlatform('kvm', {
      paths: qemuTestPaths(),
      tracker,
      scratchDir: scratch.dir,
    }).probe();
    expect(u.available).toBe(false);
    expect(u.reason).toMatch(/^KVM is unavailable: /);
    expect(u.fix).toBeTruthy();
    expect({ reason: u.reason, fix: u.fix }).toEqual({ reason: q.reason, fix: q.fix });
    expect(tracker.size).toBe(0);
  });

  it(
    'a QEMU that runs TCG when asked for KVM: the repetition is refused (query-kvm), no QEMU left',
    { timeout: 300_000 },
    async () => {
      const tracker = new ProcessTracker();
      const platform = unikernel('kvm', tracker, {
        kvmProbe: PASSING_KVM_PROBE,
        qemuBinary: tcgInsteadOfKvmQemu(join(scratch.dir, 'bin')),
      });
      const cfg = config({
        platforms: ['unikernel-kvm'],
        benchmarks: [{ id: 'syscall', params: { count: 1000 } }],
        guest: { memoryMiB: 128 },
      });
      const run = prepareContext(cfg, join(scratch.dir, 'as-tcg'));
      const session = await platform.prepare(run);
      try {
        const b = cfg.benchmarks[0]!;
        const o = await runners[b.id].run(session, b.params, {
          timeoutMs: 120_000,
          signal: run.signal,
        });
        expect(o.error).toMatch(/query-kvm says KVM is not enabled; refusing to run it as TCG/);
        expect(o.metrics).toEqual({});
      } finally {
        await session.dispose();
      }
      expect(qemuProcesses(scratch.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
  );
});
