/**
 * Like-for-like findings on constructed samples (never on live noise): disks
 * on different filesystems or in RAM, different mitigations or clocksources
 * between compared kernels, and a guest clock that ran faster than the host's.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings, FindingSchema } from '../../src/shared/findings';
import type { Finding } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

function findings(samples: Sample[]): Finding[] {
  const out = computeFindings({ samples, summary: summarize(samples) });
  for (const f of out) expect(FindingSchema.safeParse(f).success).toBe(true);
  return out;
}
const byId = (fs: Finding[], id: string) => fs.find((f) => f.id === id);

const ext4 = { diskHostFs: 'ext4', diskHostInRam: false };
const HOST_VULN = { spectre_v2: 'Mitigation: Retpolines', meltdown: 'Not affected' };

describe('disk filesystems', () => {
  it('all platforms on the same disk filesystem: nothing to say', () => {
    const fs = findings([
      ...cellSamples('native', 'diskwrite', 500, { meta: ext4 }),
      ...cellSamples('docker', 'diskwrite', 480, { meta: ext4 }),
      ...cellSamples('qemu-tcg', 'diskwrite', 200, { meta: ext4 }),
    ]);
    expect(byId(fs, 'disk-filesystems-differ')).toBeUndefined();
    expect(byId(fs, 'disk-in-ram')).toBeUndefined();
  });

  it('a guest image on tmpfs: a problem naming RAM, and the filesystems differ', () => {
    const fs = findings([
      ...cellSamples('native', 'diskwrite', 500, { meta: ext4 }),
      ...cellSamples('qemu-tcg', 'diskwrite', 2000, {
        meta: { diskHostFs: 'tmpfs', diskHostInRam: true },
      }),
    ]);
    const ram = byId(fs, 'disk-in-ram');
    expect(ram?.severity).toBe('problem');
    expect(ram?.title).toMatch(/QEMU \(emulated, TCG\) wrote the disk benchmark to RAM/);
    expect(ram?.numbers['qemu-tcg filesystem']).toBe('tmpfs (RAM)');
    expect(byId(fs, 'disk-filesystems-differ')?.explanation).toMatch(/native|Native ext4/i);
  });

  it('only disk samples count (a tmpfs meta on linpack is not a disk finding)', () => {
    const fs = findings([
      ...cellSamples('native', 'linpack', 500, {
        meta: { diskHostFs: 'tmpfs', diskHostInRam: true },
      }),
    ]);
    expect(byId(fs, 'disk-in-ram')).toBeUndefined();
  });
});

describe('mitigations and clocksources', () => {
  it('a guest kernel with a different mitigation status: a warning naming it', () => {
    const fs = findings([
      ...cellSamples('native', 'syscall', 100, {
        meta: { cpuVulnerabilities: HOST_VULN, clocksource: 'tsc' },
      }),
      ...cellSamples('qemu-kvm', 'syscall', 300, {
        meta: {
          cpuVulnerabilities: { ...HOST_VULN, spectre_v2: 'Vulnerable' },
          clocksource: 'tsc',
        },
      }),
    ]);
    const m = byId(fs, 'mitigations-differ');
    expect(m?.severity).toBe('warn');
    expect(m?.explanation).toMatch(/^spectre_v2 differs between/);
    expect(m?.numbers).toEqual({
      'spectre_v2 (native)': 'Mitigation: Retpolines',
      'spectre_v2 (qemu-kvm)': 'Vulnerable',
    });
    expect(byId(fs, 'clocksources-differ')).toBeUndefined();
  });

  it('same mitigations: nothing; different clocksources: a warning', () => {
    const fs = findings([
      ...cellSamples('native', 'syscall', 100, {
        meta: { cpuVulnerabilities: HOST_VULN, clocksource: 'tsc' },
      }),
      ...cellSamples('qemu-tcg', 'syscall', 900, {
        meta: { cpuVulnerabilities: HOST_VULN, clocksource: 'hpet' },
      }),
    ]);
    expect(byId(fs, 'mitigations-differ')).toBeUndefined();
    expect(byId(fs, 'clocksources-differ')?.numbers).toEqual({
      'native clocksource': 'tsc',
      'qemu-tcg clocksource': 'hpet',
    });
  });
});

describe('guest clock against the host wall time', () => {
  /** Samples whose own `seconds` metric and host duration are set per repetition. */
  function timed(platform: 'qemu-tcg' | 'native', pairs: [seconds: number, hostMs: number][]) {
    return cellSamples(platform, 'linpack', 1000, { n: pairs.length }).map((s, i) => ({
      ...s,
      metrics: { ...s.metrics, seconds: pairs[i]![0] },
      durationMs: pairs[i]![1],
    }));
  }

  it('own time within the host time (or within the tolerance): no finding', () => {
    const fs = findings(
      timed('qemu-tcg', [
        [1.0, 1200],
        [1.0, 1001],
        [0.5, 700],
      ]),
    );
    expect(fs.some((f) => f.id.startsWith('clock-problem'))).toBe(false);
  });

  it('a repetition timed longer inside the guest than on the host: a clock problem', () => {
    const fs = findings(
      timed('qemu-tcg', [
        [1.0, 1200],
        [2.0, 1300],
        [1.0, 1100],
      ]),
    );
    const c = byId(fs, 'clock-problem:qemu-tcg');
    expect(c?.severity).toBe('problem');
    expect(c?.numbers).toMatchObject({
      repetitions: 1,
      'worst: rep': 2,
      'worst: own seconds': 2,
      'worst: host seconds': 1.3,
    });
  });
});
