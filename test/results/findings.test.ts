import { describe, expect, it } from 'vitest';
import { computeFindings, findingLabel, FindingSchema } from '../../src/shared/findings';
import type { Finding, FindingsInput } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats';
import type { Sample } from '../../src/shared/sample';
import { cellSamples } from './fixtures';

function findings(samples: Sample[], extra: Partial<FindingsInput> = {}): Finding[] {
  const out = computeFindings({ samples, summary: summarize(samples), ...extra });
  for (const f of out) expect(FindingSchema.safeParse(f).success).toBe(true);
  return out;
}
const byId = (fs: Finding[], id: string) => fs.find((f) => f.id === id);

describe('findings: the seed study (QEMU ≈ KVM, nobody knew why)', () => {
  // linpack: native/docker ~2e6 KFLOPS, both QEMU columns ~33,000 KFLOPS.
  const samples = [
    ...cellSamples('native', 'linpack', 2_000_000),
    ...cellSamples('docker', 'linpack', 1_990_000),
    ...cellSamples('qemu-tcg', 'linpack', 33_000, { meta: { accel: 'tcg', vcpus: 1 } }),
    ...cellSamples('qemu-kvm', 'linpack', 33_400, {
      meta: { accel: 'kvm', kvmEnabled: false, vcpus: 1 },
    }),
  ];
  const fs = findings(samples, {
    environment: { cores: 2, kvm: { devicePresent: false, deviceUsable: false } },
  });

  it('says the KVM guest was not accelerated, citing QMP query-kvm', () => {
    const f = byId(fs, 'kvm-inactive:qemu-kvm')!;
    expect(f.severity).toBe('problem');
    expect(f.explanation).toContain('QMP query-kvm says enabled=false');
    expect(f.explanation).toContain('no /dev/kvm');
    expect(f.numbers['repetitions with kvmEnabled=false']).toBe(5);
  });
  it('flags the implausible TCG/KVM ratio and names the reason', () => {
    const f = byId(fs, 'tcg-kvm:linpack')!;
    expect(f.severity).toBe('problem');
    expect(f.numbers['KVM speed / TCG speed']).toBeCloseTo(33_400 / 33_000, 3);
    expect(f.explanation).toMatch(/not accelerated/);
  });
  it('sees docker ≈ native within noise', () => {
    const f = byId(fs, 'docker-native:linpack')!;
    expect(f.severity).toBe('info');
    expect(f.numbers['Welch p'] as number).toBeGreaterThan(0.05);
  });
  it('notes the different CPU counts (native 2 cores, guests 1 vCPU)', () => {
    const f = byId(fs, 'vcpu-mismatch')!;
    expect(f.numbers).toMatchObject({ 'native CPUs': 2, 'qemu-tcg CPUs': 1 });
    expect(f.explanation).toContain('1 by default');
  });
  it('orders problems before information', () => {
    const sev = fs.filter((f) => f.kind === 'diagnostic').map((f) => f.severity);
    expect(sev.indexOf('problem')).toBe(0);
    expect(sev.lastIndexOf('problem')).toBeLessThan(sev.indexOf('info'));
  });
});

describe('findings: rules that must stay quiet', () => {
  it('no KVM problem when KVM was active and clearly faster', () => {
    const fs = findings([
      ...cellSamples('qemu-tcg', 'linpack', 33_000, { meta: { kvmEnabled: false } }),
      ...cellSamples('qemu-kvm', 'linpack', 1_900_000, { meta: { kvmEnabled: true } }),
    ]);
    expect(byId(fs, 'kvm-inactive:qemu-kvm')).toBeUndefined();
    expect(byId(fs, 'tcg-kvm:linpack')).toBeUndefined();
  });
  it('no docker ≈ native when docker is clearly slower', () => {
    const fs = findings([
      ...cellSamples('native', 'memsweep', 5),
      ...cellSamples('docker', 'memsweep', 6),
    ]);
    expect(byId(fs, 'docker-native:memsweep')).toBeUndefined();
  });
  it('no high CV on stable data, no vCPU finding on equal counts', () => {
    const fs = findings([
      ...cellSamples('native', 'memsweep', 5, { meta: { vcpus: 1 } }),
      ...cellSamples('docker', 'memsweep', 6),
    ]);
    expect(fs.filter((f) => f.id.startsWith('high-cv'))).toEqual([]);
    expect(byId(fs, 'vcpu-mismatch')).toBeUndefined();
  });
});

describe('findings: noise and caches', () => {
  it('flags a CV above 10%', () => {
    const fs = findings(cellSamples('docker', 'syscall', 100, { spread: 12 }));
    const f = byId(fs, 'high-cv:docker:syscall')!;
    expect(f.severity).toBe('warn');
    expect(f.numbers['CV %'] as number).toBeGreaterThan(10);
  });
  it('explains write-back cache inflating disk figures above native', () => {
    const fs = findings([
      ...cellSamples('native', 'diskwrite', 400),
      ...cellSamples('qemu-kvm', 'diskwrite', 1500, {
        meta: { cacheMode: 'writeback', kvmEnabled: true },
      }),
    ]);
    const f = byId(fs, 'disk-cache:qemu-kvm')!;
    expect(f.severity).toBe('problem');
    expect(f.explanation).toContain('cache=writeback');
    expect(f.explanation).toContain('cache=none');
  });
  it('warns about cache=unsafe from the config even without native', () => {
    const fs = findings(cellSamples('qemu-tcg', 'diskwrite', 300), {
      config: { guest: { cacheMode: 'unsafe' } },
    });
    expect(byId(fs, 'disk-cache:qemu-tcg')!.severity).toBe('warn');
  });
});

describe('findings: user expectations', () => {
  const samples = [
    ...cellSamples('native', 'linpack', 2_000_000),
    ...cellSamples('docker', 'linpack', 1_990_000),
    ...cellSamples('qemu-tcg', 'linpack', 33_000),
    ...cellSamples('qemu-kvm', 'linpack', 1_800_000),
    ...cellSamples('native', 'forksum', 0.1),
    ...cellSamples('qemu-kvm', 'forksum', 0.3),
  ];
  const config = {
    expectations: [
      { kind: 'approx', benchmark: 'linpack', a: 'docker', b: 'native', withinPercent: 5 },
      { kind: 'approx', benchmark: 'linpack', a: 'qemu-kvm', b: 'native', withinPercent: 5 },
      { kind: 'faster', benchmark: 'linpack', a: 'qemu-kvm', b: 'qemu-tcg' },
      { kind: 'faster', benchmark: 'forksum', a: 'qemu-kvm', b: 'native' },
      {
        kind: 'ranking',
        benchmark: 'linpack',
        order: ['native', 'docker', 'qemu-kvm', 'qemu-tcg'],
      },
      { kind: 'ranking', benchmark: 'linpack', order: ['qemu-tcg', 'native'] },
      { kind: 'faster', benchmark: 'nginx', a: 'docker', b: 'native' },
    ],
  };
  const fs = findings(samples, { config }).filter((f) => f.kind === 'expectation');

  it('evaluates each expectation as held / not held with the numbers', () => {
    expect(fs.map((f) => f.held)).toEqual([true, false, true, false, true, false, undefined]);
    expect(fs[0]!.title).toBe('Held: Docker ≈ Native within 5% on LINPACK');
    expect(fs[1]!.explanation).toMatch(/10\.0% difference, outside ±5%/);
    expect(fs[1]!.numbers.ratio).toBeCloseTo(0.9, 3);
    // forksum time is lower-is-better: 0.3 s is slower than 0.1 s.
    expect(fs[3]!.explanation).toMatch(/is slower/);
    expect(fs[5]!.explanation).toMatch(/Measured order: Native > QEMU \(emulated, TCG\)/);
  });
  it('says when an expectation cannot be checked', () => {
    expect(fs[6]!.title).toMatch(/^Cannot check/);
    expect(fs[6]!.severity).toBe('warn');
  });
  it('reports a close but noisy approx as "cannot tell yet", with what would settle it', () => {
    const noisy = [
      ...cellSamples('native', 'syscall', 100, { n: 3 }),
      ...cellSamples('docker', 'syscall', 101, { n: 3, spread: 8 }),
    ];
    const [f] = findings(noisy, {
      config: {
        expectations: [
          { kind: 'approx', benchmark: 'syscall', a: 'docker', b: 'native', withinPercent: 5 },
        ],
      },
    }).filter((x) => x.kind === 'expectation');
    // Not "not held": the data do not contradict it, they cannot decide it yet.
    expect(f!.held).toBeUndefined();
    expect(findingLabel(f!)).toBe('cannot tell yet');
    expect(f!.title).toMatch(/^Cannot tell yet: /);
    expect(f!.settle).toMatch(/more repetitions? per side would settle it/);
    expect(f!.explanation).toMatch(/cannot tell yet.*would settle it\.$/);
  });
});
