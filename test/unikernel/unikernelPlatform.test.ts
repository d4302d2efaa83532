/**
 * The unikernel platform in the engine: the runner with real TCG boots (one per
 * repetition, boot time and query-kvm in every sample, fork sum and nginx not
 * applicable in the product's words), the disk in the guest shape, and the
 * platform's checks with fake tools (doctor: can the images be built here?).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { ExperimentRunner } from '../../src/main/experiment/runner';
import { RunStore } from '../../src/main/experiment/runStore';
import type { CommandRunner } from '../../src/main/guest/commands';
import { ProcessTracker } from '../../src/main/process/tracker';
import { UnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { execResultOf } from '../../src/main/platforms/unikernel/unikernelSession';
import type { UnikernelBootResult } from '../../src/main/platforms/unikernel/unikernelBoot';
import { qemuProcesses } from '../qemu/helpers';
import { buildImages } from './helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

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
    const started = await runner.start(parsed.config);
    if (!started.ok) throw new Error(started.error.message);
    const fin = await started.value.finished;
    expect(fin.status).toBe('completed');
    const samples = readFileSync(join(fin.dir, 'samples.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            benchmark: string;
            value: number | null;
            meta: Record<string, unknown>;
          },
      );
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
    const lines = await platform.describe(parsed.config);
    expect(lines[0]!.argv.join(' ')).toMatch(
      /qemu-img create -q -f qcow2 -o preallocation=metadata/,
    );
    const boot = lines[1]!.argv.join(' ');
    expect(boot).toContain('-kernel /img/linpack.img -append disk=/dev/vda -- --size');
    expect(boot).toContain('format=qcow2,if=none,id=bench0,cache=none');
  });
});

/** A fake CommandRunner: the tools named in `missing` cannot be started. */
function fakeTools(missing: string[]): CommandRunner {
  return {
    run: (cmd) =>
      Promise.resolve(
        missing.includes(cmd)
          ? { code: null, stdout: '', stderr: '', spawnError: `spawn ${cmd} ENOENT` }
          : { code: 0, stdout: `${cmd} 1.0\n`, stderr: '' },
      ),
  };
}

describe('unikernel availability (doctor)', () => {
  it('without images and without musl-gcc: unavailable, and the fix installs musl-tools', async () => {
    const p = new UnikernelPlatform('tcg', {
      paths: { resourcesDir: '/r' },
      imageDir: join(scratch, 'none'),
      tracker: new ProcessTracker(),
      commands: fakeTools(['musl-gcc']),
    });
    const a = await p.probe();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/not built and cannot be built here \(musl-gcc: missing/);
    expect(a.fix).toBe('sudo apt-get install musl-tools, then npm run build:bench');
    expect((await p.supports('linpack')).fix).toMatch(/musl-tools/);
  });

  it('with images but no toolchain: available, with a note that they cannot be rebuilt', async () => {
    const p = new UnikernelPlatform('tcg', {
      paths: { resourcesDir: '/r' },
      imageDir: images.dir,
      tracker: new ProcessTracker(),
      commands: fakeTools(['nasm']),
    });
    const a = await p.probe();
    expect(a.available).toBe(true);
    expect(a.details?.rebuild).toMatch(/apt-get install nasm/);
    expect((await p.supports('linpack')).available).toBe(true);
  });

  it('with the toolchain but no images: unavailable, fix is the build', async () => {
    const p = new UnikernelPlatform('tcg', {
      paths: { resourcesDir: '/r' },
      imageDir: join(scratch, 'none'),
      tracker: new ProcessTracker(),
      commands: fakeTools([]),
    });
    expect(await p.probe()).toMatchObject({ available: false, fix: 'npm run build:bench' });
  });
});

describe('a boot as the runner sees it (execResultOf)', () => {
  const boot = (over: Partial<UnikernelBootResult>): UnikernelBootResult => ({
    argv: [],
    outcome: { kind: 'exited', exitCode: 0 },
    console: '@@BENCHVISOR {}',
    facts: { unsupportedSyscalls: [], guestBootMs: 150 },
    kvm: { enabled: false, present: true },
    qemuVersion: '7.2.22',
    bootToMainMs: 612.4,
    durationMs: 2000,
    ...over,
  });

  it('a crash fails this run only (CRASHED, not a dead platform) and names the exception', () => {
    const r = execResultOf(
      'unikernel-tcg',
      'tcg',
      boot({ outcome: { kind: 'crashed', message: 'exception #PF (page fault) at rip=0x1' } }),
    );
    expect(r.failure).toEqual({
      code: 'CRASHED',
      message: 'unikernel-tcg: the program crashed: exception #PF (page fault) at rip=0x1',
    });
    expect(r.meta).toMatchObject({ bootToMainMs: 612, guestBootMs: 150, kvmEnabled: false });
  });

  it('a KVM run that QMP says is not accelerated is refused, never counted as KVM', () => {
    const r = execResultOf('unikernel-kvm', 'kvm', boot({}));
    expect(r.failure?.code).toBe('GUEST_FAILED');
    expect(r.failure?.message).toMatch(/query-kvm says KVM is not enabled/);
    expect(
      execResultOf('unikernel-kvm', 'kvm', boot({ kvm: { enabled: true, present: true } })).failure,
    ).toBeUndefined();
  });

  it('unsupported system calls the program made are recorded with the sample', () => {
    const r = execResultOf(
      'unikernel-tcg',
      'tcg',
      boot({ facts: { unsupportedSyscalls: ['25 (mremap)'] } }),
    );
    expect(r.meta?.unsupportedSyscalls).toEqual(['25 (mremap)']);
  });
});
