/**
 * The host-differences finding and host targets, on constructed samples: the host is a dimension
 * ("lab1 · QEMU TCG"), facts that differ between hosts are named, the largest gap per benchmark
 * and target is stated, and a run without hosts gets no such finding.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/shared/findings';
import { summarize } from '../../src/shared/stats/summary';
import { hostTargetId, targetLabelOf, targetWithoutHost } from '../../src/shared/targets';
import type { Sample } from '../../src/shared/sample';
import { valueSamples } from '../results/fixtures';

function onHost(host: string, values: number[]): Sample[] {
  return valueSamples('qemu-tcg', 'linpack', values).map((s) => {
    const target = hostTargetId('qemu-tcg', host);
    return { ...s, target, meta: { target, targetLabel: `${host} · QEMU TCG`, host } };
  });
}

const env = (cpuModel: string, kernel: string) => ({
  cpuModel,
  cores: 8,
  memoryMiB: 16000,
  kernel,
  governor: 'performance',
  hostVirtualized: false,
});

describe('lab hosts as a dimension', () => {
  it('names host targets "<host> · <label>" and reads their own target back', () => {
    const id = hostTargetId('qemu-tcg.qcow2', 'Lab_1');
    expect(id).toBe('qemu-tcg.qcow2.on-lab-1');
    expect(targetWithoutHost(id)).toBe('qemu-tcg.qcow2');
    expect(targetLabelOf('qemu-tcg', id)).toBe('lab-1 · QEMU TCG · qcow2');
  });

  it('explains a gap between hosts by the facts that differ', () => {
    const samples = [...onHost('lab1', [100, 102, 98]), ...onHost('lab2', [200, 204, 196])];
    const findings = computeFindings({
      samples,
      summary: summarize(samples, { reference: hostTargetId('qemu-tcg', 'lab1') }),
      environment: { byHost: { lab1: env('EPYC 7302', '6.1.0'), lab2: env('Xeon E5', '6.1.0') } },
    });
    const f = findings.find((x) => x.id === 'host-differences')!;
    expect(f.title).toBe('Hosts lab1, lab2 differ in CPU');
    expect(f.explanation).toContain('CPU: lab1 EPYC 7302, lab2 Xeon E5');
    expect(f.explanation).toContain("linpack on qemu-tcg: lab2's mean is 2.00× lab1's");
    expect(f.numbers['largest gap (×)']).toBe(2);
  });

  it('says when the hosts have the same facts, and is absent without hosts', () => {
    const samples = [...onHost('lab1', [100, 101]), ...onHost('lab2', [100, 99])];
    const same = computeFindings({
      samples,
      summary: summarize(samples),
      environment: { byHost: { lab1: env('EPYC', '6.1'), lab2: env('EPYC', '6.1') } },
    }).find((x) => x.id === 'host-differences')!;
    expect(same.title).toBe('Hosts lab1, lab2 have the same recorded facts');
    const plain = valueSamples('native', 'linpack', [1, 2, 3]);
    expect(
      computeFindings({ samples: plain, summary: summarize(plain) }).some(
        (x) => x.id === 'host-differences',
      ),
    ).toBe(false);
  });
});
