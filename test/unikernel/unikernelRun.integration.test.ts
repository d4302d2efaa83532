/**
 * The unikernel platform in the engine: the runner with real TCG boots (one per
 * repetition, boot time and query-kvm in every sample, fork sum and nginx not
 * applicable in the product's words) and the disk in the guest shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/run/runner';
import { RunStore } from '../../src/main/store/runStore';
import { ProcessTracker } from '../../src/main/process/tracker';
import { UnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { qemuProcesses } from '../qemu/helpers';
import { buildImages } from './helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { finishedRun } from '../support/finishedRun';

let images: ReturnType<typeof buildImages>;
let scratch: string;
beforeAll(() => {
  images = buildImages();
  scratch = mkdtempSync(join(tmpdir(), 'bv-ukp-'));
});
afterAll(() => {
  images?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('unikernel-tcg in the runner (real boots)', () => {
  it('boots once per repetition, records boot-to-main and query-kvm per sample, explains what does not apply', async () => {
    const tracker = new ProcessTracker();
    const runners = createBenchmarkRunners();
    const platform = new UnikernelPlatform('tcg', {
      paths: { resourcesDir: '/nonexistent' },
      imageDir: images.dir,
      tracker,
      runners,
      scratchDir: scratch,
    });
    const runner = new ExperimentRunner({
      platforms: [platform],
      runners,
      store: new RunStore({ runsDir: join(scratch, 'runs') }),
      tracker,
    });
    const parsed = parseExperimentConfig({
      platforms: ['unikernel-tcg'],
      profile: 'quick',
      benchmarks: [
        { id: 'syscall', params: { count: 50000 } },
        { id: 'diskwrite', params: { sizeMiB: 2, blockKiB: 128 } },
        'forksum',
        'nginx',
      ],
      guest: {
        memoryMiB: 192,
        diskFormat: 'raw',
        diskSizeMiB: 16,
        cacheMode: 'writethrough',
        preallocation: 'full',
      },
      repetitions: { count: 2, warmup: 0 },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    let consoleText = '';
    runner.on('console:data', (e) => void (consoleText += e.data));
    const { fin, ndjson } = await finishedRun(runner, parsed.config);
    expect(fin.status).toBe('completed');
    const samples = ndjson<{
      benchmark: string;
      value: number | null;
      meta: Record<string, unknown>;
    }>('samples.ndjson');
    expect(samples.map((s) => s.benchmark)).toEqual([
      'syscall',
      'syscall',
      'diskwrite',
      'diskwrite',
    ]);
    for (const s of samples) {
      expect(s.value).toBeGreaterThan(0);
      expect(s.meta).toMatchObject({
        accel: 'tcg',
        kvmEnabled: false,
        vcpus: 1,
        memoryMiB: 192,
        diskFormat: 'raw',
        cacheMode: 'writethrough',
        preallocation: 'full',
      });
      expect(s.meta.bootToMainMs).toBeGreaterThan(0);
      expect(s.meta.guestBootMs).toBeGreaterThan(0);
      // Like every platform's disk target: in the run's scratch area, with its filesystem named.
      expect(s.meta.diskHostPath).toBe(join(fin.dir, 'scratch', 'unikernel-tcg', 'disk.raw'));
      expect(s.meta.diskHostFs).toMatch(/^[a-z0-9_.]+$/);
      expect(typeof s.meta.diskHostInRam).toBe('boolean');
    }
    // A fresh boot per repetition: the library OS's start line once per sample, live on the console.
    expect(consoleText.match(/@@LIBOS main /g)).toHaveLength(4);
    expect(consoleText).toContain('virtio-blk at pci');
    const experiment = JSON.parse(readFileSync(join(fin.dir, 'experiment.json'), 'utf8')) as {
      skipped: { benchmark: string; reason: string }[];
    };
    const reasons = Object.fromEntries(experiment.skipped.map((s) => [s.benchmark, s.reason]));
    expect(reasons.forksum).toMatch(
      /not applicable: .*one address space with no processes, so fork\(\) has nothing to create/,
    );
    expect(reasons.nginx).toMatch(/not applicable: the library OS has no network stack/);
    expect(tracker.size).toBe(0);
    expect(qemuProcesses(scratch)).toEqual([]);
  });

  it('describe() shows the exact qemu command line with the guest shape', async () => {
    const platform = new UnikernelPlatform('tcg', {
      paths: { resourcesDir: '/r' },
      imageDir: '/img',
      tracker: new ProcessTracker(),
      runners: createBenchmarkRunners(),
    });
    const parsed = parseExperimentConfig({
      platforms: ['unikernel-tcg'],
      benchmarks: ['linpack'],
      guest: { diskFormat: 'qcow2', cacheMode: 'none', preallocation: 'metadata' },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const lines = await platform.describe(parsed.config, 'unikernel-tcg');
    expect(lines[0]!.argv.join(' ')).toMatch(
      /qemu-img create -q -f qcow2 -o preallocation=metadata/,
    );
    const boot = lines[1]!.argv.join(' ');
    expect(boot).toContain('-kernel /img/linpack.img -append disk=/dev/vda -- --size');
    expect(boot).toContain('format=qcow2,if=none,id=bench0,cache=none');
  });
});
