/**
 * The facts behind the like-for-like findings: which host filesystem holds a
 * path (mountinfo), the CPU/clock facts of a kernel (host files or the guest
 * script's output), and the disk cache flags in a QMP query-block answer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostFilesystemOf, mountFor, parseMountinfo } from '../../src/main/host/hostFilesystem';
import { parseCpuFactsLines, parseCpuinfo, readHostCpuFacts } from '../../src/main/host/cpuFacts';
import { diskCacheOf } from '../../src/main/qemu/qmpFacts';

const tmp = mkdtempSync(join(tmpdir(), 'bv-l4l-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '30 22 0:25 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw,size=1024k',
  '31 22 0:26 / /mnt/my\\040disk rw shared:6 - xfs /dev/sdb1 rw',
  '32 30 0:27 / /tmp/runs rw shared:7 - btrfs /dev/sdc1 rw',
].join('\n');

describe('host filesystem of a path', () => {
  const entries = parseMountinfo(MOUNTINFO);
  it('longest mount point wins; tmpfs is RAM; escaped spaces are read', () => {
    expect(mountFor(entries, '/home/u/runs/x/disk.qcow2')).toMatchObject({
      type: 'ext4',
      inRam: false,
      mountPoint: '/',
    });
    expect(mountFor(entries, '/tmp/bvq-1/disk.qcow2')).toMatchObject({
      type: 'tmpfs',
      inRam: true,
    });
    expect(mountFor(entries, '/tmp/runs/r1/scratch')).toMatchObject({ type: 'btrfs' });
    expect(mountFor(entries, '/tmpfoo')).toMatchObject({ type: 'ext4' });
    expect(mountFor(entries, '/mnt/my disk/a')).toMatchObject({ type: 'xfs', source: '/dev/sdb1' });
  });

  it('reads the real mountinfo for a file that does not exist yet (its folder decides)', async () => {
    const fs = await hostFilesystemOf(join(tmp, 'not-yet', 'disk.bin'));
    expect(fs?.type).toMatch(/^[a-z0-9_.]+$/);
    expect(typeof fs?.inRam).toBe('boolean');
  });
});

describe('CPU and clock facts', () => {
  it('reads host-style files (injected paths)', async () => {
    const vuln = join(tmp, 'vulnerabilities');
    mkdirSync(vuln);
    writeFileSync(join(vuln, 'spectre_v2'), 'Mitigation: Retpolines\n');
    writeFileSync(join(vuln, 'meltdown'), 'Not affected\n');
    writeFileSync(
      join(tmp, 'cpuinfo'),
      'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n',
    );
    writeFileSync(join(tmp, 'clocksource'), 'kvm-clock\n');
    expect(
      await readHostCpuFacts({
        cpuinfo: join(tmp, 'cpuinfo'),
        clocksource: join(tmp, 'clocksource'),
        vulnerabilities: vuln,
      }),
    ).toEqual({
      clocksource: 'kvm-clock',
      cpuVendor: 'AuthenticAMD',
      cpuModel: 'AMD EPYC 7B13',
      cpuVulnerabilities: { meltdown: 'Not affected', spectre_v2: 'Mitigation: Retpolines' },
    });
    expect(parseCpuinfo('flags : fpu\n')).toEqual({ cpuVendor: 'unknown', cpuModel: 'unknown' });
  });

  it("parses the guest script's output (and its absence)", () => {
    expect(
      parseCpuFactsLines(
        'clocksource=tsc\r\nvendor=GenuineIntel\nmodel=QEMU TCG CPU version 2.5+\nvuln.mds=Vulnerable: Clear CPU buffers attempted, no microcode\nnoise\n',
      ),
    ).toEqual({
      clocksource: 'tsc',
      cpuVendor: 'GenuineIntel',
      cpuModel: 'QEMU TCG CPU version 2.5+',
      cpuVulnerabilities: { mds: 'Vulnerable: Clear CPU buffers attempted, no microcode' },
    });
    expect(parseCpuFactsLines('').clocksource).toBe('unknown');
  });
});

describe('QMP facts', () => {
  it('takes the cache flags of the benchmark drive from query-block', () => {
    const blocks = [
      {
        device: 'other',
        inserted: { cache: { writeback: false, direct: false, 'no-flush': false } },
      },
      {
        device: 'bench0',
        inserted: { cache: { writeback: true, direct: true, 'no-flush': false } },
      },
    ];
    expect(diskCacheOf(blocks, 'bench0')).toEqual({
      writeback: true,
      direct: true,
      noFlush: false,
    });
    expect(diskCacheOf(blocks, 'missing')).toBeUndefined();
    expect(diskCacheOf(null, 'bench0')).toBeUndefined();
  });
});
