/**
 * summarize(samples): statistics per target × benchmark × metric, plus
 * ratios of every target to a reference target (native by default; any target,
 * e.g. "qcow2 relative to raw"). A target is a platform with one combination of the
 * varied guest shape; in runs without variants it is the platform itself.
 * The result is plain JSON (no NaN/Infinity: those become null) so it can be
 * written as summary.json and sent over IPC unchanged.
 */
import { BENCHMARK_IDS, CATALOGUE } from '../catalogue';
import type { BenchmarkId, Direction } from '../catalogue';
import { PlatformId } from '../platforms';
import type { Sample } from '../sample';
import { targetOf } from '../targets';
import { confidenceInterval, describe } from './descriptive';
import { allPositive, logInterval, MIN_N_FOR_INTERVAL } from './logScale';
import { sampleOrderOf } from '../runDesign';
import type { ComparisonDesign, Observation } from './paired';
import { directedFromInterval, directedRatio } from './ratio';
import { verdictOfObservations, type Verdict } from './verdict';
import { welchTest } from './welch';
import type { WelchResult } from './welch';

/** Reference platform for ratios unless the caller names another. */
export const DEFAULT_REFERENCE: PlatformId = 'native';

export interface CellSummary {
  platform: PlatformId;
  /** The target id (absent in summaries from before variants: the platform). */
  target?: string;
  benchmark: BenchmarkId;
  metric: string;
  unit: string;
  direction: Direction;
  /** True for the benchmark's main metric (the one samples carry in `value`). */
  main: boolean;
  /** Successful values used below. */
  n: number;
  /** Failed repetitions (value null), excluded from every figure. */
  failed: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  cvPercent: number | null;
  /**
   * 95% CI: on the log scale for positive values (logScale.ts; always > 0, asymmetric, centred on
   * the geometric mean), Student t for data with values ≤ 0; null below MIN_N_FOR_INTERVAL values.
   */
  ciLow: number | null;
  ciHigh: number | null;
  /** Larger distance from the centre to a bound (for a log interval: centre × (e^h − 1)). */
  ciHalfWidth: number | null;
  /** How far the CI reaches above its centre, in % (log interval: (e^h − 1) × 100). */
  ciPercent: number | null;
  ciMethod: 'log' | 't' | null;
  /**
   * Centre of a log-scale CI: the geometric mean (null for a t interval or no interval; absent in
   * summaries from before it was added). Views show it beside the interval, because the arithmetic
   * `mean` of a skewed sample (one slow repetition) can lie outside an interval centred on it.
   */
  geoMean?: number | null;
  min: number | null;
  max: number | null;
  /** Values in repetition order, with their repetition numbers. */
  values: number[];
  reps: number[];
  /** Repetition numbers flagged by the MAD rule (modified z > 3.5). */
  outlierReps: number[];
  /**
   * Each value's round and instance (parallel to values; 0: not recorded), present only when the
   * run recorded them (interleaved rounds, several instances): ratios then pair by round.
   */
  rounds?: number[];
  instances?: number[];
}

export interface RatioSummary {
  platform: PlatformId;
  target?: string;
  reference: PlatformId;
  /** The reference target (absent before variants: the reference platform). */
  referenceTarget?: string;
  benchmark: BenchmarkId;
  metric: string;
  direction: Direction;
  /** Platform / reference (ratio of geometric means for log-scale intervals) and its 95% CI; see ratio.ts. */
  ratio: number | null;
  ratioLow: number | null;
  ratioHigh: number | null;
  method: 'log' | 'fieller' | 'delta' | 'none';
  /** Direction-aware relative performance (> 1 = better than the reference) and its CI. */
  relative: number | null;
  relativeLow: number | null;
  relativeHigh: number | null;
  /** Extra time for the same work vs the reference, in % (positive = worse; see ratio.ts). */
  overheadPercent: number | null;
  /** Welch's test platform vs reference. */
  welch: WelchSummary | null;
  /** The platform against the reference (verdict.ts). */
  verdict: Verdict;
  moreRepetitions: number | null;
  /** What moreRepetitions counts for a paired design ('round', 'instance'). */
  moreUnit?: string;
  /**
   * How the ratio was estimated (stats/paired.ts); absent: pooled, every repetition an
   * independent value (runs without rounds or instances, and every run from before them).
   */
  design?: ComparisonDesign;
}

/** Welch's test in JSON-safe form (t is null when infinite: both sides constant, means differ). */
export interface WelchSummary {
  t: number | null;
  df: number;
  p: number;
  meanDifference: number;
}

export interface Summary {
  /** The reference target's platform (null: no ratios). */
  reference: PlatformId | null;
  /** The reference target id. */
  referenceTarget?: string | null;
  cells: CellSummary[];
  ratios: RatioSummary[];
}

export interface SummarizeOptions {
  /** Target (or platform) every ratio is relative to (default native; no ratios when absent from the samples). */
  reference?: string;
}

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

/** A cell's values as observations with their round and instance, where recorded. */
export function cellObservations(c: CellSummary): Observation[] {
  return c.values.map((value, i) => {
    const round = c.rounds?.[i] ?? 0;
    const instance = c.instances?.[i] ?? 0;
    return {
      value,
      ...(round > 0 ? { round } : {}),
      ...(instance > 0 ? { instance } : {}),
    };
  });
}

/**
 * a against b, direction-aware: the verdict of their observations and the ratio in the design
 * their values allow (paired by round or between instances when the run recorded them, else
 * pooled). The one place the summary's ratios and the findings' comparisons are made.
 */
export function cellRatio(a: CellSummary, b: CellSummary) {
  const v = verdictOfObservations(cellObservations(a), cellObservations(b), a.direction);
  const comp = v.comparison;
  const paired = comp !== null && comp.design !== 'pooled';
  const dr = paired
    ? directedFromInterval(
        { ratio: comp.ratio, low: comp.low, high: comp.high, method: 'log' },
        a.direction,
      )
    : directedRatio(a.values, b.values, a.direction);
  return { v, comp, paired, dr };
}

/** c against the reference cell: the ratio and verdict in the design their values allow. */
function ratioAgainst(
  c: CellSummary,
  ref: CellSummary,
): Pick<
  RatioSummary,
  | 'ratio'
  | 'ratioLow'
  | 'ratioHigh'
  | 'method'
  | 'relative'
  | 'relativeLow'
  | 'relativeHigh'
  | 'overheadPercent'
  | 'verdict'
  | 'moreRepetitions'
  | 'moreUnit'
  | 'design'
> {
  const { v, comp, paired, dr } = cellRatio(c, ref);
  return {
    ratio: finiteOrNull(dr?.ratio),
    ratioLow: finiteOrNull(dr?.low),
    ratioHigh: finiteOrNull(dr?.high),
    method: dr?.method ?? 'none',
    relative: finiteOrNull(dr?.relative),
    relativeLow: finiteOrNull(dr?.relativeLow),
    relativeHigh: finiteOrNull(dr?.relativeHigh),
    overheadPercent: finiteOrNull(dr?.overheadPercent),
    verdict: v.verdict,
    moreRepetitions: v.moreRepetitions,
    ...(v.moreUnit ? { moreUnit: v.moreUnit } : {}),
    ...(paired && comp ? { design: comp.design } : {}),
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

/** Groups samples by platform × benchmark × metric and compares each platform to the reference. */
export function summarize(samples: readonly Sample[], options: SummarizeOptions = {}): Summary {
  const cells: CellSummary[] = [];
  for (const g of groupSamples(samples)) {
    const { main, all } = metricKeys(g);
    for (const metric of all) cells.push(cellFor(g, metric, metric === main));
  }
  const wanted = options.reference ?? DEFAULT_REFERENCE;
  const refCell = cells.find((c) => targetOf(c) === wanted);
  const reference = refCell ? refCell.platform : null;
  const referenceTarget = refCell ? wanted : null;
  const ratios: RatioSummary[] = [];
  if (reference && referenceTarget) {
    for (const c of cells) {
      if (targetOf(c) === referenceTarget) continue;
      const ref = cells.find(
        (r) =>
          targetOf(r) === referenceTarget && r.benchmark === c.benchmark && r.metric === c.metric,
      );
      if (!ref) continue;
      ratios.push({
        platform: c.platform,
        target: targetOf(c),
        reference,
        referenceTarget,
        benchmark: c.benchmark,
        metric: c.metric,
        direction: c.direction,
        ...ratioAgainst(c, ref),
        welch: sanitizeWelch(welchTest(c.values, ref.values)),
      });
    }
  }
  return { reference, referenceTarget, cells, ratios };
}

function sanitizeWelch(w: WelchResult | null): WelchSummary | null {
  if (!w) return null;
  return { t: finiteOrNull(w.t), df: w.df, p: w.p, meanDifference: w.meanDifference };
}

/** The main-metric cell of a platform × benchmark, if any. */
export function mainCell(
  summary: Summary,
  platform: PlatformId,
  benchmark: BenchmarkId,
): CellSummary | undefined {
  return summary.cells.find((c) => c.platform === platform && c.benchmark === benchmark && c.main);
}

/** The main-metric ratio of a platform × benchmark to the reference, if any. */
export function mainRatio(
  summary: Summary,
  platform: PlatformId,
  benchmark: BenchmarkId,
): RatioSummary | undefined {
  const cell = mainCell(summary, platform, benchmark);
  return cell
    ? summary.ratios.find(
        (r) => r.platform === platform && r.benchmark === benchmark && r.metric === cell.metric,
      )
    : undefined;
}
