/**
 * A summary's cells: samples grouped by target × benchmark, one cell per metric with its
 * descriptive figures and 95% interval, in catalogue, platform and run order.
 */
import { BENCHMARK_IDS, CATALOGUE } from '../catalogue';
import type { BenchmarkId, Direction } from '../catalogue';
import { PlatformId } from '../platforms';
import type { Sample } from '../sample';
import { targetOf } from '../targets';
import { sampleOrderOf } from '../runDesign';
import { confidenceInterval, describe } from './descriptive';
import { allPositive, logInterval, MIN_N_FOR_INTERVAL } from './logScale';
import type { CellSummary } from './summaryTypes';

/** Finite numbers pass, NaN/±Infinity become null (JSON-safe). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** Direction of a benchmark metric from the catalogue (unknown metrics count as higher-is-better). */
export function metricDirection(benchmark: BenchmarkId, metric: string): Direction {
  return CATALOGUE[benchmark].metrics.find((m) => m.key === metric)?.direction ?? 'higher';
}

function metricUnit(benchmark: BenchmarkId, metric: string): string {
  return CATALOGUE[benchmark].metrics.find((m) => m.key === metric)?.unit ?? '';
}

interface Group {
  platform: PlatformId;
  target: string;
  benchmark: BenchmarkId;
  samples: Sample[];
  /** First appearance of its target (targets of one platform keep their run order). */
  order: number;
}

function groupSamples(samples: readonly Sample[]): Group[] {
  const map = new Map<string, Group>();
  const targetOrder = new Map<string, number>();
  for (const s of samples) {
    const target = targetOf(s);
    if (!targetOrder.has(target)) targetOrder.set(target, targetOrder.size);
    const key = `${target}\u0000${s.benchmark}`;
    let g = map.get(key);
    if (!g) {
      g = {
        platform: s.platform,
        target,
        benchmark: s.benchmark,
        samples: [],
        order: targetOrder.get(target) ?? 0,
      };
      map.set(key, g);
    }
    g.samples.push(s);
  }
  const platformOrder = PlatformId.options as readonly string[];
  return [...map.values()].sort(
    (x, y) =>
      BENCHMARK_IDS.indexOf(x.benchmark) - BENCHMARK_IDS.indexOf(y.benchmark) ||
      platformOrder.indexOf(x.platform) - platformOrder.indexOf(y.platform) ||
      x.order - y.order,
  );
}

function metricKeys(g: Group): { main: string; all: string[] } {
  const main = g.samples[0]?.metric ?? CATALOGUE[g.benchmark].mainMetric;
  const keys = new Set<string>([main]);
  for (const s of g.samples) for (const k of Object.keys(s.metrics)) keys.add(k);
  return { main, all: [...keys] };
}

function cellFor(g: Group, metric: string, main: boolean): CellSummary {
  const ordered = [...g.samples].sort((a, b) => a.rep - b.rep);
  const values: number[] = [];
  const reps: number[] = [];
  const rounds: number[] = [];
  const instances: number[] = [];
  let failed = 0;
  let unit = main ? '' : metricUnit(g.benchmark, metric);
  for (const s of ordered) {
    if (s.value === null) {
      failed++;
      continue;
    }
    const v = main ? s.value : s.metrics[metric];
    if (main && s.unit) unit = s.unit;
    if (v === undefined || !Number.isFinite(v)) continue;
    values.push(v);
    reps.push(s.rep);
    const o = sampleOrderOf(s);
    rounds.push(o.round ?? 0);
    instances.push(o.instance ?? 0);
  }
  const recorded = (xs: number[]) => xs.some((x) => x > 0);
  if (main && unit === '') unit = metricUnit(g.benchmark, metric);
  const d = describe(values);
  const empty = values.length === 0;
  const ci = cellInterval(values);
  return {
    platform: g.platform,
    target: g.target,
    benchmark: g.benchmark,
    metric,
    unit,
    direction: metricDirection(g.benchmark, metric),
    main,
    n: d.n,
    failed,
    mean: empty ? null : finiteOrNull(d.mean),
    median: empty ? null : finiteOrNull(d.median),
    sd: empty ? null : finiteOrNull(d.sd),
    cvPercent: finiteOrNull(d.cvPercent),
    ciLow: finiteOrNull(ci?.low),
    ciHigh: finiteOrNull(ci?.high),
    ciHalfWidth: finiteOrNull(ci?.halfWidth),
    ciPercent: finiteOrNull(ci?.percent),
    ciMethod: ci?.method ?? null,
    geoMean: finiteOrNull(ci?.centre),
    min: empty ? null : finiteOrNull(d.min),
    max: empty ? null : finiteOrNull(d.max),
    values,
    reps,
    outlierReps: d.outlierIndexes.map((i) => reps[i] as number),
    ...(recorded(rounds) ? { rounds } : {}),
    ...(recorded(instances) ? { instances } : {}),
  };
}

/** The cell's 95% interval (see CellSummary.ciLow); null below MIN_N_FOR_INTERVAL values. */
function cellInterval(values: readonly number[]): {
  low: number;
  high: number;
  halfWidth: number;
  percent: number;
  method: 'log' | 't';
  /** The geometric mean for a log interval; absent for a t interval (centred on the mean). */
  centre?: number;
} | null {
  if (values.length < MIN_N_FOR_INTERVAL) return null;
  if (allPositive(values)) {
    const li = logInterval(values);
    if (!li) return null;
    return {
      low: li.low,
      high: li.high,
      halfWidth: li.high - li.geometricMean,
      percent: li.halfWidthPercent,
      method: 'log',
      centre: li.geometricMean,
    };
  }
  const t = confidenceInterval(values);
  return t
    ? { low: t.low, high: t.high, halfWidth: t.halfWidth, percent: t.halfWidthPercent, method: 't' }
    : null;
}

/** Every cell of the samples: one per target × benchmark × metric (the main metric marked). */
export function summaryCells(samples: readonly Sample[]): CellSummary[] {
  const cells: CellSummary[] = [];
  for (const g of groupSamples(samples)) {
    const { main, all } = metricKeys(g);
    for (const metric of all) cells.push(cellFor(g, metric, metric === main));
  }
  return cells;
}
