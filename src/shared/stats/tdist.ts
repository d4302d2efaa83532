/** Student t distribution helpers (jStat underneath, wrapped so callers never see its API). */
import jStat from 'jstat';

/** Confidence level used everywhere in Benchvisor (95%, two-sided). */
export const CONFIDENCE_LEVEL = 0.95;

/** Two-sided critical value t(1 − α/2, df), e.g. 2.776 for df = 4 at 95%. */
export function tCritical(df: number, level: number = CONFIDENCE_LEVEL): number {
  if (!(df > 0)) return Number.NaN;
  return jStat.studentt.inv(1 - (1 - level) / 2, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  if (!(df > 0)) return Number.NaN;
  const p = 2 * jStat.studentt.cdf(-Math.abs(t), df);
  return Math.min(1, Math.max(0, p));
}
