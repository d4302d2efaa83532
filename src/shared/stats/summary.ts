/**
 * summarize(samples): statistics per target × benchmark × metric, plus
 * ratios of every target to a reference target (native by default; any target,
 * e.g. "qcow2 relative to raw"). A target is a platform with one combination of the
 * varied guest shape; in runs without variants it is the platform itself.
 * The result is plain JSON (no NaN/Infinity: those become null) so it can be
 * written as summary.json and sent over IPC unchanged.
 */
import type { BenchmarkId } from '../catalogue';
import type { PlatformId } from '../platforms';
import type { Sample } from '../sample';
import { targetOf } from '../targets';
import { finiteOrNull, summaryCells } from './cellStatistics';
import { ratioAgainst } from './cellRatio';
import type {
  CellSummary,
  RatioSummary,
  SummarizeOptions,
  Summary,
  WelchSummary,
} from './summaryTypes';
import { welchTest } from './welch';
import type { WelchResult } from './welch';

/** Reference platform for ratios unless the caller names another. */
export const DEFAULT_REFERENCE: PlatformId = 'native';

/** Groups samples by platform × benchmark × metric and compares each platform to the reference. */
export function summarize(samples: readonly Sample[], options: SummarizeOptions = {}): Summary {
  const cells = summaryCells(samples);
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
