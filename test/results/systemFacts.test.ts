/** The System panel's facts (results page, `benchvisor show`) from constructed environment.json. */
import { hostCpuMeta } from '../support/hostCpuMeta';
import { describe, expect, it } from 'vitest';
import {
  mitigationsText,
  NOT_RECORDED,
  systemFacts,
  systemSummary,
} from '../../src/shared/host/systemFacts';
import { formatSystem } from '../../src/main/cli/show';
import { cellSamples } from './fixtures';

const ENV = {
  cpuModel: 'AMD EPYC 7B13',
  cores: 2,
  memoryMiB: 24 * 1024,
  kernel: '6.1.0-18-amd64',
  kernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1',
  governor: 'unknown',
  hostVirtualized: true,
  cpuFacts: {
    cpuModel: 'AMD EPYC 7B13',
    cpuVulnerabilities: {
      spectre_v1: 'Mitigation: usercopy/swapgs barriers',
      spectre_v2: 'Mitigation: Retpolines',
      meltdown: 'Not affected',
      mds: 'Vulnerable: Clear CPU buffers attempted, no microcode',
    },
  },
  host: {
    governor: 'performance',
    virtualized: 'yes',
    hypervisor: 'KVM/QEMU',
    loadAverage: [1.5, 1.25, 0.75],
  },
};

const hostCpu = (others: number, steal: number) => ({
  hostCpu: hostCpuMeta({ othersCpuPercent: others, stealPercent: steal }),
});

describe('system facts', () => {
  it('names CPU, cores, memory, kernel, governor, mitigations, virtualization and load', () => {
    const samples = [
      ...cellSamples('native', 'syscall', 1, { n: 2, meta: hostCpu(40, 1) }),
      ...cellSamples('docker', 'syscall', 1, { n: 2, meta: hostCpu(20, 3) }),
    ];
    const facts = Object.fromEntries(systemFacts(ENV, samples).map((f) => [f.label, f.value]));
    expect(facts).toEqual({
      CPU: 'AMD EPYC 7B13',
      Cores: '2',
      Memory: '24.0 GiB',
      Kernel: '6.1.0-18-amd64 (#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1)',
      Governor: 'performance',
      Mitigations: '2 mitigated, 1 not affected, vulnerable: mds (of 4 the kernel lists)',
      Virtualized: 'yes (KVM/QEMU)',
      'Load before the run': 'load average 1.50 / 1.25 / 0.75 (1 / 5 / 15 min)',
      'Load during the run':
        'other processes used 30% of a CPU on average, steal 2.0% (over 4 repetitions)',
    });
    expect(systemSummary(systemFacts(ENV, samples))).toBe(
      'AMD EPYC 7B13 · 2 cores · 24.0 GiB · Linux 6.1.0-18-amd64 · virtualized',
    );
  });

  it('says "not recorded" for what an old or foreign run folder lacks, never throws', () => {
    for (const env of [undefined, null, 'x', {}, { cores: 'two', cpuFacts: 7, host: [] }]) {
      const facts = systemFacts(env, []);
      expect(facts).toHaveLength(9);
      expect(facts.every((f) => f.value === NOT_RECORDED)).toBe(true);
    }
    expect(mitigationsText({})).toBe(NOT_RECORDED);
  });

  it('prints as the SYSTEM block of `benchvisor show`, control characters escaped', () => {
    const text = formatSystem([{ label: 'CPU', value: 'evil\u001b[2Jcpu' }]);
    expect(text.split('\n')[0]).toBe('SYSTEM');
    expect(text).toMatch(/CPU\s+evil\\x1b\[2Jcpu|CPU\s+evil.*cpu/);
    expect(text).not.toContain('\u001b');
  });
});
