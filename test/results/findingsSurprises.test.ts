import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

describe('findings: a guest faster than native', () => {
  // syscall: lower is better. Native 2400 ns per call, the TCG guest 1400 ns.
  const samples = [
    ...cellSamples('native', 'syscall', 2400),
    ...cellSamples('qemu-tcg', 'syscall', 1400, {
      meta: { accel: 'tcg', kernelVersion: '6.1.0-56-amd64' },
    }),
  ];

  it('explains it by the virtualized host and the guest kernel', () => {
    const fs = computeFindings({
      samples,
      summary: summarize(samples),
      environment: { hostVirtualized: true },
    });
    const f = fs.find((x) => x.id === 'faster-than-native:qemu-tcg:syscall');
    expect(f).toBeDefined();
    expect(f!.severity).toBe('warn');
    expect(f!.explanation).toContain('hypervisor');
    expect(f!.explanation).toContain('6.1.0-56-amd64');
    expect(f!.numbers['speed relative to native'] as number).toBeCloseTo(2400 / 1400, 1);
    expect(f!.numbers['host virtualized']).toBe('true');
  });

  it('names a smaller CPU count for hand-off benchmarks (forksum)', () => {
    const fork = [
      ...cellSamples('native', 'forksum', 0.38, { meta: { vcpus: 2 } }),
      ...cellSamples('docker', 'forksum', 0.21, { meta: { vcpus: 1 } }),
    ];
    const fs = computeFindings({ samples: fork, summary: summarize(fork) });
    const f = fs.find((x) => x.id === 'faster-than-native:docker:forksum');
    expect(f?.explanation).toContain("1 CPU against native's 2");
  });

  it('stays quiet when the guest is slower, or within noise', () => {
    const slower = [
      ...cellSamples('native', 'syscall', 1400),
      ...cellSamples('qemu-tcg', 'syscall', 2400),
      ...cellSamples('docker', 'syscall', 1401),
    ];
    const fs = computeFindings({ samples: slower, summary: summarize(slower) });
    expect(fs.filter((f) => f.id.startsWith('faster-than-native'))).toEqual([]);
  });
});

describe('findings: skipped platforms', () => {
  it('says why a KVM platform (qemu-kvm, unikernel-kvm) was not run and that there was no silent fallback', () => {
    const samples = cellSamples('native', 'linpack', 5e6);
    const fs = computeFindings({
      samples,
      summary: summarize(samples),
      skipped: [
        { platform: 'qemu-kvm', reason: 'KVM is unavailable: /dev/kvm does not exist' },
        { platform: 'unikernel-kvm', reason: 'KVM is unavailable: /dev/kvm does not exist' },
        { platform: 'docker', benchmark: 'nginx', reason: 'nginx is missing' },
        { platform: 'bogus', reason: 'ignored' },
      ],
    });
    const kvm = fs.find((f) => f.id === 'skipped:qemu-kvm');
    expect(kvm?.severity).toBe('warn');
    expect(kvm?.explanation).toContain('/dev/kvm does not exist');
    expect(kvm?.explanation).toContain('never falls back');
    // Every KVM platform is explained alike (the unikernel on KVM too).
    const uk = fs.find((f) => f.id === 'skipped:unikernel-kvm');
    expect(uk?.severity).toBe('warn');
    expect(uk?.explanation).toBe(kvm?.explanation);
    expect(fs.find((f) => f.id === 'skipped:docker:nginx')?.severity).toBe('info');
    expect(fs.filter((f) => f.id.startsWith('skipped:'))).toHaveLength(3);
  });
});
