/**
 * Real TCG guests: one guest (qcow2 + cache=none) boots once for this file and its tests reuse
 * it: the six benchmarks through the agent (the platform-level benchmark matrix for TCG), the
 * meta from QMP, the live console (typing, Ctrl-C), a cancelled repetition. Two tests start their
 * own guest because their subject is the guest's end: a killed guest, and a cancel while it
 * boots. The file checks that no qemu process of its own survives.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCHMARK_IDS } from '../../src/shared/catalogue';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import type { PlatformSession } from '../../src/main/platforms/platform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { oncePerFile } from '../support/oncePerFile';
import {
  config,
  prepareContext,
  qemuProcesses,
  qemuTestPaths,
  scratchDir,
  waitFor,
  type TestContext,
} from './helpers';

const paths = qemuTestPaths();
const runners = createBenchmarkRunners();
const REP_TIMEOUT_MS = 120_000;
/** Generous: TCG on a busy 2-core machine is slow (boot alone can take 30 s under load). */
const TEST_TIMEOUT_MS = 600_000;
/** Far below the 100 s sleep: the prompt must come back because of Ctrl-C, not the timer. */
const PROMPT_BACK_MS = 30_000;
const CTRL_C = '\x03';
/** Every guest of this file lives under this folder: the leftover check is scoped to it. */
const fileScratch = scratchDir('qemu-tcg-file');
// Registered before the shared guest's hooks, so it runs after its close and leftover check.
afterAll(() => fileScratch.cleanup());

/** A platform whose guests live in a folder of their own under the file's scratch folder. */
function platformIn(name: string) {
  const dir = join(fileScratch.dir, name);
  mkdirSync(dir);
  const tracker = new ProcessTracker();
  const platform = createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: dir });
  return { dir, tracker, platform };
}

const guestConfig = config({
  benchmarks: [...BENCHMARK_IDS],
  guest: { diskFormat: 'qcow2', cacheMode: 'none', preallocation: 'metadata', diskSizeMiB: 64 },
});

const guest = oncePerFile<{
  session: PlatformSession;
  ctx: TestContext;
  tracker: ProcessTracker;
  dir: string;
}>({
  what: 'the qcow2 TCG guest',
  async open() {
    const { dir, tracker, platform } = platformIn('shared');
    expect((await platform.probe()).available).toBe(true);
    const ctx = prepareContext(guestConfig, dir);
    return { session: await platform.prepare(ctx), ctx, tracker, dir };
  },
  async close({ session, tracker }) {
    await session.dispose();
    expect(tracker.size).toBe(0);
  },
  leftovers: () => qemuProcesses(fileScratch.dir),
});

describe('qemu-tcg guest (real QEMU, one boot for the file)', () => {
  it('one qemu process, the disk on /dev/vda, the meta from QMP', async () => {
    const { session, dir } = guest();
    expect(qemuProcesses(dir)).toHaveLength(1);
    expect(session.diskTarget).toBe('/dev/vda');
    const meta = await session.meta();
    expect(meta).toMatchObject({
      accel: 'tcg',
      kvmEnabled: false,
      vcpus: 1,
      memoryMiB: 512,
      diskFormat: 'qcow2',
      cacheMode: 'none',
      preallocation: 'metadata',
    });
    expect(typeof meta.qemuVersion).toBe('string');
  });

  // The full benchmark matrix on a TCG guest runs here, once (the other layers use one).
  it(
    'all six benchmarks through the agent; nginx twice; progress on the live console',
    async () => {
      const { session, ctx } = guest();
      for (const bench of guestConfig.benchmarks) {
        const outcome = await runners[bench.id].run(session, bench.params, {
          timeoutMs: REP_TIMEOUT_MS,
          signal: ctx.signal,
        });
        expect(outcome.error, `${bench.id}: ${outcome.error}`).toBeUndefined();
        expect(outcome.exitCode).toBe(0);
        expect(Object.keys(outcome.metrics).length).toBeGreaterThan(0);
      }
      // nginx twice in a row: the second start must find the port free again
      const nginx = guestConfig.benchmarks.find((b) => b.id === 'nginx')!;
      const again = await runners.nginx.run(session, nginx.params, {
        timeoutMs: REP_TIMEOUT_MS,
        signal: ctx.signal,
      });
      expect(again.error).toBeUndefined();
      // benchmark progress (stderr in the guest) shows up on the console
      expect(ctx.consoleText()).toMatch(/linpack: .*KFLOPS/);
    },
    TEST_TIMEOUT_MS,
  );

  it('typing reaches the guest shell on the serial console', async () => {
    const { session, ctx } = guest();
    expect(session.write('echo bv-$((6*7))\r')).toBe(true);
    expect(await waitFor(() => ctx.consoleText().includes('bv-42'), 30_000)).toBe(true);
  });

  // The serial chardev has signal=off: Ctrl-C reaches the guest shell, not QEMU.
  it('Ctrl-C interrupts `sleep 100` in the guest shell; QEMU stays alive', async () => {
    const { session, ctx, dir } = guest();
    expect(session.write('echo bv-up-$((20+1))\r')).toBe(true);
    expect(await waitFor(() => ctx.consoleText().includes('bv-up-21'), 60_000)).toBe(true);
    session.write('echo bv-sleeping-$((1+1)); sleep 100\r');
    expect(await waitFor(() => ctx.consoleText().includes('bv-sleeping-2'), 30_000)).toBe(true);
    // give sleep a moment to be the foreground job, then interrupt it
    await new Promise((r) => setTimeout(r, 1000));
    const interruptedAt = Date.now();
    expect(session.write(CTRL_C)).toBe(true);
    session.write('echo bv-back-$((3*3))\r');
    const back = await waitFor(() => ctx.consoleText().includes('bv-back-9'), PROMPT_BACK_MS);
    expect(back, `console after Ctrl-C:\n${ctx.consoleText().slice(-1500)}`).toBe(true);
    expect(Date.now() - interruptedAt).toBeLessThan(PROMPT_BACK_MS);
    // QEMU is still alive and answering QMP
    expect(qemuProcesses(dir)).toHaveLength(1);
    expect(await session.meta()).toMatchObject({ accel: 'tcg', kvmEnabled: false });
  });

  it('a cancelled repetition ends CANCELLED and the guest stays usable', async () => {
    const { session, dir } = guest();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1500);
    const cancelled = await session.exec({
      binary: 'linpack',
      args: ['--size', '200', '--seconds', '600'],
      timeoutMs: REP_TIMEOUT_MS,
      signal: ac.signal,
    });
    expect(cancelled.failure?.code).toBe('CANCELLED');
    const after = await session.exec({
      binary: 'syscall',
      args: ['--count', '1000'],
      timeoutMs: REP_TIMEOUT_MS,
    });
    expect(after.exitCode).toBe(0);
    expect(qemuProcesses(dir)).toHaveLength(1);
  });

  // Its own guest: the subject is the guest's death, which the shared guest must not suffer.
  // That guest boots the other disk setup (raw + cache=writeback, falloc).
  it(
    'raw + cache=writeback: diskwrite on the block device; a killed guest fails later runs',
    async () => {
      const { dir, tracker, platform } = platformIn('killed');
      const cfg = config({
        benchmarks: ['diskwrite'],
        guest: {
          diskFormat: 'raw',
          cacheMode: 'writeback',
          preallocation: 'falloc',
          diskSizeMiB: 64,
        },
      });
      const ctx = prepareContext(cfg, dir);
      const session = await platform.prepare(ctx);
      try {
        expect(await session.meta()).toMatchObject({
          accel: 'tcg',
          kvmEnabled: false,
          diskFormat: 'raw',
          cacheMode: 'writeback',
          preallocation: 'falloc',
        });
        const disk = await runners.diskwrite.run(session, cfg.benchmarks[0]!.params, {
          timeoutMs: REP_TIMEOUT_MS,
          signal: ctx.signal,
        });
        expect(disk.error).toBeUndefined();
        expect(disk.metrics.mbps).toBeGreaterThan(0);

        // the guest dies: the next run fails with GUEST_FAILED and says why
        const [pid] = qemuProcesses(dir);
        process.kill(pid!, 'SIGKILL');
        const dead = await session.exec({
          binary: 'syscall',
          args: ['--count', '1000'],
          timeoutMs: REP_TIMEOUT_MS,
        });
        expect(dead.failure?.code).toBe('GUEST_FAILED');
        expect(dead.failure?.message).toMatch(
          /QEMU was killed by signal|agent connection closed|guest stopped/,
        );
      } finally {
        await session.dispose();
      }
      expect(qemuProcesses(dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  // Its own guest: the subject is a cancel during the boot itself.
  it(
    'cancelling while the guest boots leaves no qemu process behind',
    async () => {
      const { dir, tracker, platform } = platformIn('cancel');
      const ctx = prepareContext(config({}), dir);
      const pending = platform.prepare(ctx);
      let settled = false;
      pending.then(
        () => (settled = true),
        () => (settled = true),
      );
      // Cancel as soon as QEMU runs: the kernel then takes many seconds to boot under TCG, so
      // the cancel lands mid-boot (and prepare must honour a cancel in every window anyway).
      expect(await waitFor(() => settled || qemuProcesses(dir).length > 0, 60_000)).toBe(true);
      const qemuAtCancel = qemuProcesses(dir).length;
      ctx.controller.abort();
      await expect(pending).rejects.toMatchObject({
        code: 'CANCELLED',
        message: expect.stringMatching(/cancelled while the guest booted/),
      });
      expect(qemuAtCancel).toBe(1);
      expect(qemuProcesses(dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
