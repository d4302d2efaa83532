/** Welch's unequal-variances t test: "does A differ from B?" */
import { mean, variance } from './descriptive';
import { tTwoSidedP } from './tdist';

export interface WelchResult {
  /** t = (mean A − mean B) / √(sA²/nA + sB²/nB). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  meanDifference: number;
}

/** Welch's t test; null when either side has fewer than two values. */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return null;
  const va = variance(a) / na;
  const vb = variance(b) / nb;
  const diff = mean(a) - mean(b);
  const se2 = va + vb;
  if (se2 === 0) {
    // Both sides constant: identical means do not differ, different ones certainly do.
    return {
      t: diff === 0 ? 0 : Math.sign(diff) * Infinity,
      df: na + nb - 2,
      p: diff === 0 ? 1 : 0,
      meanDifference: diff,
    };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  return { t, df, p: tTwoSidedP(t, df), meanDifference: diff };
}
