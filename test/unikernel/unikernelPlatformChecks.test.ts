/**
 * The unikernel platform's checks with fake tools (doctor: can the images be
 * built here, are they built?) and how one boot becomes a run's result.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostCommands } from '../../src/main/qemu/commands';
import { ProcessTracker } from '../../src/main/process/tracker';
import type { UnikernelBootResult } from '../../src/main/platforms/unikernel/unikernelBoot';
import { UnikernelPlatform } from '../../src/main/platforms/unikernel/unikernelPlatform';
import { execResultOf } from '../../src/main/platforms/unikernel/unikernelSession';

let scratch: string;
const images = { dir: '' };
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bv-ukc-'));
  images.dir = join(scratch, 'images');
  mkdirSync(images.dir);
  for (const b of ['linpack', 'memsweep', 'syscall', 'diskwrite'])
    writeFileSync(join(images.dir, `${b}.img`), 'image');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake HostCommands: the tools named in `missing` cannot be started. */
function fakeTools(missing: string[]): HostCommands {
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
