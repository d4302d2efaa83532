import { describe, expect, it } from 'vitest';
import { CATALOGUE, type BenchmarkId } from '../../src/shared/catalogue';
import { buildDoctorReport } from '../../src/main/doctor/doctor';
import type { Platform } from '../../src/main/platforms/platform';

function platform(
  id: Platform['id'],
  available: boolean,
  caps: Platform['capabilities'],
  noNginx = false,
): Platform {
  return {
    id,
    capabilities: caps,
    probe: () =>
      Promise.resolve(
        available
          ? { available: true }
          : { available: false, reason: 'no daemon', fix: 'start it' },
      ),
    supports: (b: BenchmarkId) =>
      Promise.resolve(
        noNginx && b === 'nginx'
          ? { available: false, reason: 'nginx missing', fix: 'apt-get install nginx-light' }
          : { available: true },
      ),
    describe: () => Promise.resolve([]),
    prepare: () => Promise.reject(new Error('not in this test')),
  };
}

describe('doctor', () => {
  it('reports every platform id, reasons and fixes, capabilities and unregistered platforms', async () => {
    const report = await buildDoctorReport(
      [
        platform('native', true, ['fork', 'syscall', 'float', 'memory', 'disk', 'network'], true),
        platform('docker', false, ['fork', 'syscall', 'float', 'memory', 'disk', 'network']),
        platform('qemu-tcg', true, ['syscall', 'float', 'memory', 'disk', 'network']),
      ],
      CATALOGUE,
    );
    expect(report.platforms.map((p) => p.id)).toEqual([
      'native',
      'docker',
      'qemu-tcg',
      'qemu-kvm',
      'unikernel-tcg',
      'unikernel-kvm',
    ]);
    const [native, docker, tcg, kvm] = report.platforms;
    expect(native!.benchmarks.linpack).toEqual({ available: true });
    expect(native!.benchmarks.nginx).toMatchObject({
      available: false,
      fix: 'apt-get install nginx-light',
    });
    expect(docker!.availability).toMatchObject({
      available: false,
      reason: 'no daemon',
      fix: 'start it',
    });
    expect(docker!.benchmarks.linpack).toMatchObject({ available: false, fix: 'start it' });
    expect(tcg!.benchmarks.forksum!.reason).toMatch(/not applicable: qemu-tcg lacks fork/);
    expect(kvm!.availability.reason).toMatch(/not built into this engine/);
  });
});

describe('doctor text output', () => {
  it('prints reason, fix and what the probe found, then the benchmarks of usable platforms', async () => {
    const { formatDoctorReport } = await import('../../src/main/cli/doctor');
    const text = formatDoctorReport({
      checkedAt: new Date(0).toISOString(),
      platforms: [
        {
          id: 'qemu-kvm',
          title: 'QEMU/KVM',
          availability: {
            available: false,
            reason: 'KVM is unavailable: /dev/kvm does not exist',
            fix: 'enable nested virtualization',
            details: { 'dev-kvm': 'FAILED: /dev/kvm does not exist' },
          },
          benchmarks: { linpack: { available: true } },
        },
        {
          id: 'native',
          title: 'Native',
          availability: { available: true, details: { benchBinDir: '/x' } },
          benchmarks: { nginx: { available: false, reason: 'nginx missing', fix: 'install it' } },
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      '✗ qemu-kvm (QEMU/KVM): KVM is unavailable: /dev/kvm does not exist',
      '    fix: enable nested virtualization',
      '    dev-kvm: FAILED: /dev/kvm does not exist',
      '✓ native (Native)',
      '    benchBinDir: /x',
      '    ✗ nginx: nginx missing',
      '        fix: install it',
    ]);
  });
});
