/** Pairwise comparison of two cells, direction-aware, with the statistics behind it. */
import { cellRatio } from '../stats/cellRatio';
import type { CellSummary } from '../stats/summaryTypes';
import { NO_INTERVAL_TEXT } from '../stats/logScale';
import { DESIGN_WORDS, type ComparisonDesign } from '../stats/paired';
import type { VerdictResult } from '../stats/verdict';
import { welchTest } from '../stats/welch';

/** Significance level for "differs" (two-sided Welch test). */
export const ALPHA = 0.05;

export interface Comparison {
  /** Speed of A relative to B (> 1: A is better/faster), direction-aware, with 95% CI (Fieller). */
  relative: number | null;
  low: number | null;
  high: number | null;
  /** Welch p-value for "A differs from B" (null with fewer than two values on a side). */
  p: number | null;
  /** mean(A) / mean(B) in the metric's own terms. */
  ratio: number | null;
  /** A against B (shared/stats/verdict.ts). */
  verdict: VerdictResult;
  /** How the values were compared (stats/paired.ts): paired by round, between instances, pooled. */
  design: ComparisonDesign;
}

export function compareCells(a: CellSummary, b: CellSummary): Comparison {
  const { v, comp, dr: d } = cellRatio(a, b);
  const w = welchTest(a.values, b.values);
  const fin = (x: number | null | undefined) =>
    x === null || x === undefined || !Number.isFinite(x) ? null : x;
  return {
    relative: fin(d?.relative),
    low: fin(d?.relativeLow),
    high: fin(d?.relativeHigh),
    p: w ? w.p : null,
    ratio: fin(d?.ratio),
    verdict: {
      verdict: v.verdict,
      moreRepetitions: v.moreRepetitions,
      ...(v.moreUnit ? { moreUnit: v.moreUnit } : {}),
    },
    design: comp?.design ?? 'pooled',
  };
}

/** "1.02× (95% CI 0.98–1.06)", or "1.02× (n too small for an interval)". */
export function relText(c: Comparison): string {
  if (c.relative === null) return 'no ratio';
  const ci =
    c.low !== null && c.high !== null
      ? ` (95% CI ${c.low.toFixed(3)}–${c.high.toFixed(3)}${c.design === 'pooled' ? '' : `, ${DESIGN_WORDS[c.design]}`})`
      : ` (${NO_INTERVAL_TEXT})`;
  return `${c.relative.toFixed(3)}×${ci}`;
}

export function pText(p: number | null): string {
  if (p === null) return 'p not computable';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}
