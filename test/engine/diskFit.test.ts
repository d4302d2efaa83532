/**
 * Disk fit: the guest's benchmark disk must hold the largest disk write. Unset,
 * it is sized to fit; set too small, the config is refused naming
 * guest.diskSizeMiB (the built CLI's exit 2: cliRefusals.integration.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { diskNeed, fitGuestDisk } from '../../src/shared/diskFit';

describe('guest disk fit', () => {
  it('standard diskwrite (512 MiB) with the disk size unset: the disk grows to 512 MiB', () => {
    const r = parseExperimentConfig({
      platforms: ['qemu-tcg'],
      profile: 'standard',
      benchmarks: ['linpack', 'diskwrite'],
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.guest.diskSizeMiB).toBe(512);
  });

  it('a disk larger than needed is kept; quick diskwrite fits the default', () => {
    const big = parseExperimentConfig({
      platforms: ['qemu-tcg'],
      profile: 'standard',
      benchmarks: ['diskwrite'],
      guest: { diskSizeMiB: 2048 },
    });
    expect(big.ok && big.config.guest.diskSizeMiB).toBe(2048);
    const quick = parseExperimentConfig({ platforms: ['qemu-tcg'], benchmarks: ['diskwrite'] });
    expect(quick.ok && quick.config.guest.diskSizeMiB).toBe(256);
  });

  it('an explicit disk that is too small is refused, naming the field and the benchmark', () => {
    const r = parseExperimentConfig({
      platforms: ['qemu-tcg'],
      benchmarks: ['syscall', { id: 'diskwrite', params: { sizeMiB: 300 } }],
      guest: { diskSizeMiB: 256 },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toBe(
        'guest.diskSizeMiB: 256 MiB is too small: diskwrite writes 300 MiB (benchmarks.1.params.sizeMiB); set it to at least 300, or leave it unset to size the disk to fit',
      );
  });

  it('no platform with a guest disk (native, docker): no refusal', () => {
    const r = parseExperimentConfig({
      platforms: ['native', 'docker'],
      benchmarks: [{ id: 'diskwrite', params: { sizeMiB: 300 } }],
      guest: { diskSizeMiB: 256 },
    });
    expect(r.ok).toBe(true);
  });

  it('no disk-writing benchmark: nothing to fit', () => {
    expect(diskNeed([{ id: 'linpack', params: { size: 200, seconds: 1 } }])).toBeNull();
    expect(fitGuestDisk(16, true, null)).toEqual({ ok: true, diskSizeMiB: 16, grown: false });
  });
});
