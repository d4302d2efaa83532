/**
 * One cell against another, direction-aware: the verdict and the ratio with its interval, paired
 * by round or instance where the run recorded them, else pooled (used by the summary's ratios and
 * the findings' comparisons alike).
 */
import { finiteOrNull } from './cellStatistics';
import type { Observation } from './paired';
import { directedFromInterval, directedRatio } from './ratio';
import type { CellSummary, RatioSummary } from './summaryTypes';
import { verdictOfObservations } from './verdict';

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
export function ratioAgainst(
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
