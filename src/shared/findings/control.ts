/**
 * The A/A control (repetitions.control): a twin of the reference target, measured like any
 * other. Identical systems must come out "same" or "inconclusive"; when the twin comes out
 * faster or slower, the host let two identical systems drift apart by that much, and no verdict
 * of the run is to be trusted beyond it. One finding per benchmark; the results show them first.
 */
import { CATALOGUE } from '../catalogue';
import { DESIGN_WORDS } from '../stats/paired';
import { verdictText } from '../stats/verdict';
import { controlledIdOf, targetOf } from '../targets';
import { compareCells, relText } from './compare';
import { mainCellOf, round, type FindingsInput } from './context';
import type { Finding } from './types';

/** Every control finding's id starts with this (views list them first). */
export const CONTROL_FINDING_PREFIX = 'aa-control:';

/** "12.0% more time for the same work". */
function falseEffectText(relative: number): string {
  const extra = (1 / relative - 1) * 100;
  return `${Math.abs(extra).toFixed(1)}% ${extra >= 0 ? 'more' : 'less'} time for the same work`;
}

export function aaControl(input: FindingsInput): Finding[] {
  const out: Finding[] = [];
  for (const cell of input.summary.cells) {
    if (!cell.main) continue;
    const twinId = controlledIdOf(targetOf(cell));
    if (twinId === null) continue;
    const twin = mainCellOf(input.summary, twinId, cell.benchmark);
    if (!twin) continue;
    const c = compareCells(cell, twin);
    if (c.verdict.verdict === 'too-few' || c.relative === null) continue;
    const bench = CATALOGUE[cell.benchmark].title;
    const effect = c.verdict.verdict === 'faster' || c.verdict.verdict === 'slower';
    const how = c.design === 'pooled' ? 'unpaired' : DESIGN_WORDS[c.design];
    out.push({
      id: `${CONTROL_FINDING_PREFIX}${cell.benchmark}`,
      severity: effect ? 'problem' : 'info',
      kind: 'diagnostic',
      title: effect
        ? `A/A control, ${bench}: identical systems came out ${c.verdict.verdict} (${c.relative.toFixed(3)}×) — this run's verdicts cannot be trusted on this host right now`
        : `A/A control, ${bench}: the twin of the reference is ${verdictText(c.verdict)}`,
      explanation: effect
        ? `The A/A control is the reference target measured a second time: the same system, so any effect is false. It ran at ${relText(c)} of its twin's speed (${how}), a false effect of ${falseEffectText(c.relative)}. Any verdict of this run smaller than that is not to be trusted: the host's load changed while the run measured, or the boots differed. Run again on a quiet host, with interleaved order and several instances per target.`
        : `The A/A control is the reference target measured a second time. It ran at ${relText(c)} of its twin's speed (${how}): the host kept identical systems apart by no more than the interval shows.`,
      numbers: {
        'control ÷ twin (speed)': round(c.relative),
        'CI low': round(c.low),
        'CI high': round(c.high),
        verdict: c.verdict.verdict,
        comparison: how,
      },
    });
  }
  return out;
}
