/**
 * Variants through the runner with a real TCG guest: raw and qcow2 × cache none
 * and writeback are four targets, each prepared (its own disk image, its own boot),
 * measured and disposed in turn; every sample carries its target and the resolved
 * shape, every target has its own console transcript, the initramfs is built at
 * most once, and no qemu process is left.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/experiment/runner';
import { readSamples, RunStore } from '../../src/main/experiment/runStore';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ProcessTracker } from '../../src/main/process/tracker';
import { summarize } from '../../src/shared/stats';
import { config, qemuProcesses, qemuTestPaths, scratchDir } from './helpers';

const paths = qemuTestPaths();
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const TARGETS = [
  { id: 'qemu-tcg.raw.cache-none', diskFormat: 'raw', cacheMode: 'none' },
  { id: 'qemu-tcg.raw.cache-writeback', diskFormat: 'raw', cacheMode: 'writeback' },
  { id: 'qemu-tcg.qcow2.cache-none', diskFormat: 'qcow2', cacheMode: 'none' },
  { id: 'qemu-tcg.qcow2.cache-writeback', diskFormat: 'qcow2', cacheMode: 'writeback' },
];

describe('variants with a real TCG guest', () => {
  it('raw + qcow2 × cache none + writeback: four targets in turn, each sample with its target and shape', async () => {
    const scratch = scratchDir('qemu-variants');
    const runs = scratchDir('qemu-variant-runs');
    cleanups.push(scratch.cleanup, runs.cleanup);
    const tracker = new ProcessTracker();
    const runners = createBenchmarkRunners({ paths, tracker });
    const runner = new ExperimentRunner({
      platforms: [createQemuPlatform('tcg', { paths, tracker, runners, scratchDir: scratch.dir })],
      runners,
      store: new RunStore({ runsDir: runs.dir }),
      tracker,
      summarize: (s) => summarize(s),
    });
    const cfg = config({
      platforms: ['qemu-tcg'],
      benchmarks: ['diskwrite'],
      profile: 'quick',
      repetitions: { count: 2 },
      guest: { diskFormat: ['raw', 'qcow2'], cacheMode: ['none', 'writeback'], diskSizeMiB: 64 },
    });
    const started = await runner.start(cfg);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    const samples = readSamples(fin.dir);
    expect(samples.filter((s) => s.value === null).map((s) => s.error)).toEqual([]);
    expect(fin.status).toBe('completed');

    // Targets ran one after another, in expansion order, two repetitions each.
    expect(samples.map((s) => s.target)).toEqual(TARGETS.flatMap((t) => [t.id, t.id]));
    for (const t of TARGETS) {
      for (const s of samples.filter((x) => x.target === t.id)) {
        expect(s.meta).toMatchObject({
          target: t.id,
          accel: 'tcg',
          kvmEnabled: false,
          diskFormat: t.diskFormat,
          cacheMode: t.cacheMode,
          preallocation: 'off',
          vcpus: 1,
          memoryMiB: 512,
        });
        expect(s.value).toBeGreaterThan(0);
      }
      // One transcript per target, holding that guest's boot.
      const log = join(fin.dir, 'consoles', `${t.id}.log`);
      expect(existsSync(log)).toBe(true);
      expect(readFileSync(log, 'utf8').length).toBeGreaterThan(100);
    }

    // Each target got its own disk image of its format and the cache mode on its drive.
    const logLines = readFileSync(join(fin.dir, 'run.log.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string });
    const drives = logLines
      .map((l) => /-drive (\S*disk\.(raw|qcow2)\S*)/.exec(l.message)?.[1])
      .filter((d): d is string => d !== undefined);
    expect(drives).toHaveLength(4);
    TARGETS.forEach((t, i) => {
      expect(drives[i]).toContain(`format=${t.diskFormat}`);
      expect(drives[i]).toContain(`cache=${t.cacheMode}`);
    });
    expect(new Set(drives.map((d) => /file=([^,]+)/.exec(d)?.[1])).size).toBe(4);
    // Shared parts are built once: every target after the first reuses the cached initramfs.
    const initrds = logLines.filter((l) => l.message.includes('initramfs '));
    expect(initrds).toHaveLength(4);
    expect(initrds.slice(1).every((l) => l.message.includes('(cached,'))).toBe(true);

    // cells.json: one cell per target.
    const cells = JSON.parse(readFileSync(join(fin.dir, 'cells.json'), 'utf8')) as {
      target: string;
      status: string;
    }[];
    expect(cells.map((c) => [c.target, c.status])).toEqual(TARGETS.map((t) => [t.id, 'completed']));
    // The summary has one group per target, not one mixed platform group.
    const summary = JSON.parse(readFileSync(join(fin.dir, 'summary.json'), 'utf8')) as {
      cells: { target: string; main: boolean; n: number }[];
    };
    expect(summary.cells.filter((c) => c.main).map((c) => [c.target, c.n])).toEqual(
      TARGETS.map((t) => [t.id, 2]),
    );
    expect(qemuProcesses(scratch.dir)).toEqual([]);
  }, 600_000);
});
