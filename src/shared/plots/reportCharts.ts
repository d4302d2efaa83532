/**
 * The chart definitions (Vega-Lite specs) of a report. The same spec renders live in the
 * renderer (vega View, SVG renderer) and to SVG files under Node (export/svg.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { BENCHMARK_IDS, CATALOGUE } from '../catalogue';
import type { BenchmarkId } from '../catalogue';
import { benchmarkChartSpec } from './benchmarkChart';
import type { RunSeries } from './data';
import { normalizedChartSpec } from './normalizedChart';

/** Benchmarks present in any of the runs, in catalogue order. */
export function benchmarksIn(runs: readonly RunSeries[]): BenchmarkId[] {
  return BENCHMARK_IDS.filter((b) =>
    runs.some((r) => r.summary.cells.some((c) => c.benchmark === b)),
  );
}

/** Every chart of a report: the normalised overview first, then one per benchmark. */
export function allChartSpecs(
  runs: readonly RunSeries[],
): { name: string; title: string; spec: TopLevelSpec }[] {
  const out: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const benchmarks = benchmarksIn(runs);
  const norm = normalizedChartSpec(runs, benchmarks);
  if (norm) out.push({ name: 'normalized', title: 'Relative performance', spec: norm });
  for (const b of benchmarks) {
    const spec = benchmarkChartSpec(b, runs);
    if (spec) out.push({ name: b, title: CATALOGUE[b].title, spec });
  }
  return out;
}
