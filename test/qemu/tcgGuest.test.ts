/**
 * Real TCG guests: boot, run the benchmarks through the agent, check the
 * meta comes from QMP, and that no qemu process survives a finished or a
 * cancelled run. One boot per disk configuration.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BENCHMARK_IDS } from '../../src/shared/catalogue';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import {
  config,
  prepareContext,
  qemuProcesses,
  qemuTestPaths,
  scratchDir,
  waitFor,
} from './helpers';

const paths = qemuTestPaths();
const runners = createBenchmarkRunners();
const REP_TIMEOUT_MS = 120_000;
/** Generous: TCG on a busy 2-core machine is slow (boot alone can take 30 s under load). */
const TEST_TIMEOUT_MS = 600_000;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function setup(name: string) {
  const scratch = scratchDir(`qemu-${name}`);
  cleanups.push(scratch.cleanup);
  const tracker = new ProcessTracker();
  const platform = createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: scratch.dir });
  return { scratch: scratch.dir, tracker, platform };
}

describe('qemu-tcg guest (real QEMU)', () => {
  it(
    'qcow2 + cache=none: all six benchmarks, live console, meta from QMP, nothing left afterwards',
    async () => {
      const { scratch, tracker, platform } = setup('qcow2');
      expect((await platform.probe()).available).toBe(true);
      const cfg = config({
        benchmarks: [...BENCHMARK_IDS],
        guest: {
          diskFormat: 'qcow2',
          cacheMode: 'none',
          preallocation: 'metadata',
          diskSizeMiB: 64,
        },
      });
      const ctx = prepareContext(cfg, scratch);
      const session = await platform.prepare(ctx);
      try {
        expect(qemuProcesses(scratch).length).toBe(1);
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

        for (const bench of cfg.benchmarks) {
          const outcome = await runners[bench.id].run(session, bench.params, {
            timeoutMs: REP_TIMEOUT_MS,
            signal: ctx.signal,
          });
          expect(outcome.error, `${bench.id}: ${outcome.error}`).toBeUndefined();
          expect(outcome.exitCode).toBe(0);
          expect(Object.keys(outcome.metrics).length).toBeGreaterThan(0);
        }
        // nginx twice in a row: the second start must find the port free again
        const nginx = cfg.benchmarks.find((b) => b.id === 'nginx')!;
        const again = await runners.nginx.run(session, nginx.params, {
          timeoutMs: REP_TIMEOUT_MS,
          signal: ctx.signal,
        });
        expect(again.error).toBeUndefined();

        // typing reaches the guest shell on the serial console
        expect(session.write('echo bv-$((6*7))\r')).toBe(true);
        expect(await waitFor(() => ctx.consoleText().includes('bv-42'), 30_000)).toBe(true);
        // benchmark progress (stderr in the guest) shows up on the console
        expect(ctx.consoleText()).toMatch(/linpack: .*KFLOPS/);
      } finally {
        await session.dispose();
      }
      expect(qemuProcesses(scratch)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'raw + cache=writeback: diskwrite on the block device; cancel mid-run; a killed guest fails later runs',
    async () => {
      const { scratch, tracker, platform } = setup('raw');
      const cfg = config({
        benchmarks: ['diskwrite'],
        guest: {
          diskFormat: 'raw',
          cacheMode: 'writeback',
          preallocation: 'falloc',
          diskSizeMiB: 64,
        },
      });
      const ctx = prepareContext(cfg, scratch);
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

        // cancel a long repetition: CANCELLED, and the guest stays usable
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

        // the guest dies: the next run fails with GUEST_FAILED and says why
        const [pid] = qemuProcesses(scratch);
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
      expect(qemuProcesses(scratch)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'cancelling while the guest boots leaves no qemu process behind',
    async () => {
      const { scratch, tracker, platform } = setup('cancel');
      const ctx = prepareContext(config({}), scratch);
      // Cancel on the guest's first console output: QEMU is running and the kernel is booting,
      // and the agent cannot have answered yet (no poll racing the boot).
      let qemuAtCancel = -1;
      ctx.console = {
        data: () => {
          if (ctx.signal.aborted) return;
          qemuAtCancel = qemuProcesses(scratch).length;
          ctx.controller.abort();
        },
      };
      await expect(platform.prepare(ctx)).rejects.toThrow(/cancel/i);
      expect(qemuAtCancel).toBe(1);
      expect(qemuProcesses(scratch)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
