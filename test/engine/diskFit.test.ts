/**
 * Disk fit: the guest's benchmark disk must hold the largest disk write. Unset,
 * it is sized to fit; set too small, the config is refused naming
 * guest.diskSizeMiB (CLI: exit 2, before anything starts).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { diskNeed, fitGuestDisk } from '../../src/shared/diskFit';
import { ROOT, tempDir } from './helpers';
import { builtCli } from '../support/builtApp';

describe('guest disk fit', () => {
  const tmp = tempDir('diskfit');
  afterAll(() => tmp.cleanup());

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

  it('the CLI refuses the too-small disk with exit 2 and the field on stderr', () => {
    const path = join(tmp.dir, 'small-disk.json');
    writeFileSync(
      path,
      JSON.stringify({
        platforms: ['qemu-tcg'],
        profile: 'standard',
        benchmarks: ['diskwrite'],
        guest: { diskSizeMiB: 256 },
      }),
    );
    const r = spawnSync(process.execPath, [builtCli(), 'run', path], {
      cwd: ROOT,
      env: { ...process.env, BENCHVISOR_RUNS: join(tmp.dir, 'runs') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/guest\.diskSizeMiB: 256 MiB is too small: diskwrite writes 512 MiB/);
  });
});
