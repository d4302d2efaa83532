/**
 * One variant's effect on one benchmark, as a finding, decided by the shared verdict
 * (stats/verdict.ts) of the described side against the baseline:
 *   faster / slower  the effect, with its numbers and the mechanism that explains it;
 *   same             "no measurable effect", with the interval;
 *   inconclusive     how many more repetitions per side would settle it;
 *   too-few          nothing (no variance to judge by).
 */
import { CATALOGUE, type BenchmarkId } from '../../catalogue';
import { NOISE_THRESHOLD_PERCENT, verdictText } from '../../stats/verdict';
import { compareCells, relText } from '../compare';
import { mainCellOf, round, type FindingsInput } from '../context';
import type { Finding } from '../types';
import { valueName, type VariantPair } from './pairs';

/** Every variant finding's id starts with this (the results view lists them together). */
export const VARIANT_FINDING_PREFIX = 'variant-';

/**
 * Targets are measured one after another, so the host's drift between them reads as an effect;
 * a benchmark the variant cannot touch (memsweep for a disk field) shows how large that drift is.
 */
const DRIFT_CAVEAT =
  'Targets ran one after another (sequential order), so order and time are confounded: a change in the host’s load between them also shows up here. A benchmark this setting cannot affect, measured in the same run, shows how large that drift is; interleaved order (the default) pairs the targets by round instead.';
/** Said instead when the comparison was paired by round (interleaved order). */
const PAIRED_NOTE =
  'Paired by round: the targets ran in interleaved rounds in a random order, so a drift of the host that hit both within a round cancels.';

/** What explains the effect, said after the numbers. */
export interface Mechanism {
  /** When the described side (a) performed better than the baseline (b). */
  better: string;
  /** When it performed worse. */
  worse: string;
  /** When the data show no difference beyond the noise: why that is plausible. */
  same: string;
  /** How the two settings differ (said with every verdict but too-few). */
  how: string;
}

/** "23.1% more time for the same work" / "18.0% less time for the same work". */
function timeText(relative: number): string {
  const extra = (1 / relative - 1) * 100;
  return `${Math.abs(extra).toFixed(1)}% ${extra >= 0 ? 'more' : 'less'} time for the same work`;
}

export function variantEffect(
  input: FindingsInput,
  pair: VariantPair,
  benchmark: BenchmarkId,
  why: Mechanism,
): Finding[] {
  const a = mainCellOf(input.summary, pair.a.id, benchmark);
  const b = mainCellOf(input.summary, pair.b.id, benchmark);
  if (!a || !b) return [];
  const c = compareCells(a, b);
  const v = c.verdict;
  if (v.verdict === 'too-few' || c.relative === null) return [];
  const an = valueName(pair.field, pair.aValue);
  const bn = valueName(pair.field, pair.bValue);
  const bench = CATALOGUE[benchmark].title;
  const where = `${bench} on ${pair.context}`;
  let title: string;
  let lead: string;
  if (v.verdict === 'faster' || v.verdict === 'slower') {
    title = `${where}: ${an} runs at ${c.relative.toFixed(2)}× the speed of ${bn}`;
    lead =
      `${an} ran at ${relText(c)} of ${bn}'s speed, ${timeText(c.relative)}; the interval excludes 1, so the effect is beyond the noise (verdict: ${v.verdict}). ` +
      (v.verdict === 'faster' ? why.better : why.worse) +
      ` ${c.design === 'pooled' || c.design === 'instances' ? DRIFT_CAVEAT : PAIRED_NOTE}`;
  } else if (v.verdict === 'same') {
    title = `${where}: ${an} vs ${bn} — no measurable effect`;
    lead = `No measurable effect: ${an} ran at ${relText(c)} of ${bn}'s speed, inside the ±${NOISE_THRESHOLD_PERCENT}% noise threshold. ${why.same}`;
  } else {
    title = `${where}: ${an} vs ${bn} — inconclusive`;
    lead = `${an} ran at ${relText(c)} of ${bn}'s speed: the interval includes 1 but reaches beyond ±${NOISE_THRESHOLD_PERCENT}%, so the data cannot yet tell an effect from noise (${verdictText(v)}).`;
  }
  return [
    {
      id: `${VARIANT_FINDING_PREFIX}${pair.field}:${pair.a.id}:${pair.b.id}:${benchmark}`,
      severity: 'info',
      kind: 'diagnostic',
      title,
      explanation: `${lead} ${why.how}`,
      numbers: {
        [`${an} mean`]: round(a.mean),
        [`${bn} mean`]: round(b.mean),
        unit: a.unit,
        [`${an} speed / ${bn} speed`]: round(c.relative),
        'CI low': round(c.low),
        'CI high': round(c.high),
        'n per side': `${a.n} / ${b.n}`,
        verdict: v.verdict,
        'more repetitions per side': v.moreRepetitions,
      },
    },
  ];
}
