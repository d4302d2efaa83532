/**
 * Charts of a run with variants group by target (raw and qcow2 stand apart) and follow the
 * chosen reference; a bundle from before variants renders exactly as before (its charts'
 * SVG compared with the one the previous chart code produced, kept in fixtures/; since then only
 * the bars moved from the mean to the geometric mean, the centre of their log-scale whiskers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../src/main/export/svg';
import { allChartSpecs, benchmarkChartSpec, normalizedChartSpec } from '../../src/shared/plots';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';
import { targetCell } from './variantFixtures';

const count = (svg: string, role: string) =>
  (svg.match(new RegExp(`aria-roledescription="${role}"`, 'g')) ?? []).length;

const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';
const samples = [
  ...cellSamples('native', 'diskwrite', 400),
  ...targetCell('qemu-tcg', RAW, 'diskwrite', 100, { diskFormat: 'raw' }),
  ...targetCell('qemu-tcg', QCOW, 'diskwrite', 70, { diskFormat: 'qcow2' }),
];

describe('charts of a run with variants', () => {
  it('one bar per target, labelled by target', async () => {
    const spec = benchmarkChartSpec('diskwrite', [
      { runId: 'v', label: 'v', summary: summarize(samples) },
    ])!;
    const svg = await renderSvg(spec);
    expect(count(svg, 'bar')).toBe(3);
    expect(count(svg, 'point')).toBe(15);
    // The axis labels are the targets' labels on lines: platform, then the variant values.
    expect(svg).toContain('>raw<');
    expect(svg).toContain('>qcow2<');
  });

  it('the normalised chart follows the reference: qcow2 relative to raw', async () => {
    const summary = summarize(samples, { reference: RAW });
    const spec = normalizedChartSpec([{ runId: 'v', label: 'v', summary }], ['diskwrite'])!;
    const values = (
      spec as { layer: { data: { values: { target: string; relative: number }[] } }[] }
    ).layer[0]!.data.values;
    expect(values.map((v) => [v.target, Number(v.relative.toFixed(3))])).toEqual([
      [RAW, 1],
      ['native', 4],
      [QCOW, 0.7],
    ]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('Relative to QEMU TCG · raw');
    expect(svg).toContain('Relative performance (QEMU TCG · raw = 1)');
  });
});

describe('a bundle from before variants', () => {
  it('renders exactly as before (same SVG as the previous chart code)', async () => {
    const before = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures', 'oldBundleCharts.json'), 'utf8'),
    ) as { name: string; spec: TopLevelSpec }[];
    // The samples the fixture was made from: no target anywhere.
    const old = [
      ...cellSamples('native', 'linpack', 1000),
      ...cellSamples('docker', 'linpack', 980),
      ...cellSamples('qemu-tcg', 'linpack', 50),
      ...cellSamples('native', 'diskwrite', 400),
      ...cellSamples('docker', 'diskwrite', 390),
      ...cellSamples('qemu-tcg', 'diskwrite', 100, { spread: 5 }),
    ];
    const now = allChartSpecs([{ runId: 'old', label: 'Old run', summary: summarize(old) }]);
    expect(now.map((c) => c.name)).toEqual(before.map((c) => c.name));
    // Clip-path ids come from a counter that runs on across renders; everything else must match.
    const svg = async (spec: TopLevelSpec) => (await renderSvg(spec)).replace(/clip\d+/g, 'clip');
    for (const [i, c] of now.entries()) expect(await svg(c.spec)).toBe(await svg(before[i]!.spec));
  });
});
