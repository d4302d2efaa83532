/** Findings about the library OS, from constructed samples: said only when the data shows it. */
import { hostCpuMeta } from '../support/hostCpuMeta';
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

const find = (samples: ReturnType<typeof cellSamples>, id: string) =>
  computeFindings({ samples, summary: summarize(samples) }).find((f) => f.id === id);

describe('findings: what the unikernel changes', () => {
  it('a system call as an in-image trap: cheaper than the Linux guest on the same accelerator', () => {
    const samples = [
      ...cellSamples('qemu-tcg', 'syscall', 2400, { meta: { accel: 'tcg' } }),
      ...cellSamples('unikernel-tcg', 'syscall', 600, { meta: { accel: 'tcg' } }),
    ];
    const f = find(samples, 'library-os:unikernel-tcg:syscall');
    expect(f).toBeDefined();
    expect(f!.severity).toBe('info');
    expect(f!.title).toMatch(
      /Unikernel \(emulated, TCG\) is 4\.0× faster than QEMU \(emulated, TCG\)/,
    );
    expect(f!.explanation).toContain('one address space');
    expect(f!.numbers['relative speed'] as number).toBeCloseTo(4, 1);
  });

  it('memsweep without page faults: names the mapping chosen', () => {
    const samples = [
      ...cellSamples('qemu-tcg', 'memsweep', 30),
      ...cellSamples('unikernel-tcg', 'memsweep', 12),
    ];
    const f = find(samples, 'library-os:unikernel-tcg:memsweep');
    expect(f?.explanation).toContain('identity mapping with 2 MiB pages');
    expect(f?.explanation).toContain('no page faults');
  });

  it('stays quiet within noise, when the unikernel is slower, or without the Linux guest', () => {
    const same = [
      ...cellSamples('qemu-tcg', 'syscall', 1000, { spread: 5 }),
      ...cellSamples('unikernel-tcg', 'syscall', 1001, { spread: 5 }),
    ];
    expect(find(same, 'library-os:unikernel-tcg:syscall')).toBeUndefined();
    const slower = [
      ...cellSamples('qemu-tcg', 'memsweep', 10),
      ...cellSamples('unikernel-tcg', 'memsweep', 20),
    ];
    expect(find(slower, 'library-os:unikernel-tcg:memsweep')).toBeUndefined();
    const alone = cellSamples('unikernel-tcg', 'syscall', 600);
    expect(
      computeFindings({ samples: alone, summary: summarize(alone) }).filter((f) =>
        f.id.startsWith('library-os'),
      ),
    ).toEqual([]);
  });

  it('compares boot-to-main with the Linux guest boot-to-ready, pairing by accelerator', () => {
    const samples = [
      ...cellSamples('qemu-tcg', 'linpack', 30000, { meta: { bootMs: 9000 } }),
      ...cellSamples('unikernel-tcg', 'linpack', 31000, { meta: { bootToMainMs: 600 } }),
      ...cellSamples('qemu-kvm', 'linpack', 900000, { meta: { bootMs: 2000 } }),
    ];
    const f = find(samples, 'library-os:unikernel-tcg:boot');
    expect(f?.numbers).toMatchObject({
      'unikernel-tcg boot-to-main ms (median)': 600,
      'qemu-tcg boot-to-ready ms (median)': 9000,
    });
    expect(f?.numbers.ratio as number).toBeCloseTo(600 / 9000, 3);
    // Not compared with the KVM guest, and silent when the unikernel booted slower.
    expect(find(samples, 'library-os:unikernel-kvm:boot')).toBeUndefined();
    const slowBoot = [
      ...cellSamples('qemu-tcg', 'linpack', 30000, { meta: { bootMs: 500 } }),
      ...cellSamples('unikernel-tcg', 'linpack', 31000, { meta: { bootToMainMs: 600 } }),
    ];
    expect(find(slowBoot, 'library-os:unikernel-tcg:boot')).toBeUndefined();
  });

  it('a CPU-bound gap, where the same instructions should run alike, is explained by the CPU share QEMU got', () => {
    const cpu = (runCpuPercent: number) => ({
      hostCpu: hostCpuMeta({ othersCpuPercent: 200 - runCpuPercent, runCpuPercent }),
    });
    const byShare = [
      ...cellSamples('qemu-tcg', 'linpack', 180000, { meta: cpu(98) }),
      ...cellSamples('unikernel-tcg', 'linpack', 90000, { meta: cpu(45) }),
    ];
    const f = find(byShare, 'library-os:unikernel-tcg:same-work:linpack');
    expect(f?.severity).toBe('warn');
    expect(f?.title).toMatch(/LINPACK: Unikernel \(emulated, TCG\) at 0\.50× of QEMU/);
    expect(f?.explanation).toContain('follows the CPU the QEMU process got: 45% of a CPU');
    expect(f?.numbers['relative speed per CPU share'] as number).toBeCloseTo(0.5 / (45 / 98), 2);
    // The same gap with the same CPU share: the share does not explain it, the guests do.
    const byGuest = [
      ...cellSamples('qemu-tcg', 'linpack', 180000, { meta: cpu(98) }),
      ...cellSamples('unikernel-tcg', 'linpack', 90000, { meta: cpu(98) }),
    ];
    const g = find(byGuest, 'library-os:unikernel-tcg:same-work:linpack');
    expect(g?.explanation).toContain('does not explain all of it');
    // Without recorded shares it says so; within 10% it says nothing.
    const noShare = [
      ...cellSamples('qemu-tcg', 'linpack', 180000),
      ...cellSamples('unikernel-tcg', 'linpack', 90000),
    ];
    expect(find(noShare, 'library-os:unikernel-tcg:same-work:linpack')?.explanation).toContain(
      'No CPU share was recorded',
    );
    const close = [
      ...cellSamples('qemu-tcg', 'linpack', 180000, { meta: cpu(98) }),
      ...cellSamples('unikernel-tcg', 'linpack', 171000, { meta: cpu(60) }),
    ];
    expect(find(close, 'library-os:unikernel-tcg:same-work:linpack')).toBeUndefined();
  });
});
