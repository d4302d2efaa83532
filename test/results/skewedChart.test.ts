/**
 * A skewed cell (one slow repetition among fast ones) must not draw its bar above its own whisker:
 * the bar is the centre of the log-scale interval (the geometric mean), the mean only where the
 * interval is not on the log scale or the summary predates `geoMean`.
 */
import { describe, expect, it } from 'vitest';
import { benchmarkChartSpec, benchmarkData } from '../../src/shared/plots';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import type { Summary } from '../../src/shared/stats/summaryTypes';
import { valueSamples } from './fixtures';

/** memsweep seconds: nine 0.17 s repetitions and one 4.88 s (arithmetic mean 0.641). */
const SKEWED = [0.17, 0.17, 0.17, 0.17, 4.88, 0.17, 0.17, 0.17, 0.17, 0.17];

const memsweep = (platform: Sample['platform'], values: number[]): Sample[] =>
  valueSamples(platform, 'memsweep', values, 'skewed');

const series = (summary: Summary) => [{ runId: 's', label: 's', summary }];
const subtitle = (summary: Summary) =>
  (benchmarkChartSpec('memsweep', series(summary)) as { title: { subtitle: string } }).title
    .subtitle;

describe('a skewed cell in the benchmark chart', () => {
  const summary = summarize(memsweep('qemu-tcg', SKEWED));

  it('draws the bar at the geometric mean, inside its own 95% CI', () => {
    const bar = benchmarkData('memsweep', series(summary))!.bars[0]!;
    const { ciLow, ciHigh } = bar;
    expect(ciLow).not.toBeNull();
    expect(ciHigh).not.toBeNull();
    // The arithmetic mean is outside the interval: the bar at the mean would float above it.
    expect(bar.mean).toBeGreaterThan(ciHigh!);
    expect(bar.geoMean).toBeCloseTo(Math.exp(SKEWED.reduce((s, v) => s + Math.log(v), 0) / 10));
    expect(bar.height).toBe(bar.geoMean);
    expect(bar.height).toBeGreaterThanOrEqual(ciLow!);
    expect(bar.height).toBeLessThanOrEqual(ciHigh!);
  });

  it('says so in the subtitle and keeps both means in the tooltip', () => {
    expect(subtitle(summary)).toMatch(/^Geometric mean with its 95% CI \(log scale\)/);
    const spec = benchmarkChartSpec('memsweep', series(summary)) as {
      layer: { encoding: { y: { field: string }; tooltip: { field: string }[] } }[];
    };
    expect(spec.layer[0]!.encoding.y.field).toBe('height');
    const fields = spec.layer[0]!.encoding.tooltip.map((t) => t.field);
    expect(fields).toEqual(expect.arrayContaining(['mean', 'geoMean', 'ciLow', 'ciHigh']));
  });

  it('a summary from before geoMean still renders, its bar at the mean', () => {
    const old: Summary = {
      ...summary,
      cells: summary.cells.map(({ geoMean: _drop, ...c }) => c),
    };
    const bar = benchmarkData('memsweep', series(old))!.bars[0]!;
    expect(bar.geoMean).toBeNull();
    expect(bar.height).toBe(bar.mean);
    expect(subtitle(old)).toMatch(/^Mean, 95% CI \(log scale\)/);
  });

  it('a t interval (a value of 0) keeps the bar at the mean; a mixed chart says both', () => {
    const mixed = summarize([
      ...memsweep('qemu-tcg', SKEWED),
      ...memsweep('docker', [0, 0.1, 0.2, 0.1, 0.1]),
    ]);
    const bars = benchmarkData('memsweep', series(mixed))!.bars;
    const docker = bars.find((b) => b.platform === 'docker')!;
    expect(docker.ciLow).not.toBeNull();
    expect(docker.geoMean).toBeNull();
    expect(docker.height).toBeCloseTo(0.1);
    expect(subtitle(mixed)).toMatch(/mean where no log CI/);
  });
});
