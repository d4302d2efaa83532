/**
 * A skewed sample (one slow repetition among fast ones, as memsweep on QEMU TCG produced: 4.88 s
 * among 0.17 s) must not put a ratio's point outside its own interval, nor leave a cell's table
 * row looking contradictory (arithmetic mean outside the interval of the geometric mean).
 */
import { describe, expect, it } from 'vitest';
import { reportTables } from '../../src/main/export/reportTables';
import type { Sample } from '../../src/shared/sample';
import {
  cellIntervalText,
  directedRatio,
  ratioInterval,
  summarize,
  verdictFor,
} from '../../src/shared/stats';
import { valueSamples } from './fixtures';

/**
 * memsweep seconds (lower is better), 10 repetitions a side as in the real run: the reference has
 * one slow repetition (arithmetic mean 0.641, log-scale CI about 0.111 – 0.508).
 */
const SKEWED_REFERENCE = [0.17, 0.16, 0.18, 0.17, 4.88, 0.17, 0.16, 0.18, 0.17, 0.17];
const STEADY = [0.33, 0.34, 0.32, 0.35, 0.33, 0.34, 0.32, 0.33, 0.34, 0.33];

const arithmeticMean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
/** Geometric mean written out: the n-th root of the product. */
const geoMean = (x: number[]) => x.reduce((p, v) => p * v, 1) ** (1 / x.length);

const memsweep = (platform: Sample['platform'], values: number[]): Sample[] =>
  valueSamples(platform, 'memsweep', values, 'skewed');

describe('a ratio with a skewed sample', () => {
  it('has its point inside its own interval: the ratio of geometric means', () => {
    const r = ratioInterval(STEADY, SKEWED_REFERENCE)!;
    expect(r.method).toBe('log');
    // The sample is the troublesome kind: mean ÷ mean lies below the whole interval.
    const arithmetic = arithmeticMean(STEADY) / arithmeticMean(SKEWED_REFERENCE);
    expect(arithmetic).toBeLessThan(r.low!);
    expect(r.ratio).toBeCloseTo(geoMean(STEADY) / geoMean(SKEWED_REFERENCE), 12);
    expect(r.low!).toBeLessThanOrEqual(r.ratio);
    expect(r.ratio).toBeLessThanOrEqual(r.high!);
    // And the other way round (the skewed side on top).
    const back = ratioInterval(SKEWED_REFERENCE, STEADY)!;
    expect(back.low!).toBeLessThanOrEqual(back.ratio);
    expect(back.ratio).toBeLessThanOrEqual(back.high!);
  });

  it('keeps the directed ratio, its interval and the verdict in agreement, both directions', () => {
    for (const direction of ['lower', 'higher'] as const) {
      const d = directedRatio(STEADY, SKEWED_REFERENCE, direction)!;
      expect(d.relativeLow!).toBeLessThanOrEqual(d.relative);
      expect(d.relative).toBeLessThanOrEqual(d.relativeHigh!);
      const expected =
        direction === 'lower'
          ? geoMean(SKEWED_REFERENCE) / geoMean(STEADY)
          : geoMean(STEADY) / geoMean(SKEWED_REFERENCE);
      expect(d.relative).toBeCloseTo(expected, 12);
      // Overhead follows the same point: extra time = 1 / relative − 1.
      expect(d.overheadPercent).toBeCloseTo((1 / expected - 1) * 100, 9);
      const v = verdictFor(STEADY, SKEWED_REFERENCE, direction);
      // The interval includes 1 here, so no verdict may call it faster or slower.
      expect(d.differs).toBe(false);
      expect(['faster', 'slower']).not.toContain(v.verdict);
    }
  });

  it('shows the geometric mean beside a log interval the arithmetic mean falls outside', () => {
    const summary = summarize([
      ...memsweep('native', STEADY),
      ...memsweep('qemu-tcg', SKEWED_REFERENCE),
    ]);
    const cell = summary.cells.find((c) => c.platform === 'qemu-tcg' && c.main)!;
    expect(cell.ciMethod).toBe('log');
    expect(cell.mean).toBeCloseTo(arithmeticMean(SKEWED_REFERENCE), 12);
    expect(cell.mean!).toBeGreaterThan(cell.ciHigh!);
    expect(cell.geoMean!).toBeCloseTo(geoMean(SKEWED_REFERENCE), 12);
    expect(cell.geoMean!).toBeGreaterThan(cell.ciLow!);
    expect(cell.geoMean!).toBeLessThan(cell.ciHigh!);
    const fmt = (x: number) => x.toFixed(3);
    expect(cellIntervalText(cell, fmt)).toBe(
      `${fmt(cell.ciLow!)} – ${fmt(cell.ciHigh!)} (geo. mean ${fmt(geoMean(SKEWED_REFERENCE))})`,
    );
    // The report and `benchvisor show` tables print the same text.
    const table = reportTables({ summary }).find((t) => t.benchmark === 'memsweep')!;
    expect(table.rows.map((r) => r.ci).join('\n')).toContain('geo. mean');
  });

  it('leaves a t interval (data with a value ≤ 0) and a too-small cell without a centre', () => {
    const summary = summarize([...memsweep('native', [0, 1, 2]), ...memsweep('docker', [1, 2])]);
    for (const c of summary.cells) {
      expect(c.geoMean).toBeNull();
      expect(cellIntervalText(c, String)).not.toContain('geo. mean');
    }
  });
});
