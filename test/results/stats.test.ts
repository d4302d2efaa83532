import { describe as group, expect, it } from 'vitest';
import {
  confidenceInterval,
  describe,
  directedRatio,
  madOutliers,
  median,
  ratioInterval,
  summarize,
  tCritical,
  tTwoSidedP,
  welchTest,
} from '../../src/shared/stats';
import type { Sample } from '../../src/shared/sample';

group('t distribution', () => {
  it.each([
    [1, 12.7062],
    [4, 2.7764],
    [9, 2.2622],
    [29, 2.0452],
    [100, 1.984],
  ])('two-sided 95%% critical value for df=%i is %f (t tables)', (df, expected) => {
    expect(tCritical(df)).toBeCloseTo(expected, 3);
  });
  it('p-value of t = 2.776 at df 4 is 0.05', () => {
    expect(tTwoSidedP(2.7764451, 4)).toBeCloseTo(0.05, 5);
    expect(tTwoSidedP(0, 10)).toBeCloseTo(1, 9);
  });
});

group('descriptive statistics', () => {
  const x = [10, 12, 11, 13, 9];
  it('computes n, mean, median, sample sd, CV, min, max', () => {
    const d = describe(x);
    expect(d.n).toBe(5);
    expect(d.mean).toBe(11);
    expect(d.median).toBe(11);
    expect(d.sd).toBeCloseTo(1.5811388, 6);
    expect(d.cvPercent).toBeCloseTo(14.37399, 4);
    expect(d.min).toBe(9);
    expect(d.max).toBe(13);
  });
  it('95% CI of a small set matches the Student t interval', () => {
    const ci = confidenceInterval(x);
    expect(ci).not.toBeNull();
    expect(ci!.low).toBeCloseTo(9.0367568, 6);
    expect(ci!.high).toBeCloseTo(12.9632432, 6);
    expect(ci!.halfWidthPercent).toBeCloseTo((1.9632432 / 11) * 100, 4);
  });
  it('CI is undefined for a single value', () => {
    expect(confidenceInterval([5])).toBeNull();
    expect(describe([5]).cvPercent).toBeNull();
  });
  it('median of an even count averages the middle pair', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('flags MAD outliers (modified z > 3.5) and nothing in clean data', () => {
    expect(madOutliers([10, 10.1, 9.9, 10.2, 9.8, 10, 30])).toEqual([6]);
    expect(madOutliers([10, 10.1, 9.9, 10.2, 9.8, 10])).toEqual([]);
    // MAD = 0: falls back to the mean absolute deviation.
    expect(madOutliers([5, 5, 5, 5, 5, 5, 50])).toEqual([6]);
    expect(madOutliers([5, 5, 5])).toEqual([]);
  });
});

group("Welch's t test", () => {
  it('matches the worked example with similar variances (t=-2.46, df=25.0, p=0.021)', () => {
    const a = [
      27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4,
    ];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4,
    ];
    const w = welchTest(a, b)!;
    expect(w.t).toBeCloseTo(-2.455356, 5);
    expect(w.df).toBeCloseTo(24.98853, 4);
    expect(w.p).toBeCloseTo(0.021378, 5);
  });
  it('matches the worked example with unequal sizes and variances (t=-1.57, df=9.9, p=0.149)', () => {
    const a = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    const b = [
      21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6,
      21.5, 22.5, 23.5, 21.5, 21.8,
    ];
    const w = welchTest(a, b)!;
    expect(w.t).toBeCloseTo(-1.565434, 5);
    expect(w.df).toBeCloseTo(9.904741, 4);
    expect(w.p).toBeCloseTo(0.148842, 5);
  });
  it('needs two values per side; constant sides give p 1 or 0', () => {
    expect(welchTest([1], [1, 2])).toBeNull();
    expect(welchTest([3, 3], [3, 3])!.p).toBe(1);
    expect(welchTest([3, 3], [4, 4])!.p).toBe(0);
  });
});

/** Geometric mean written out: the n-th root of the product. */
const geoMean = (x: number[]) => x.reduce((p, v) => p * v, 1) ** (1 / x.length);

group('ratio to a reference', () => {
  const a = [110, 115, 108, 112, 111];
  const ref = [100, 102, 98, 101, 99];
  // The point is the ratio of geometric means (the log interval's centre), not 1.112 = mean / mean.
  const geoRatio = geoMean(a) / geoMean(ref);
  it('takes positive data on the log scale (Welch t on ln values)', () => {
    const r = ratioInterval(a, ref)!;
    expect(r.method).toBe('log');
    expect(geoRatio).toBeCloseTo(1.112, 3);
    expect(r.ratio).toBeCloseTo(geoRatio, 12);
    // Reference: ln-means, ln-variances and Welch df written out by hand.
    const la = a.map(Math.log);
    const lb = ref.map(Math.log);
    const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const v = (x: number[]) => x.reduce((s, y) => s + (y - m(x)) ** 2, 0) / (x.length - 1);
    const va = v(la) / 5;
    const vb = v(lb) / 5;
    const df = (va + vb) ** 2 / (va ** 2 / 4 + vb ** 2 / 4);
    const h = tCritical(df) * Math.sqrt(va + vb);
    expect(r.low!).toBeCloseTo(Math.exp(m(la) - m(lb) - h), 10);
    expect(r.high!).toBeCloseTo(Math.exp(m(la) - m(lb) + h), 10);
  });
  it('is direction-aware: a higher time is worse, a higher throughput better', () => {
    const asTime = directedRatio(a, ref, 'lower')!;
    const plain = ratioInterval(a, ref)!;
    expect(asTime.relative).toBeCloseTo(1 / geoRatio, 12);
    expect(asTime.relativeHigh!).toBeCloseTo(1 / plain.low!, 12);
    expect(asTime.relativeLow!).toBeCloseTo(1 / plain.high!, 12);
    expect(asTime.overheadPercent).toBeCloseTo((geoRatio - 1) * 100, 9);
    expect(asTime.differs).toBe(true);
    const asRate = directedRatio(a, ref, 'higher')!;
    expect(asRate.relative).toBeCloseTo(geoRatio, 12);
    expect(asRate.overheadPercent).toBeCloseTo((1 / geoRatio - 1) * 100, 9);
  });
  it('uses Fieller only for data with a value ≤ 0, matching a brute-force scan', () => {
    const withZero = [0, 3, 2, 4, 1];
    const r = ratioInterval(withZero, ref)!;
    expect(r.method).toBe('fieller');
    // Brute force: every R on a fine grid with (a − R·b)² ≤ t²·(va + R²·vb).
    const ma = 2;
    const mb = 100;
    const va = 2.5 / 5;
    const vb = 2.5 / 5;
    const rr = ma / mb;
    const comp = rr * rr * vb;
    const df = (va + comp) ** 2 / (va ** 2 / 4 + comp ** 2 / 4);
    const t = tCritical(df);
    const inside: number[] = [];
    for (let R = -0.1; R <= 0.1; R += 1e-6)
      if ((ma - R * mb) ** 2 <= t * t * (va + R * R * vb)) inside.push(R);
    expect(r.low!).toBeCloseTo(inside[0]!, 5);
    expect(r.high!).toBeCloseTo(inside[inside.length - 1]!, 5);
  });
  it('falls back to the delta method when the reference mean is not clearly non-zero', () => {
    const r = ratioInterval([1, 2, 3], [-1, 0.1, 1.5])!;
    expect(r.method).toBe('delta');
  });
  it('has no CI below three values per side, and no ratio for a zero reference', () => {
    expect(ratioInterval([1], [2])).toMatchObject({ ratio: 0.5, low: null, method: 'none' });
    expect(ratioInterval([1, 2], [2, 3, 4])).toMatchObject({ low: null, method: 'none' });
    expect(ratioInterval([1, 2], [0, 0])).toBeNull();
  });
});

function sample(
  platform: Sample['platform'],
  rep: number,
  value: number | null,
  extra: Partial<Sample> = {},
): Sample {
  return {
    runId: 'r1',
    platform,
    benchmark: 'memsweep',
    rep,
    metric: 'seconds',
    value,
    unit: 's',
    metrics: value === null ? {} : { seconds: value },
    startedAt: '2024-01-01T00:00:00Z',
    durationMs: 10,
    exitCode: value === null ? 1 : 0,
    meta: {},
    ...extra,
  };
}

group('summarize', () => {
  const samples: Sample[] = [
    sample('docker', 1, 2.2),
    sample('native', 2, 2.1),
    sample('native', 1, 1.9),
    sample('native', 3, 2.0),
    sample('docker', 2, 2.0),
    sample('docker', 3, null, { error: 'crashed' }),
    sample('docker', 4, 2.1),
  ];
  const s = summarize(samples);
  it('groups by platform × benchmark × metric, excludes and counts failures', () => {
    expect(s.reference).toBe('native');
    const native = s.cells.find((c) => c.platform === 'native' && c.main)!;
    expect(native).toMatchObject({
      n: 3,
      failed: 0,
      mean: 2,
      values: [1.9, 2.1, 2.0],
      reps: [1, 2, 3],
    });
    const docker = s.cells.find((c) => c.platform === 'docker' && c.main)!;
    expect(docker.n).toBe(3);
    expect(docker.failed).toBe(1);
    expect(docker.reps).toEqual([1, 2, 4]);
    expect(docker.direction).toBe('lower');
    expect(s.cells.map((c) => c.platform)).toEqual(['native', 'docker']);
  });
  it('computes ratios to native with a Welch test', () => {
    expect(s.ratios).toHaveLength(1);
    const r = s.ratios[0]!;
    expect(r.platform).toBe('docker');
    // docker 2.2, 2.0, 2.1 against native 1.9, 2.1, 2.0 (3 values each): ratio of geometric means.
    const docker = geoMean([2.2, 2.0, 2.1]) / geoMean([1.9, 2.1, 2.0]);
    expect(r.ratio).toBeCloseTo(docker, 12);
    expect(r.overheadPercent).toBeCloseTo((docker - 1) * 100, 9);
    expect(r.welch!.p).toBeGreaterThan(0.05);
  });
  it('produces JSON-safe output and no ratios without the reference', () => {
    const only = summarize([sample('docker', 1, null)]);
    expect(only.reference).toBeNull();
    expect(only.cells[0]).toMatchObject({ n: 0, failed: 1, mean: null, ciLow: null });
    expect(JSON.parse(JSON.stringify(only))).toEqual(only);
  });
  it('summarizes secondary metrics too', () => {
    const extra = summarize([
      sample('native', 1, 100, {
        benchmark: 'diskwrite',
        metric: 'mbps',
        unit: 'MB/s',
        metrics: { mbps: 100, seconds: 0.16 },
      }),
      sample('native', 2, 110, {
        benchmark: 'diskwrite',
        metric: 'mbps',
        unit: 'MB/s',
        metrics: { mbps: 110, seconds: 0.15 },
      }),
    ]);
    expect(extra.cells.map((c) => [c.metric, c.main, c.direction])).toEqual([
      ['mbps', true, 'higher'],
      ['seconds', false, 'lower'],
    ]);
  });
});
