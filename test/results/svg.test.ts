import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/main/export/svg';
import { benchmarkChartSpec, normalizedChartSpec } from '../../src/shared/plots';
import type { RunSeries } from '../../src/shared/plots';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

const count = (svg: string, role: string) =>
  (svg.match(new RegExp(`aria-roledescription="${role}"`, 'g')) ?? []).length;

const runA: RunSeries = {
  runId: 'a',
  label: 'run A',
  summary: summarize([
    ...cellSamples('native', 'linpack', 2_000_000, { n: 5 }),
    ...cellSamples('docker', 'linpack', 1_950_000, { n: 4 }),
    ...cellSamples('qemu-tcg', 'linpack', 33_000, { n: 3 }),
    ...cellSamples('native', 'memsweep', 5),
    ...cellSamples('qemu-tcg', 'memsweep', 140),
  ]),
};
const runB: RunSeries = {
  runId: 'b',
  label: 'run B',
  summary: summarize([
    ...cellSamples('native', 'linpack', 2_100_000),
    ...cellSamples('docker', 'linpack', 2_000_000),
  ]),
};

describe('SVG rendering of the chart definitions', () => {
  it('per-benchmark chart: a bar and a CI whisker per platform, a point per repetition, direction-aware title', async () => {
    const svg = await renderSvg(benchmarkChartSpec('linpack', [runA])!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(count(svg, 'bar')).toBe(3);
    expect(count(svg, 'errorbar')).toBe(3);
    expect(count(svg, 'point')).toBe(5 + 4 + 3);
    expect(svg).toContain('KFLOPS — higher is better');
    expect(svg).toContain('QEMU TCG');
  });

  it('lower-is-better metrics say so', async () => {
    const svg = await renderSvg(benchmarkChartSpec('memsweep', [runA])!);
    expect(svg).toContain('Time (s) — lower is better');
  });

  it('compares two runs: grouped bars coloured by run, with a legend', async () => {
    const svg = await renderSvg(benchmarkChartSpec('linpack', [runA, runB])!);
    expect(count(svg, 'bar')).toBe(3 + 2);
    expect(svg).toContain('run A');
    expect(svg).toContain('run B');
    expect(svg).toMatch(/role-legend/);
  });

  it('normalised view: native = 1 rule, relative bars or points and overhead labels', async () => {
    const svg = await renderSvg(normalizedChartSpec([runA])!);
    expect(svg).toContain('Relative performance (Native = 1) — higher is better');
    // TCG at ~0.02 next to native at 1: log scale with points.
    expect(svg).toContain('log scale');
    expect(count(svg, 'point')).toBe(5); // native, docker, tcg for linpack; native, tcg for memsweep
    // "61× slower" is drawn on two lines (tspans) so neighbouring labels do not overlap.
    expect(svg).toMatch(/<tspan[^>]*>\d+×<\/tspan><tspan[^>]*>slower<\/tspan>/);
    const close = await renderSvg(normalizedChartSpec([runB])!);
    expect(count(close, 'bar')).toBe(2);
    // Close to 1 the label names the ratio and the time in words: "0.89×" over "12.8% more time".
    expect(close).toMatch(
      /<tspan[^>]*>\d\.\d\d×<\/tspan><tspan[^>]*>\d+\.\d% (more|less) time<\/tspan>/,
    );
  });

  it('the legend of the normalised view lists only the platforms that ran', async () => {
    const svg = await renderSvg(normalizedChartSpec([runA])!);
    // The legend's entries (the scale keeps all six platforms, so colours stay put).
    const entries = [...svg.matchAll(/role-legend-label[^>]*><text[^>]*>([^<]+)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(entries).toEqual(['Native', 'Docker', 'QEMU TCG']);
  });

  it('has nothing to draw without data', () => {
    expect(benchmarkChartSpec('nginx', [runA])).toBeNull();
    expect(
      normalizedChartSpec([{ ...runB, summary: summarize(cellSamples('docker', 'linpack', 1)) }]),
    ).toBeNull();
  });
});
