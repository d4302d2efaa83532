/**
 * Variants through the runner with a real TCG guest: raw and qcow2 × cache none
 * and writeback are four targets, each prepared (its own disk image, its own boot),
 * measured and disposed in turn; every sample carries its target and the resolved
 * shape, every target has its own console transcript, and no qemu process is left.
 *
 * #12 Performance, counted through the collaborators the platform is given (the
 * process tracker sees every QEMU it starts, the command runner every tool): one
 * guest boot per target, one disk per target, the initramfs built once (in a fresh
 * cache) and the kernel never fetched again between targets.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/run/runner';
import { readSamples, RunStore } from '../../src/main/store/runStore';
import { createQemuPlatform } from '../../src/main/platforms/qemu/qemuPlatform';
import { ExecFileCommands, type HostCommands } from '../../src/main/qemu/commands';
import { ProcessTracker, type Tracked } from '../../src/main/process/tracker';
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

/** A tracker that also remembers the label of everything ever registered with it. */
class CountingTracker extends ProcessTracker {
  readonly started: string[] = [];
  override track(item: Tracked): () => void {
    this.started.push(item.label);
    return super.track(item);
  }
}

/** The real command runner, remembering each tool and its first argument. */
function countingCommands(tracker: ProcessTracker): { commands: HostCommands; ran: string[] } {
  const real = new ExecFileCommands(tracker);
  const ran: string[] = [];
  return {
    ran,
    commands: {
      run: (cmd, args, opts) => {
        ran.push(`${cmd} ${args[0] ?? ''}`.trim());
        return real.run(cmd, args, opts);
      },
    },
  };
}

describe('variants with a real TCG guest', () => {
  it('raw + qcow2 × cache none + writeback: four targets in turn, each sample with its target and shape', async () => {
    const scratch = scratchDir('qemu-variants');
    const runs = scratchDir('qemu-variant-runs');
    cleanups.push(scratch.cleanup, runs.cleanup);
    // A fresh cache for the initramfs (so its one build happens in this run); the kernel's
    // unpacked package is shared (fetching it needs the network).
    const cacheDir = join(scratch.dir, 'cache');
    mkdirSync(cacheDir);
    symlinkSync(join(paths.cacheDir, 'kernel'), join(cacheDir, 'kernel'));
    const tracker = new CountingTracker();
    const { commands, ran } = countingCommands(tracker);
    const runners = createBenchmarkRunners({ paths, tracker });
    const platform = createQemuPlatform('tcg', {
      paths: { ...paths, cacheDir },
      tracker,
      runners,
      commands,
      scratchDir: scratch.dir,
    });
    const runner = new ExperimentRunner({
      platforms: [platform],
      runners,
      store: new RunStore({ runsDir: runs.dir }),
      tracker,
      summarize: (s) => summarize(s),
    });
    const cfg = config({
      platforms: ['qemu-tcg'],
      benchmarks: ['diskwrite'],
      profile: 'quick',
      // One target after another, one boot each: this test reads the order of the targets.
      repetitions: { count: 2, order: 'sequential', instances: 1 },
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
    const initrds = logLines.filter((l) => /: initramfs \S+ \((built|cached),/.test(l.message));
    expect(initrds).toHaveLength(4);
    expect(initrds.slice(1).every((l) => l.message.includes('(cached,'))).toBe(true);

    // Counted: one boot per target (each QEMU the platform starts is tracked), one disk per
    // target, the kernel fetched at most once (never between targets), the initramfs built
    // exactly once (first target), the same kernel everywhere.
    expect(tracker.started.filter((l) => l === 'qemu-tcg guest')).toHaveLength(TARGETS.length);
    expect(ran.filter((c) => c === 'qemu-img create')).toHaveLength(TARGETS.length);
    expect(ran.filter((c) => c === 'apt-get download').length).toBeLessThanOrEqual(1);
    const first = (t: string) => samples.find((s) => s.target === t)!.meta;
    expect(TARGETS.map((t) => first(t.id).initramfsBuilt)).toEqual([true, false, false, false]);
    expect(new Set(TARGETS.map((t) => first(t.id).kernelVersion)).size).toBe(1);
    // Each target's preparation is measured: its phases fit inside its wall time.
    for (const t of TARGETS) {
      const m = first(t.id) as Record<string, number>;
      expect(m.diskCreateMs).toBeGreaterThanOrEqual(0);
      expect(m.bootMs).toBeGreaterThan(0);
      expect(m.prepareMs).toBeGreaterThanOrEqual(m.bootMs! + m.diskCreateMs! - 2);
    }

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
