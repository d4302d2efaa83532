import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExecFileCommands,
  type CommandOutput,
  type HostCommands,
} from '../../src/main/qemu/commands';
import { ProcessTracker } from '../../src/main/process/tracker';
import { processesMatching, waitFor } from '../engine/helpers';
import {
  compareKernelVersions,
  fetchAptKernel,
  findBootKernel,
  findGuestKernel,
  parseKernelPackage,
} from '../../src/main/qemu/kernel';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'bv-kernel-'));
  dirs.push(d);
  return d;
}

/** A running kernel's release that no constructed /boot holds (the host probe gives the real one). */
const NOT_RUNNING = '0.0.0-not-running';

const APT_CACHE_DEPENDS = 'linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n';

/** A fake apt: records calls; "apt-get download" drops a .deb, "dpkg-deb -x" unpacks a fake kernel. */
class FakeApt implements HostCommands {
  calls: string[] = [];
  constructor(
    private readonly fail: Partial<
      Record<'apt-cache' | 'apt-get' | 'dpkg-deb', CommandOutput>
    > = {},
  ) {}
  async run(
    cmd: string,
    args: readonly string[],
    opts: { cwd?: string } = {},
  ): Promise<CommandOutput> {
    this.calls.push([cmd, ...args].join(' '));
    const failure = this.fail[cmd as 'apt-cache'];
    if (failure) return failure;
    if (cmd === 'apt-cache') return { code: 0, stdout: APT_CACHE_DEPENDS, stderr: '' };
    if (cmd === 'apt-get') {
      writeFileSync(join(opts.cwd!, `${args[1]}_1_amd64.deb`), 'deb');
      return { code: 0, stdout: '', stderr: '' };
    }
    if (cmd === 'dpkg-deb') {
      const root = args[2]!;
      mkdirSync(join(root, 'boot'), { recursive: true });
      mkdirSync(join(root, 'lib/modules/6.1.0-56-amd64/kernel'), { recursive: true });
      writeFileSync(join(root, 'boot/vmlinuz-6.1.0-56-amd64'), 'kernel');
      return { code: 0, stdout: '', stderr: '' };
    }
    return { code: 127, stdout: '', stderr: 'unexpected' };
  }
}

describe('kernel lookup', () => {
  it('parses the versioned package from apt-cache depends', () => {
    expect(parseKernelPackage(APT_CACHE_DEPENDS)).toBe('linux-image-6.1.0-56-amd64');
    expect(parseKernelPackage('linux-image-amd64\n  Depends: <linux-image-virtual>\n')).toBeNull();
    expect(parseKernelPackage('')).toBeNull();
  });

  it('orders versions numerically', () => {
    expect(compareKernelVersions('6.1.0-10-amd64', '6.1.0-9-amd64')).toBeGreaterThan(0);
    expect(compareKernelVersions('5.10.0-1-amd64', '6.1.0-1-amd64')).toBeLessThan(0);
  });

  it('prefers the newest readable /boot kernel and pairs it with its modules folder', async () => {
    const d = scratch();
    mkdirSync(join(d, 'boot'));
    mkdirSync(join(d, 'modules/6.1.0-10-amd64'), { recursive: true });
    writeFileSync(join(d, 'boot/vmlinuz-6.1.0-9-amd64'), 'a');
    writeFileSync(join(d, 'boot/vmlinuz-6.1.0-10-amd64'), 'b');
    const k = await findBootKernel(join(d, 'boot'), join(d, 'modules'));
    expect(k).toEqual({
      vmlinuz: join(d, 'boot/vmlinuz-6.1.0-10-amd64'),
      version: '6.1.0-10-amd64',
      modulesDir: join(d, 'modules/6.1.0-10-amd64'),
      source: 'host-boot',
    });
    const apt = new FakeApt();
    const viaLookup = await findGuestKernel({
      runningVersion: NOT_RUNNING,
      cacheDir: d,
      commands: apt,
      bootDir: join(d, 'boot'),
      modulesRoot: join(d, 'modules'),
    });
    expect(viaLookup.source).toBe('host-boot');
    expect(apt.calls).toEqual([]);
  });

  it("prefers the running kernel's image over a newer one, where it is readable", async () => {
    const d = scratch();
    mkdirSync(join(d, 'boot'));
    writeFileSync(join(d, 'boot/vmlinuz-6.1.0-9-amd64'), 'a');
    writeFileSync(join(d, 'boot/vmlinuz-6.1.0-10-amd64'), 'b');
    const running = await findBootKernel(join(d, 'boot'), join(d, 'modules'), '6.1.0-9-amd64');
    expect(running?.version).toBe('6.1.0-9-amd64');
    const lookup = await findGuestKernel({
      cacheDir: d,
      commands: new FakeApt(),
      bootDir: join(d, 'boot'),
      modulesRoot: join(d, 'modules'),
      runningVersion: '6.1.0-9-amd64',
    });
    expect(lookup.vmlinuz).toBe(join(d, 'boot/vmlinuz-6.1.0-9-amd64'));
    // the running kernel's image not there (or not readable): the newest readable one
    const other = await findBootKernel(join(d, 'boot'), join(d, 'modules'), '6.5.0-1-amd64');
    expect(other?.version).toBe('6.1.0-10-amd64');
  });

  it('fetches the distribution package with apt-get download + dpkg-deb -x when /boot is empty, then reuses the cache', async () => {
    const d = scratch();
    mkdirSync(join(d, 'boot'));
    const apt = new FakeApt();
    const opts = {
      runningVersion: NOT_RUNNING,
      cacheDir: join(d, 'cache'),
      commands: apt,
      bootDir: join(d, 'boot'),
      modulesRoot: join(d, 'none'),
    };
    const k = await findGuestKernel(opts);
    expect(k.source).toBe('apt');
    expect(k.vmlinuz).toBe(
      join(d, 'cache/kernel/linux-image-6.1.0-56-amd64/boot/vmlinuz-6.1.0-56-amd64'),
    );
    expect(k.modulesDir).toBe(
      join(d, 'cache/kernel/linux-image-6.1.0-56-amd64/lib/modules/6.1.0-56-amd64'),
    );
    expect(apt.calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
      'apt-cache depends',
      'apt-get download',
      'dpkg-deb -x',
    ]);
    apt.calls = [];
    const again = await findGuestKernel(opts);
    expect(again.vmlinuz).toBe(k.vmlinuz);
    expect(apt.calls).toEqual(['apt-cache depends linux-image-amd64']);
  });

  it('cancelling kills a download in progress, keeps nothing half-done and says it was cancelled', async () => {
    const d = scratch();
    mkdirSync(join(d, 'boot'));
    const tracker = new ProcessTracker();
    const real = new ExecFileCommands(tracker);
    // A unique duration so the process scan only sees this test's stand-in download.
    const marker = '73.123';
    const slowApt: HostCommands = {
      run: (cmd, args, opts) =>
        cmd === 'apt-get' ? real.run('sleep', [marker], opts) : new FakeApt().run(cmd, args, opts),
    };
    const abort = new AbortController();
    const pending = findGuestKernel({
      runningVersion: NOT_RUNNING,
      cacheDir: join(d, 'cache'),
      commands: slowApt,
      bootDir: join(d, 'boot'),
      modulesRoot: join(d, 'none'),
      signal: abort.signal,
    });
    expect(await waitFor(() => processesMatching(marker).length === 1, 10_000)).toBe(true);
    expect(tracker.labels()).toEqual([`sleep ${marker}`]);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await waitFor(() => processesMatching(marker).length === 0, 10_000)).toBe(true);
    expect(tracker.size).toBe(0);
    expect(readdirSync(join(d, 'cache', 'kernel'))).toEqual([]);
  });

  it('a tracked tool is killed by the tracker at exit cleanup', async () => {
    const tracker = new ProcessTracker();
    const marker = '74.321';
    const pending = new ExecFileCommands(tracker).run('sleep', [marker]);
    expect(await waitFor(() => processesMatching(marker).length === 1, 10_000)).toBe(true);
    await tracker.killAll();
    const out = await pending;
    expect(out.code).toBeNull();
    expect(await waitFor(() => processesMatching(marker).length === 0, 10_000)).toBe(true);
  });

  it('explains what was tried when nothing works', async () => {
    const d = scratch();
    const apt = new FakeApt({
      'apt-get': { code: 100, stdout: '', stderr: 'E: Unable to locate package' },
    });
    await expect(
      findGuestKernel({
        runningVersion: NOT_RUNNING,
        cacheDir: d,
        commands: apt,
        bootDir: join(d, 'boot'),
        modulesRoot: join(d, 'm'),
      }),
    ).rejects.toThrow(
      /no kernel for the QEMU guest: no readable vmlinuz-\* in .*apt-get download linux-image-6\.1\.0-56-amd64 failed: E: Unable to locate package.*Fix:/s,
    );
    await expect(
      fetchAptKernel({
        cacheDir: d,
        commands: new FakeApt({
          'apt-cache': { code: null, stdout: '', stderr: '', spawnError: 'apt-cache: ENOENT' },
        }),
      }),
    ).rejects.toThrow(/cannot ask apt/);
  });

  it('uses a user-picked kernel first and rejects a missing one clearly', async () => {
    const d = scratch();
    writeFileSync(join(d, 'bzImage'), 'k');
    const apt = new FakeApt();
    const k = await findGuestKernel({
      cacheDir: d,
      commands: apt,
      runningVersion: NOT_RUNNING,
      userKernel: join(d, 'bzImage'),
    });
    expect(k).toMatchObject({ source: 'user', vmlinuz: join(d, 'bzImage'), modulesDir: null });
    await expect(
      findGuestKernel({
        cacheDir: d,
        commands: apt,
        runningVersion: NOT_RUNNING,
        userKernel: join(d, 'nope'),
      }),
    ).rejects.toThrow(/chosen guest kernel .*nope does not exist/);
  });
});
