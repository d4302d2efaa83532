/**
 * A real interleaved run with two TCG guests (issue 19): both guests boot before the first
 * round and stay alive (the same two QEMU processes) across rounds; while one measures, QMP
 * query-status says "running" for it and "paused" for the other; cancelling the run leaves no
 * qemu process behind. The runner and both guests are real; the test only watches, through a
 * benchmark runner that wraps the real syscall runner.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import type { BenchmarkRunner } from '../../src/main/benchmarks/types';
import { ExperimentRunner } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import type { Platform } from '../../src/main/platforms/platform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { QemuSession } from '../../src/main/platforms/qemu/qemuSession';
import { ProcessTracker } from '../../src/main/process/tracker';
import { config, qemuProcesses, qemuTestPaths, scratchDir, waitFor } from './helpers';

/** TCG on a busy 2-core machine: two boots can take minutes under load. */
const TEST_TIMEOUT_MS = 900_000;
const paths = qemuTestPaths();
const scratch = scratchDir('qemu-interleaved');
const runs = scratchDir('qemu-interleaved-runs');
afterAll(() => {
  scratch.cleanup();
  runs.cleanup();
});

describe('interleaved run with two real TCG guests', () => {
  it(
    'idle guest paused, measuring guest running, both alive across rounds, nothing left after cancel',
    async () => {
      const tracker = new ProcessTracker();
      const runners = createBenchmarkRunners({ paths, tracker });
      const qemu = createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: scratch.dir });
      // The guests the run boots, by target (to ask QMP about them from the benchmark runner).
      const guests = new Map<string, QemuSession>();
      const platform: Platform = {
        ...qemu,
        id: qemu.id,
        capabilities: qemu.capabilities,
        probe: () => qemu.probe(),
        supports: (b) => qemu.supports(b),
        describe: (c, t) => qemu.describe(c, t),
        prepare: async (ctx) => {
          const s = await qemu.prepare(ctx);
          if (s instanceof QemuSession) guests.set(ctx.target ?? 'qemu-tcg', s);
          return s;
        },
      };
      const seen: { me: string; states: Record<string, string>; pids: number[] }[] = [];
      const real = runners.syscall!;
      const watching: BenchmarkRunner = {
        ...real,
        run: async (session, params, opts) => {
          // The guest's memory as QMP reports it names the target (512 or 513 MiB).
          const me = `qemu-tcg.${String((await session.meta()).memoryMiB)}mib`;
          const states: Record<string, string> = {};
          for (const [target, g] of guests) states[target] = await g.runState();
          seen.push({ me, states, pids: qemuProcesses(scratch.dir).sort() });
          return real.run(session, params, opts);
        },
      };
      const runner = new ExperimentRunner({
        platforms: [platform],
        runners: { ...runners, syscall: watching },
        store: new RunStore({ runsDir: runs.dir }),
        tracker,
      });
      const started = await runner.start(
        config({
          platforms: ['qemu-tcg'],
          benchmarks: ['syscall'],
          guest: { memoryMiB: [512, 513], diskSizeMiB: 32 },
          repetitions: { order: 'interleaved', instances: 1, count: 4, warmup: 0 },
        }),
      );
      if (!started.ok) throw new Error(started.error.message);
      const { dir } = started.value;
      // Cancel once two rounds (four repetitions) are measured.
      await waitFor(() => seen.length >= 5, TEST_TIMEOUT_MS);
      runner.cancel();
      const fin = await started.value.finished;
      expect(fin.status).toBe('cancelled');

      const targets = ['qemu-tcg.512mib', 'qemu-tcg.513mib'];
      expect([...guests.keys()].sort()).toEqual(targets);
      for (const s of seen.slice(0, 4)) {
        const other = targets.find((t) => t !== s.me)!;
        expect(s.states).toEqual({ [s.me]: 'running', [other]: 'paused' });
      }
      // The same two QEMU processes throughout the rounds.
      expect(seen[0]!.pids).toHaveLength(2);
      for (const s of seen.slice(0, 4)) expect(s.pids).toEqual(seen[0]!.pids);
      const samples = readSamples(dir).filter((s) => s.value !== null);
      expect(samples.length).toBeGreaterThanOrEqual(4);
      expect(samples.slice(0, 4).map((s) => s.meta.round)).toEqual([1, 1, 2, 2]);
      expect(qemuProcesses(scratch.dir)).toEqual([]);
      expect(tracker.size).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
