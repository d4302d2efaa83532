/**
 * Whole runs through the engine's runner with a real TCG guest next to
 * native: every sample's meta carries what QMP said (not what the config
 * asked for), and no qemu process survives a finished or a cancelled run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import { createNativePlatform } from '../../src/main/platforms/native/nativePlatform';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { decideStop, summarize } from '../../src/shared/stats';
import { config, qemuProcesses, qemuTestPaths, scratchDir, waitFor } from './helpers';

const paths = qemuTestPaths();
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function engine() {
  const scratch = scratchDir('qemu-run');
  const runs = scratchDir('qemu-runs');
  cleanups.push(scratch.cleanup, runs.cleanup);
  const tracker = new ProcessTracker();
  const runners = createBenchmarkRunners({ paths, tracker });
  const platforms = [
    createNativePlatform({
      benchBinDir: paths.benchBinDir,
      tracker,
      runners,
    }),
    createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: scratch.dir }),
  ];
  const runner = new ExperimentRunner({
    platforms,
    runners,
    store: new RunStore({ runsDir: runs.dir }),
    tracker,
    decideStop,
    summarize: (s) => summarize(s),
  });
  return { runner, tracker, scratch: scratch.dir };
}

describe('runs with a real TCG guest next to native', () => {
  // The full benchmark matrix on a TCG guest runs once, in tcgGuest.test.ts (platform layer);
  // here, at the runner layer, one benchmark: diskwrite, the one this disk setup matters for.
  it('raw disk + cache=writethrough: diskwrite next to native, QMP facts in every guest sample', async () => {
    const { runner, tracker, scratch } = engine();
    const cfg = config({
      platforms: ['native', 'qemu-tcg'],
      benchmarks: ['diskwrite'],
      profile: 'quick',
      repetitions: { count: 2 },
      guest: { diskFormat: 'raw', cacheMode: 'writethrough', diskSizeMiB: 64, vcpus: 1 },
    });
    const started = await runner.start(cfg);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    const failures = samples
      .filter((s) => s.value === null)
      .map((s) => `${s.platform}/${s.benchmark}: ${s.error}`);
    expect(failures).toEqual([]);
    expect(fin.status).toBe('completed');
    const guest = samples.filter((s) => s.platform === 'qemu-tcg');
    expect(guest.map((s) => `${s.benchmark}#${s.rep}`)).toEqual(['diskwrite#1', 'diskwrite#2']);
    expect(samples.filter((s) => s.platform === 'native')).toHaveLength(2);
    for (const s of guest) {
      expect(s.meta).toMatchObject({
        accel: 'tcg',
        kvmEnabled: false,
        vcpus: 1,
        memoryMiB: 512,
        diskFormat: 'raw',
        cacheMode: 'writethrough',
      });
      expect(s.value).toBeGreaterThan(0);
    }
    expect(qemuProcesses(scratch)).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  // Each test is a whole run, and a run boots its own guest (the runner prepares and disposes
  // of it: that is part of what is tested). This one's subject is the cancel itself.
  it('a run cancelled while the guest works keeps its samples and leaves no qemu behind', async () => {
    const { runner, tracker, scratch } = engine();
    const cfg = config({
      platforms: ['qemu-tcg'],
      benchmarks: [{ id: 'linpack', params: { seconds: 60 } }],
      repetitions: { count: 3 },
      guest: { diskFormat: 'qcow2', cacheMode: 'none', diskSizeMiB: 32 },
    });
    const started = await runner.start(cfg);
    if (!started.ok) throw new Error(started.error.message);
    let progressRep = false;
    runner.on('run:progress', (p) => {
      if (p.current?.platform === 'qemu-tcg' && !p.current.warmup) progressRep = true;
    });
    expect(await waitFor(() => progressRep && qemuProcesses(scratch).length === 1, 120_000)).toBe(
      true,
    );
    expect(runner.cancel()).toBe(true);
    const fin = await started.value.finished;
    expect(fin.status).toBe('cancelled');
    const experiment = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8')) as {
      status: string;
    };
    expect(experiment.status).toBe('cancelled');
    expect(qemuProcesses(scratch)).toEqual([]);
    expect(tracker.size).toBe(0);
  });
});
