/**
 * Pausing a real TCG guest (issue 19, idle targets do not compete): QMP stop leaves the guest
 * "paused" with its QEMU process, console and agent alive; cont lets it run on and a benchmark
 * runs through the agent again; disposing a paused guest leaves no qemu process behind.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { QemuSession } from '../../src/main/platforms/qemu/qemuSession';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, prepareContext, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';

/** TCG on a busy 2-core machine is slow (boot alone can take 30 s under load). */
const TEST_TIMEOUT_MS = 600_000;
const REP_TIMEOUT_MS = 120_000;

const scratch = scratchDir('qemu-pause');
afterAll(() => scratch.cleanup());

describe('qemu-tcg pause and resume (real QEMU)', () => {
  it(
    'stop → paused and alive, cont → running and measuring, dispose while paused → nothing left',
    async () => {
      const tracker = new ProcessTracker();
      const platform = createQemuPlatform('tcg', {
        paths: qemuTestPaths(),
        tracker,
        runners: createBenchmarkRunners(),
        scratchDir: scratch.dir,
      });
      const ctx = prepareContext(config({ guest: { diskSizeMiB: 32 } }), scratch.dir);
      const session = await platform.prepare(ctx);
      try {
        expect(session).toBeInstanceOf(QemuSession);
        const guest = session as QemuSession;
        expect(await guest.runState()).toBe('running');
        await session.pause!();
        expect(await guest.runState()).toBe('paused');
        expect(qemuProcesses(scratch.dir)).toHaveLength(1);
        // Typing into a paused guest's console is accepted (it reaches the guest on cont).
        expect(session.write('\n')).toBe(true);
        await session.resume!();
        expect(await guest.runState()).toBe('running');
        const r = await session.exec({
          binary: 'syscall',
          args: ['--count', '1000'],
          timeoutMs: REP_TIMEOUT_MS,
        });
        expect(r.failure).toBeUndefined();
        expect(r.exitCode).toBe(0);
        await session.pause!();
        expect(await guest.runState()).toBe('paused');
      } finally {
        await session.dispose();
      }
      expect(qemuProcesses(scratch.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
