/** Run-against-run comparison: verdicts follow the log-scale CI of the direction-aware speed ratio. */
import { describe, expect, it } from 'vitest';
import { compareRuns, summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

/** Geometric mean of the samples' values, written out: the log-scale ratio's point is geomean / geomean. */
const geoMean = (samples: { value: number | null }[]) =>
  Math.exp(samples.reduce((s, x) => s + Math.log(x.value as number), 0) / samples.length);

describe('compareRuns', () => {
  const baseline = summarize([
    ...cellSamples('native', 'linpack', 1000, { n: 7 }), // KFLOPS: higher is better
    ...cellSamples('native', 'memsweep', 2, { n: 7 }), // seconds: lower is better
    ...cellSamples('docker', 'syscall', 100, { n: 14 }),
    ...cellSamples('qemu-tcg', 'forksum', 5, { n: 7 }),
  ]);

  it('calls a clear change better or worse in the metric’s own direction', () => {
    const candidate = summarize([
      ...cellSamples('native', 'linpack', 1200), // 20% more KFLOPS: better
      ...cellSamples('native', 'memsweep', 2.4), // 20% more seconds: worse
      ...cellSamples('docker', 'syscall', 100.2, { spread: 1.1, n: 14 }), // within noise
    ]);
    const rows = compareRuns(baseline, candidate);
    // Only cells both runs measured, in the baseline's order.
    expect(rows.map((r) => `${r.benchmark}/${r.platform}`)).toEqual([
      'linpack/native',
      'memsweep/native',
      'syscall/docker',
    ]);
    const [linpack, memsweep, syscall] = rows;
    expect(linpack).toMatchObject({ verdict: 'faster', baselineN: 7, candidateN: 5 });
    // Ratio of geometric means (n 5 against 7 wobble differently, so not exactly 1.2).
    const linpackRatio =
      geoMean(cellSamples('native', 'linpack', 1200)) /
      geoMean(cellSamples('native', 'linpack', 1000, { n: 7 }));
    expect(linpackRatio).toBeCloseTo(1.2, 3);
    expect(linpack!.relative).toBeCloseTo(linpackRatio, 10);
    expect(linpack!.relativeLow!).toBeGreaterThan(1);
    expect(memsweep!.verdict).toBe('slower');
    // Lower is better: speed = 1 / ratio = reference geomean / candidate geomean.
    const memsweepSpeed =
      geoMean(cellSamples('native', 'memsweep', 2, { n: 7 })) /
      geoMean(cellSamples('native', 'memsweep', 2.4));
    expect(memsweep!.relative).toBeCloseTo(memsweepSpeed, 10);
    expect(memsweep!.relativeHigh!).toBeLessThan(1);
    expect(memsweep!.welchP!).toBeLessThan(0.001);
    expect(syscall).toMatchObject({ verdict: 'same', moreRepetitions: null });
    expect(syscall!.relativeLow!).toBeLessThan(1);
    expect(syscall!.relativeHigh!).toBeGreaterThan(1);
    expect(syscall!.welchP!).toBeGreaterThan(0.05);
  });

  it('says "too-few" with fewer than two successful repetitions on a side', () => {
    const candidate = summarize(cellSamples('qemu-tcg', 'forksum', 4, { n: 1 }));
    const [row] = compareRuns(baseline, candidate);
    expect(row).toMatchObject({
      verdict: 'too-few',
      candidateN: 1,
      welchP: null,
      moreRepetitions: null,
    });
    expect(row!.relative).toBeCloseTo(5 / 4, 10);
  });

  it('a run compared with itself is the same everywhere when the data are tight, speed 1', () => {
    const rows = compareRuns(baseline, baseline);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.verdict).toBe('same');
      expect(r.relative).toBeCloseTo(1, 12);
      expect(r.welchP).toBeCloseTo(1, 9);
    }
  });
});
