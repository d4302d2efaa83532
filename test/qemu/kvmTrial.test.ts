/**
 * The KVM preflight against files and programs of the test's own: injected
 * device, sysfs and cpuinfo paths, and stand-in QEMU binaries that fail with
 * QEMU's real error text or quietly run TCG. Each failure must come back as
 * "unavailable" with an errno-specific fix, and no trial QEMU may be left.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKvmInitFailure, openFailure } from '../../src/main/qemu/kvmFailure';
import { defaultKvmProbeIO, kvmPreflight } from '../../src/main/qemu/kvmPreflight';
import { kvmTrial } from '../../src/main/qemu/kvmTrial';
import { ProcessTracker } from '../../src/main/process/tracker';
import { failingKvmQemu, QEMU_KVM_ERRORS, tcgInsteadOfKvmQemu } from './kvmWrappers';

const dir = mkdtempSync(join(tmpdir(), 'bv-kvmtrial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake host: cpuinfo with the given flag, /sys/module with the given modules. */
function fakeHost(name: string, flag: 'vmx' | 'svm', modules: string[]) {
  const root = join(dir, name);
  const sysModuleDir = join(root, 'sys-module');
  mkdirSync(sysModuleDir, { recursive: true });
  for (const m of modules) mkdirSync(join(sysModuleDir, m));
  const cpuinfo = join(root, 'cpuinfo');
  writeFileSync(cpuinfo, `processor\t: 0\nflags\t\t: fpu sse2 ${flag}\n`);
  return { sysModuleDir, cpuinfo };
}

describe('KVM failure text', () => {
  it.each([
    ['EBUSY', /another hypervisor/],
    ['EACCES', /usermod -aG kvm .*log out and in again/],
    ['EPERM', /container .*--device \/dev\/kvm/],
    ['ENODEV', /modprobe kvm_intel/],
    ['ENOENT', /does not exist/],
  ] as const)('QEMU %s: errno read from its message, with the matching fix', (errno, fix) => {
    const f = parseKvmInitFailure(QEMU_KVM_ERRORS[errno]);
    expect(f?.errno).toBe(errno);
    expect(f?.fix).toMatch(fix);
    expect(f?.reason).toMatch(/failed to initialize kvm/);
  });

  it('is not fooled by other QEMU errors', () => {
    expect(parseKvmInitFailure('qemu-system-x86_64: -drive file=x: Could not open x')).toBeNull();
  });

  it("the trial's own open() failure keeps its errno", () => {
    expect(openFailure('/dev/kvm', 'EPERM', 'operation not permitted').fix).toMatch(/cgroup/);
    expect(openFailure('/dev/kvm', 'EIO', 'i/o error').errno).toBeNull();
  });
});

describe('KVM preflight with injected paths', () => {
  it('a mode-0600 regular file in place of the device is refused (not a device)', async () => {
    const host = fakeHost('file-device', 'vmx', ['kvm', 'kvm_intel']);
    const device = join(dir, 'kvm-file');
    writeFileSync(device, '', { mode: 0o600 });
    const a = await kvmPreflight(defaultKvmProbeIO({ ...host, device }));
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/is not a character device/);
  });

  it('a missing vendor module is named even though kvm is loaded', async () => {
    const host = fakeHost('no-vendor', 'svm', ['kvm']);
    const a = await kvmPreflight(defaultKvmProbeIO({ ...host, device: '/dev/null' }));
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/svm but the kvm_amd module is not loaded/);
    expect(a.fix).toMatch(/modprobe kvm_amd/);
  });

  it('a missing device', async () => {
    const host = fakeHost('no-dev', 'vmx', ['kvm', 'kvm_intel']);
    const a = await kvmPreflight(defaultKvmProbeIO({ ...host, device: join(dir, 'nope') }));
    expect(a.reason).toMatch(/does not exist/);
  });

  it.each(['EBUSY', 'EACCES', 'EPERM', 'ENODEV'] as const)(
    'every static check passes, the trial QEMU fails with %s: unavailable with that fix',
    async (errno) => {
      const host = fakeHost(`trial-${errno}`, 'vmx', ['kvm', 'kvm_intel']);
      const tracker = new ProcessTracker();
      const qemuBinary = failingKvmQemu(join(dir, 'bin'), errno);
      const a = await kvmPreflight(
        defaultKvmProbeIO({ ...host, device: '/dev/null', qemuBinary, tracker }),
      );
      expect(a.available).toBe(false);
      expect(a.reason).toContain(`(${errno})`);
      expect(a.fix).toBe(parseKvmInitFailure(QEMU_KVM_ERRORS[errno])?.fix);
      expect(a.details?.['kvm-trial']).toMatch(/^FAILED: /);
      expect(tracker.size).toBe(0);
    },
  );

  it('a QEMU that runs TCG when asked for KVM fails the trial (query-kvm enabled=false)', async () => {
    const tracker = new ProcessTracker();
    const r = await kvmTrial({
      qemuBinary: tcgInsteadOfKvmQemu(join(dir, 'bin')),
      device: '/dev/null',
      tracker,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.reason).toMatch(/query-kvm says KVM is not enabled/);
    expect(tracker.size).toBe(0);
  });

  it('a QEMU that cannot be started', async () => {
    const r = await kvmTrial({ qemuBinary: join(dir, 'no-such-qemu'), device: '/dev/null' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.reason).toMatch(/could not be started/);
  });
});
