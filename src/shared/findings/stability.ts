/**
 * Warmup and instability of single cells, computed from their values (keyed by cell: platform ×
 * benchmark; nothing here names a platform).
 *
 * Warmup rule (ours, in the spirit of hyperfine's "first run was significantly slower"): with at
 * least 3 successful repetitions, the first one is worse (in the metric's direction) than every
 * later one AND more than WARMUP_SLOWER_PERCENT worse than the median of the later ones.
 *
 * Instability: a cell whose CV is above HIGH_CV_PERCENT says how many more repetitions would bring
 * its 95% CI (log scale) to the run's target (repetitions.adaptive.targetCiPercent), computed from
 * the spread observed (stats/logScale.ts repetitionsForTarget), not a generic sentence.
 */
import { CATALOGUE } from '../catalogue';
import { PLATFORM_INFO } from '../platforms';
import { MAX_REPETITIONS_FOR_TARGET, repetitionsForTarget } from '../stats/logScale';
import { median } from '../stats/descriptive';
import type { CellSummary } from '../stats/summaryTypes';
import { targetLabelOf, targetOf } from '../targets';
import { num, pct, round } from './context';
import type { FindingsInput } from './context';
import type { Finding } from './types';

/** CV above which a cell is called noisy. */
export const HIGH_CV_PERCENT = 10;
/** How much worse than the median of the rest a first repetition must be to suggest warmup. */
export const WARMUP_SLOWER_PERCENT = 10;
/** The fewest successful repetitions the warmup rule looks at. */
export const WARMUP_MIN_N = 3;
/** CI target when the run's config does not say (the adaptive rule's default). */
export const DEFAULT_TARGET_CI_PERCENT = 5;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** "QEMU TCG · Disk write", or with variants "QEMU TCG · qcow2 · none · Disk write". */
function cellTitle(c: CellSummary): string {
  const t = targetOf(c);
  const who = t === c.platform ? PLATFORM_INFO[c.platform].title : targetLabelOf(c.platform, t);
  return `${who} · ${CATALOGUE[c.benchmark].title}`;
}

/** repetitions.adaptive.targetCiPercent and repetitions.warmup of the run's config. */
function repetitionSettings(config: unknown): { target: number; warmup: number | null } {
  const r = isRecord(config) && isRecord(config.repetitions) ? config.repetitions : {};
  const a = isRecord(r.adaptive) ? r.adaptive : {};
  return {
    target: typeof a.targetCiPercent === 'number' ? a.targetCiPercent : DEFAULT_TARGET_CI_PERCENT,
    warmup: typeof r.warmup === 'number' ? r.warmup : null,
  };
}

/** How much worse the first value is than the median of the rest, in % (direction-aware). */
export function firstRepetitionExcess(c: CellSummary): number | null {
  if (c.values.length < WARMUP_MIN_N) return null;
  const [first, ...rest] = c.values as [number, ...number[]];
  const worseThanAll =
    c.direction === 'lower' ? first > Math.max(...rest) : first < Math.min(...rest);
  if (!worseThanAll) return null;
  const m = median(rest);
  if (!(m > 0) || !(first > 0)) return null;
  const excess = (c.direction === 'lower' ? first / m - 1 : m / first - 1) * 100;
  return excess > WARMUP_SLOWER_PERCENT ? excess : null;
}

export function warmup({ summary, config }: FindingsInput): Finding[] {
  const { warmup: configured } = repetitionSettings(config);
  const out: Finding[] = [];
  for (const c of summary.cells) {
    if (!c.main) continue;
    const excess = firstRepetitionExcess(c);
    if (excess === null) continue;
    const rest = c.values.slice(1);
    out.push({
      id: `warmup:${targetOf(c)}:${c.benchmark}`,
      severity: 'warn',
      kind: 'diagnostic',
      title: `${cellTitle(c)}: the first repetition was ${pct(excess)} slower than the rest`,
      explanation:
        `Repetition ${c.reps[0] ?? 1} measured ${num(c.values[0])} ${c.unit}, worse than every later one and ${pct(excess)} worse than their median (${num(median(rest))} ${c.unit}). ` +
        'Caches, page tables, the page cache or a CPU clock that had not yet sped up make a first run slow. ' +
        (configured !== null && configured > 0
          ? `The run already discarded ${configured} warmup repetition${configured === 1 ? '' : 's'}; use more.`
          : 'Add a warmup repetition (Repetitions → warmup 1, or repetitions.warmup in the config): it runs and is discarded.') +
        ` Rule: first repetition worse than all others and more than ${WARMUP_SLOWER_PERCENT}% worse than their median.`,
      numbers: {
        'first repetition': round(c.values[0]),
        'median of the rest': round(median(rest)),
        unit: c.unit,
        'slower by %': round(excess),
        'warmup repetitions configured': configured,
      },
    });
  }
  return out;
}

/** Noisy cells (CV above 10%), with the repetitions that would reach the target CI. */
export function highCv({ summary, config }: FindingsInput): Finding[] {
  const { target } = repetitionSettings(config);
  return summary.cells
    .filter((c) => c.main && c.cvPercent !== null && c.cvPercent > HIGH_CV_PERCENT)
    .map((c) => {
      const needed = repetitionsForTarget(c.values, target);
      const more = needed === null ? null : Math.max(0, needed - c.n);
      const reach =
        needed === null
          ? ''
          : needed >= MAX_REPETITIONS_FOR_TARGET
            ? ` At this spread, more than ${MAX_REPETITIONS_FOR_TARGET.toLocaleString('en-US')} repetitions would be needed for ±${target}%: make the benchmark longer (standard profile) or the host quieter instead.`
            : more === 0
              ? ` The CI already meets the ±${target}% target.`
              : ` At this spread, about ${more} more repetition${more === 1 ? '' : 's'} (${needed} in all) would bring the 95% CI to ±${target}% (the run's target); adaptive repetitions stop there by themselves.`;
      return {
        id: `high-cv:${targetOf(c)}:${c.benchmark}`,
        severity: 'warn' as const,
        kind: 'diagnostic' as const,
        title: `${cellTitle(c)}: noisy (CV ${pct(c.cvPercent)})`,
        explanation:
          `The repetitions vary by ${pct(c.cvPercent)} of the mean (sd ${num(c.sd)} ${c.unit} around ${num(c.mean)} ${c.unit}, n = ${c.n}), ` +
          `above the ${HIGH_CV_PERCENT}% we call stable; the 95% CI reaches ${c.ciPercent === null ? '— (n too small for an interval)' : `+${pct(c.ciPercent)}`} from its centre.${reach} ` +
          'Other load, frequency scaling, a too-short benchmark or caches warming up cause this (see the other findings for what was measured).' +
          (c.outlierReps.length > 0
            ? ` Outlier repetitions (MAD rule, marked on the plot and kept): ${c.outlierReps.join(', ')}.`
            : ''),
        numbers: {
          'CV %': round(c.cvPercent),
          mean: round(c.mean),
          sd: round(c.sd),
          n: c.n,
          unit: c.unit,
          'target CI ±%': target,
          'more repetitions for the target': more,
          'outlier reps': c.outlierReps.length > 0 ? c.outlierReps.join(', ') : null,
        },
      };
    });
}
