/**
 * The answer matrix: the first thing a result shows. One row per target (a platform with one
 * guest shape; later also an A/A control or a host-prefixed target), one column per benchmark;
 * each cell the direction-aware speed relative to the reference target with its 95% interval and
 * the verdict as a word; and per row the geometric mean of its speeds across the benchmarks (the
 * overall summary OpenBenchmarking shows). Built from the summary alone, so the results page,
 * the compare page (run against run), `benchvisor show` and the reports agree.
 */
import { BENCHMARK_IDS, CATALOGUE, type BenchmarkId } from '../catalogue';
import { speedIntervalText, speedText } from '../format';
import { platformShort, targetShort } from '../plots/labels';
import type { PlatformId } from '../platforms';
import type { RatioSummary, Summary } from '../stats/summaryTypes';
import type { Verdict } from '../stats/verdict';
import { targetOf } from '../targets';
import type { ClientBound } from '../findings/loadCeiling';
import { withBound } from './bounds';
import { answerWord, type AnswerVerdict } from './words';

/**
 * What a row is. 'target': a platform with one guest shape (the platform itself when nothing
 * varies); 'control': an A/A twin of the reference (how far two identical systems drift apart);
 * 'host': a target measured on a named lab host ("lab1 · QEMU TCG").
 */
export type AnswerRowKind = 'target' | 'control' | 'host';

export interface AnswerRow {
  /** Unique within the matrix (the target id, prefixed with the host for 'host' rows). */
  key: string;
  kind: AnswerRowKind;
  platform: PlatformId;
  target: string;
  /** "QEMU TCG", "QEMU TCG · qcow2", "lab1 · QEMU TCG". */
  title: string;
  isReference: boolean;
}

export interface AnswerCell {
  benchmark: BenchmarkId;
  /** Direction-aware speed relative to the reference (> 1 = better), its 95% interval. */
  relative: number | null;
  low: number | null;
  high: number | null;
  verdict: AnswerVerdict;
  /** For 'inconclusive': about how many more repetitions per side would settle it. */
  moreRepetitions: number | null;
  /** What moreRepetitions counts for a paired comparison ('round', 'instance'); absent: per side. */
  moreUnit?: string;
  /** "33× slower", "0.89× — 12.8% more time", "reference", "not applicable", "—". */
  speed: string;
  /** "30–36×" or "". */
  interval: string;
  /** The verdict in words: "slower", "same", "cannot tell yet", ... */
  word: string;
  /** Why a cell is empty (not applicable: the platform lacks what the benchmark needs). */
  reason?: string;
}

export interface AnswerMatrixRow {
  row: AnswerRow;
  cells: AnswerCell[];
  /** Geometric mean of the row's speeds over the benchmarks that have one (null: none). */
  overall: number | null;
  /** How many benchmarks the overall figure covers. */
  overallCount: number;
}

export interface AnswerMatrix {
  /** The reference's title ("Native", "QEMU TCG · raw"); null: the run has no reference. */
  referenceTitle: string | null;
  benchmarks: BenchmarkId[];
  rows: AnswerMatrixRow[];
}

/** A benchmark a platform did not run, and why (experiment.json `skipped`). */
export interface NotRun {
  platform: PlatformId;
  benchmark?: BenchmarkId;
  reason: string;
}

function cellFrom(benchmark: BenchmarkId, r: RatioSummary | undefined): AnswerCell {
  const verdict: Verdict | 'missing' = r ? r.verdict : 'missing';
  const relative = r?.relative ?? null;
  return {
    benchmark,
    relative,
    low: r?.relativeLow ?? null,
    high: r?.relativeHigh ?? null,
    verdict,
    moreRepetitions: r?.moreRepetitions ?? null,
    ...(r?.moreUnit ? { moreUnit: r.moreUnit } : {}),
    speed: speedText(relative),
    interval: speedIntervalText(r?.relativeLow, r?.relativeHigh),
    word: answerWord(verdict),
  };
}

function specialCell(benchmark: BenchmarkId, verdict: AnswerVerdict, reason?: string): AnswerCell {
  return {
    benchmark,
    relative: verdict === 'reference' ? 1 : null,
    low: null,
    high: null,
    verdict,
    moreRepetitions: null,
    speed: answerWord(verdict),
    interval: '',
    word: answerWord(verdict),
    ...(reason ? { reason } : {}),
  };
}

/** Geometric mean of positive finite values (null without any). */
export function geometricMean(values: readonly number[]): number | null {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0);
  if (ok.length === 0) return null;
  return Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
}

/** The rows of a summary: its targets in the summary's order (platforms in run order). */
function rowsOf(summary: Summary): AnswerRow[] {
  const refTarget = summary.referenceTarget ?? summary.reference;
  const seen = new Map<string, AnswerRow>();
  for (const c of summary.cells) {
    const target = targetOf(c);
    if (seen.has(target)) continue;
    seen.set(target, {
      key: target,
      kind: 'target',
      platform: c.platform,
      target,
      title: targetShort(c.platform, target),
      isReference: target === refTarget,
    });
  }
  return [...seen.values()];
}

/** The answer matrix of a run (see the file comment). */
export function answerMatrix(
  summary: Summary,
  notRun: readonly NotRun[] = [],
  /** Cells the nginx load client bounded (clientBounds): shown as bounds, not verdicts. */
  bounds: readonly ClientBound[] = [],
): AnswerMatrix {
  const benchmarks = BENCHMARK_IDS.filter((b) => summary.cells.some((c) => c.benchmark === b));
  const rows = rowsOf(summary).map((row): AnswerMatrixRow => {
    const cells = benchmarks.map((b) => {
      const skip = notRun.find(
        (s) => s.platform === row.platform && (s.benchmark === undefined || s.benchmark === b),
      );
      const measured = summary.cells.some(
        (c) => c.main && c.benchmark === b && targetOf(c) === row.target && c.n > 0,
      );
      if (!measured && skip) return specialCell(b, 'not-applicable', skip.reason);
      if (row.isReference) return specialCell(b, measured ? 'reference' : 'missing');
      const def = CATALOGUE[b];
      const r = summary.ratios.find(
        (x) => x.benchmark === b && x.metric === def.mainMetric && targetOf(x) === row.target,
      );
      return withBound(cellFrom(b, r), row.target, bounds);
    });
    const speeds = row.isReference
      ? []
      : cells.map((c) => c.relative).filter((x): x is number => x !== null);
    return { row, cells, overall: geometricMean(speeds), overallCount: speeds.length };
  });
  const ref = rows.find((r) => r.row.isReference)?.row;
  return {
    referenceTitle: ref ? ref.title : summary.reference ? platformShort(summary.reference) : null,
    benchmarks,
    rows,
  };
}
