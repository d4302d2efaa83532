/**
 * Intervals for positive quantities and the five verdicts, on the constructed samples of issue #10
 * (no measurement noise). Log-scale intervals are checked against a reference computed here,
 * independently of jStat: Student's t quantile by numeric integration of its density.
 */
import { describe, expect, it } from 'vitest';
import {
  confidenceInterval,
  logInterval,
  NO_INTERVAL_TEXT,
  NOISE_THRESHOLD_PERCENT,
  summarize,
  verdictFor,
  verdictText,
  compareRuns,
  intervalText,
} from '../../src/shared/stats';
import type { Sample } from '../../src/shared/sample';

/**
 * Student t quantile, the slow exact way: with t = √ν·tan θ the density integrates as
 * cos^(ν−1) θ, so P(0 ≤ T ≤ q) ∝ ∫₀^atan(q/√ν) cos^(ν−1), with ∫₀^(π/2) for P(T ≥ 0). Simpson's rule
 * and bisection on θ.
 */
function referenceT(p: number, df: number): number {
  const f = (th: number) => Math.cos(th) ** (df - 1);
  const simpson = (b: number, steps = 4000) => {
    const h = b / steps;
    let s = f(0) + f(b);
    for (let i = 1; i < steps; i++) s += f(i * h) * (i % 2 === 1 ? 4 : 2);
    return (s * h) / 3;
  };
  // P(0 ≤ T ≤ q) / P(T ≥ 0) = P(|T| ≤ q) = 2p − 1 for the two-sided quantile.
  const total = simpson(Math.PI / 2, 20000);
  const want = (2 * p - 1) * total;
  let lo = 0;
  let hi = Math.PI / 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (simpson(mid) < want) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(df) * Math.tan((lo + hi) / 2);
}

/** Mean and sample sd of ln x, written out. */
function logMoments(xs: number[]): { m: number; s: number } {
  const l = xs.map((x) => Math.log(x));
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  const s = Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
  return { m, s };
}

function samples(platform: Sample['platform'], benchmark: Sample['benchmark'], values: number[]) {
  return values.map((value, i): Sample => ({
    runId: 'r',
    platform,
    benchmark,
    rep: i + 1,
    metric: 'seconds',
    value,
    unit: 's',
    metrics: { seconds: value },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: value * 1000,
    exitCode: 0,
    meta: {},
  }));
}

describe('the reference t quantile', () => {
  it('agrees with closed forms and tables (so it can judge the log intervals)', () => {
    // ν = 2 has a closed form: q = (2p − 1) / √(2p(1 − p)).
    expect(referenceT(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 6);
    expect(referenceT(0.975, 4)).toBeCloseTo(2.776445, 5);
  });
});

describe('memsweep 0.18 / 0.21 / 1.9 s (the issue: a t CI of −4.8 … 14.5 s)', () => {
  const values = [0.18, 0.21, 1.9];
  it('the symmetric t interval crosses zero — the bug', () => {
    expect(confidenceInterval(values)!.low).toBeLessThan(0);
  });
  it('the log-scale interval is positive, asymmetric, and matches the reference', () => {
    const ci = logInterval(values)!;
    const { m, s } = logMoments(values);
    const h = (referenceT(0.975, 2) * s) / Math.sqrt(3);
    expect(ci.low).toBeCloseTo(Math.exp(m - h), 7);
    expect(ci.high / Math.exp(m + h)).toBeCloseTo(1, 7);
    // The numbers: about 0.0157 … 11.0 s around a geometric mean of 0.416 s.
    expect(ci.low).toBeGreaterThan(0.0156);
    expect(ci.low).toBeLessThan(0.0158);
    expect(ci.high).toBeGreaterThan(10.9);
    expect(ci.high).toBeLessThan(11.1);
    expect(ci.geometricMean).toBeCloseTo(Math.cbrt(0.18 * 0.21 * 1.9), 10);
  });
  it('summary.json, tables and CSV take that interval', () => {
    const cell = summarize(samples('native', 'memsweep', values)).cells[0]!;
    expect(cell).toMatchObject({ ciMethod: 'log', n: 3 });
    expect(cell.ciLow!).toBeGreaterThan(0);
    expect(cell.ciLow).toBeCloseTo(logInterval(values)!.low, 12);
  });
});

describe('fewer than three values: no interval', () => {
  it('states it instead of a number', () => {
    const cell = summarize(samples('native', 'forksum', [0.0726, 0.1178])).cells[0]!;
    expect(cell).toMatchObject({ n: 2, ciLow: null, ciHigh: null, ciMethod: null });
    expect(intervalText(cell.ciLow, cell.ciHigh, cell.n, String)).toBe(NO_INTERVAL_TEXT);
    expect(NO_INTERVAL_TEXT).toBe('n too small for an interval');
  });
});

describe('forksum 0.0726 / 0.1178 s against itself (the issue: "too few repetitions")', () => {
  const a = [0.0726, 0.1178];
  it('is inconclusive, with the repetitions that would settle it computed from the variance', () => {
    const v = verdictFor(a, a, 'lower');
    expect(v.verdict).toBe('inconclusive');
    // Reference: equal variances s² of ln x on both sides, Welch df = 2(n − 1); settled when
    // q(2(n − 1)) · √(2s²/n) ≤ ln(1.02) (the difference is 0). Smallest n by bisection.
    const { s } = logMoments(a);
    const margin = Math.log(1 + NOISE_THRESHOLD_PERCENT / 100);
    const settles = (n: number) =>
      referenceT(0.975, 2 * (n - 1)) * Math.sqrt((2 * s * s) / n) <= margin;
    let lo = 2;
    let hi = 1 << 14;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (settles(mid)) hi = mid;
      else lo = mid;
    }
    expect(v.moreRepetitions).toBe(hi - 2);
    expect(v.moreRepetitions).toBeGreaterThan(2000); // the spread is 48%: settling ±2% is costly
    expect(verdictText(v)).toBe(
      `cannot tell yet: about ${(hi - 2).toLocaleString('en-US')} more repetitions per side would settle it`,
    );
  });
  it('in compareRuns too (the run and its imported copy)', () => {
    const s = summarize(samples('native', 'forksum', a));
    const [row] = compareRuns(s, s);
    expect(row).toMatchObject({ verdict: 'inconclusive', relativeLow: null, relative: 1 });
    expect(row!.moreRepetitions).toBeGreaterThan(2000);
  });
  it('with three values per side the interval exists and is positive; still inconclusive', () => {
    const three = [0.0726, 0.1178, 0.09];
    const s = summarize(samples('native', 'forksum', three));
    const [row] = compareRuns(s, s);
    expect(row!.relativeLow!).toBeGreaterThan(0);
    expect(row!.relativeLow!).toBeLessThan(1);
    expect(row!.relativeHigh!).toBeCloseTo(1 / row!.relativeLow!, 10);
    expect(row!.verdict).toBe('inconclusive');
  });
});

describe('the five verdicts', () => {
  const base = [1.0, 1.01, 0.99, 1.005, 0.995];
  it('faster / slower follow the metric direction', () => {
    const slowerTimes = base.map((x) => x * 1.3);
    expect(verdictFor(slowerTimes, base, 'lower').verdict).toBe('slower');
    expect(verdictFor(slowerTimes, base, 'higher').verdict).toBe('faster');
    expect(verdictFor(base, slowerTimes, 'lower').verdict).toBe('faster');
  });
  it('same: the interval includes 1 and stays inside ±2%', () => {
    expect(verdictFor(base, [...base].reverse(), 'lower')).toEqual({
      verdict: 'same',
      moreRepetitions: null,
    });
  });
  it('inconclusive: the interval includes 1 but reaches beyond ±2%', () => {
    const noisy = [1, 1.2, 0.8, 1.1, 0.9];
    const v = verdictFor(noisy, base, 'lower');
    expect(v.verdict).toBe('inconclusive');
    expect(v.moreRepetitions).toBeGreaterThan(0);
  });
  it('too-few: a side with fewer than two values', () => {
    expect(verdictFor([1], base, 'lower')).toEqual({ verdict: 'too-few', moreRepetitions: null });
  });
});

describe('no bound ≤ 0 for positive data, ever', () => {
  it('holds for 500 skewed data sets (fixed-seed generator)', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 500; k++) {
      const n = 3 + (k % 6);
      const values = Array.from({ length: n }, () => 0.001 + rand() ** 4 * 50);
      const other = Array.from({ length: n }, () => 0.001 + rand() ** 4 * 50);
      const s = summarize([
        ...samples('native', 'memsweep', values),
        ...samples('docker', 'memsweep', other),
      ]);
      for (const c of s.cells) expect(c.ciLow!).toBeGreaterThan(0);
      for (const r of s.ratios) {
        expect(r.ratioLow!).toBeGreaterThan(0);
        expect(r.relativeLow!).toBeGreaterThan(0);
      }
    }
  });
});
