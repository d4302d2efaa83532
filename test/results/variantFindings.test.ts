/**
 * Findings that explain a variant's effect, on constructed samples: each concern with an
 * effect beyond the noise (numbers and mechanism), "no measurable effect" (verdict same, with
 * the interval), and "inconclusive" with the repetitions that would settle it; pairs are
 * targets that differ in exactly one field.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings, VARIANT_FINDING_PREFIX } from '../../src/shared/findings';
import type { Finding } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';
import { targetCell } from './variantFixtures';

function variantFindings(samples: Sample[]): Finding[] {
  return computeFindings({ samples, summary: summarize(samples) }).filter((f) =>
    f.id.startsWith(VARIANT_FINDING_PREFIX),
  );
}

const SHAPE = {
  diskFormat: 'raw',
  cacheMode: 'none',
  preallocation: 'off',
  vcpus: 1,
  memoryMiB: 512,
};
const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';

/** raw at `raw` MB/s and qcow2 at `qcow` MB/s, each with the given spread (1 = CV ≈ 1.2%). */
function formats(raw: number, qcow: number, spread = 1): Sample[] {
  return [
    ...targetCell('qemu-tcg', RAW, 'diskwrite', raw, SHAPE, { spread }),
    ...targetCell(
      'qemu-tcg',
      QCOW,
      'diskwrite',
      qcow,
      { ...SHAPE, diskFormat: 'qcow2' },
      { spread },
    ),
    // memsweep does not touch the disk: no format finding for it, whatever it shows.
    ...targetCell('qemu-tcg', RAW, 'memsweep', 1, SHAPE),
    ...targetCell('qemu-tcg', QCOW, 'memsweep', 3, { ...SHAPE, diskFormat: 'qcow2' }),
  ];
}

describe('qcow2 vs raw', () => {
  it('an effect beyond the noise: numbers, verdict and the mechanism', () => {
    const fs = variantFindings(formats(100, 70));
    expect(fs.map((f) => f.id)).toEqual([`variant-diskFormat:${QCOW}:${RAW}:diskwrite`]);
    const f = fs[0]!;
    expect(f.numbers.verdict).toBe('slower');
    expect(f.numbers['qcow2 speed / raw speed']).toBeCloseTo(0.7, 2);
    expect(f.title).toBe('Disk write on QEMU TCG: qcow2 runs at 0.70× the speed of raw');
    expect(f.explanation).toContain('42.9% more time for the same work');
    expect(f.explanation).toMatch(/L2/);
    expect(f.explanation).toContain('preallocation=off');
    expect(f.explanation).toContain('preallocation=metadata');
  });

  it('same: "no measurable effect" with the interval', () => {
    const [f] = variantFindings(formats(100, 100, 0.1));
    expect(f?.numbers.verdict).toBe('same');
    expect(f?.title).toContain('no measurable effect');
    expect(f?.explanation).toMatch(
      /No measurable effect: qcow2 ran at 1\.000× \(95% CI 0\.99\d–1\.00\d\)/,
    );
  });

  it('inconclusive: says how many more repetitions per side would settle it', () => {
    const [f] = variantFindings(formats(100, 100, 30));
    expect(f?.numbers.verdict).toBe('inconclusive');
    expect(f?.title).toContain('inconclusive');
    expect(f?.explanation).toMatch(/about [\d,]+ more repetitions? per side would settle it/);
    expect(f?.numbers['more repetitions per side']).toBeGreaterThan(0);
  });

  it('too few repetitions: nothing', () => {
    const samples = [
      ...targetCell('qemu-tcg', RAW, 'diskwrite', 100, SHAPE, { n: 1 }),
      ...targetCell('qemu-tcg', QCOW, 'diskwrite', 50, { ...SHAPE, diskFormat: 'qcow2' }, { n: 1 }),
    ];
    expect(variantFindings(samples)).toEqual([]);
  });

  it('a run without variants has no variant findings', () => {
    expect(
      variantFindings([
        ...cellSamples('native', 'diskwrite', 400),
        ...cellSamples('qemu-tcg', 'diskwrite', 100),
      ]),
    ).toEqual([]);
  });
});

describe('pairs differ in exactly one field', () => {
  it('raw/qcow2 × none/writeback: two format pairs and two cache pairs, no diagonal', () => {
    const t = (format: string, cache: string, base: number) =>
      targetCell('qemu-tcg', `qemu-tcg.${format}.cache-${cache}`, 'diskwrite', base, {
        ...SHAPE,
        diskFormat: format,
        cacheMode: cache,
      });
    const fs = variantFindings([
      ...t('raw', 'none', 100),
      ...t('raw', 'writeback', 300),
      ...t('qcow2', 'none', 80),
      ...t('qcow2', 'writeback', 290),
    ]);
    expect(fs.map((f) => f.id).sort()).toEqual(
      [
        'variant-cacheMode:qemu-tcg.qcow2.cache-writeback:qemu-tcg.qcow2.cache-none:diskwrite',
        'variant-cacheMode:qemu-tcg.raw.cache-writeback:qemu-tcg.raw.cache-none:diskwrite',
        'variant-diskFormat:qemu-tcg.qcow2.cache-none:qemu-tcg.raw.cache-none:diskwrite',
        'variant-diskFormat:qemu-tcg.qcow2.cache-writeback:qemu-tcg.raw.cache-writeback:diskwrite',
      ].sort(),
    );
    const wb = fs.find((f) => f.id.startsWith('variant-cacheMode:qemu-tcg.raw'))!;
    // The pair's context names the field they share.
    expect(wb.title).toBe(
      'Disk write on QEMU TCG, raw: cache=writeback runs at 3.00× the speed of cache=none',
    );
    expect(wb.numbers.verdict).toBe('faster');
    expect(wb.explanation).toContain('host page cache absorbed the writes');
    expect(wb.explanation).toContain('O_DIRECT');
    expect(wb.explanation).toContain('flush');
  });
});

describe('cache mode', () => {
  const pair = (none: number, wb: number, spread = 1) => [
    ...targetCell('qemu-tcg', 'qemu-tcg.cache-none', 'diskwrite', none, SHAPE, { spread }),
    ...targetCell(
      'qemu-tcg',
      'qemu-tcg.cache-writeback',
      'diskwrite',
      wb,
      { ...SHAPE, cacheMode: 'writeback' },
      { spread },
    ),
  ];
  it('writeback slower than none: the copy through the page cache and the final flush', () => {
    const [f] = variantFindings(pair(200, 140));
    expect(f?.numbers.verdict).toBe('slower');
    expect(f?.explanation).toContain('thread pool');
  });
  it('same and inconclusive', () => {
    expect(variantFindings(pair(200, 200, 0.1))[0]?.numbers.verdict).toBe('same');
    expect(variantFindings(pair(200, 200, 30))[0]?.numbers.verdict).toBe('inconclusive');
  });
});

describe('vCPU count', () => {
  const vm = (one: number, two: number, spread = 1) => [
    ...targetCell('qemu-tcg', 'qemu-tcg.1cpu', 'forksum', one, SHAPE, { spread }),
    ...targetCell('qemu-tcg', 'qemu-tcg.2cpu', 'forksum', two, { ...SHAPE, vcpus: 2 }, { spread }),
    // Single-threaded benchmarks are not judged for a vCPU change.
    ...targetCell('qemu-tcg', 'qemu-tcg.1cpu', 'linpack', 100, SHAPE),
    ...targetCell('qemu-tcg', 'qemu-tcg.2cpu', 'linpack', 50, { ...SHAPE, vcpus: 2 }),
  ];
  it('more vCPUs slower on fork sum: the cross-CPU hand-offs', () => {
    const fs = variantFindings(vm(0.1, 0.15));
    expect(fs.map((f) => f.id)).toEqual(['variant-vcpus:qemu-tcg.2cpu:qemu-tcg.1cpu:forksum']);
    expect(fs[0]!.numbers.verdict).toBe('slower');
    expect(fs[0]!.title).toContain('2 vCPUs runs at 0.67× the speed of 1 vCPU');
    expect(fs[0]!.explanation).toContain('inter-processor interrupt');
  });
  it('Docker: the CFS quota; same and inconclusive', () => {
    const docker = (one: number, two: number, spread = 1) => [
      ...targetCell(
        'docker',
        'docker.1cpu',
        'forksum',
        one,
        { vcpus: 1, memoryMiB: 512 },
        { spread },
      ),
      ...targetCell(
        'docker',
        'docker.2cpu',
        'forksum',
        two,
        { vcpus: 2, memoryMiB: 512 },
        { spread },
      ),
    ];
    const [effect] = variantFindings(docker(0.2, 0.1));
    expect(effect?.numbers.verdict).toBe('faster');
    expect(effect?.explanation).toContain('CFS quota');
    expect(variantFindings(docker(0.2, 0.2, 0.1))[0]?.numbers.verdict).toBe('same');
    expect(variantFindings(docker(0.2, 0.2, 30))[0]?.numbers.verdict).toBe('inconclusive');
  });
});

describe('memory size and preallocation', () => {
  it('memory: an effect, no measurable effect, inconclusive', () => {
    const mem = (small: number, big: number, spread = 1) => [
      ...targetCell(
        'qemu-tcg',
        'qemu-tcg.256mib',
        'memsweep',
        small,
        { ...SHAPE, memoryMiB: 256 },
        { spread },
      ),
      ...targetCell(
        'qemu-tcg',
        'qemu-tcg.1024mib',
        'memsweep',
        big,
        { ...SHAPE, memoryMiB: 1024 },
        { spread },
      ),
    ];
    const [f] = variantFindings(mem(2, 1));
    expect(f?.id).toBe('variant-memoryMiB:qemu-tcg.1024mib:qemu-tcg.256mib:memsweep');
    expect(f?.numbers.verdict).toBe('faster');
    expect(f?.explanation).toContain('memory pressure');
    expect(variantFindings(mem(1, 1, 0.1))[0]?.title).toContain('no measurable effect');
    expect(variantFindings(mem(1, 1, 30))[0]?.numbers.verdict).toBe('inconclusive');
  });

  it('preallocation=full against off on qcow2', () => {
    const q = { ...SHAPE, diskFormat: 'qcow2' };
    const fs = variantFindings([
      ...targetCell('qemu-tcg', 'qemu-tcg.prealloc-off', 'diskwrite', 80, q),
      ...targetCell('qemu-tcg', 'qemu-tcg.prealloc-full', 'diskwrite', 100, {
        ...q,
        preallocation: 'full',
      }),
    ]);
    expect(fs.map((f) => f.id)).toEqual([
      'variant-preallocation:qemu-tcg.prealloc-full:qemu-tcg.prealloc-off:diskwrite',
    ]);
    expect(fs[0]!.numbers.verdict).toBe('faster');
    expect(fs[0]!.explanation).toContain('fallocate');
  });
});
