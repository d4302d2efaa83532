/**
 * Run against run as an answer matrix: one row per target both runs measured, one column per
 * benchmark, each cell the candidate's speed relative to the baseline (> 1: the candidate did
 * better) with its interval and verdict — the same matrix and words as a single run's answer.
 */
import { BENCHMARK_IDS } from '../catalogue';
import { speedIntervalText, speedText } from '../format';
import { targetShort } from '../plots/labels';
import type { RunComparisonRow } from '../stats/compareRuns';
import { geometricMean, type AnswerCell, type AnswerMatrix, type AnswerMatrixRow } from './matrix';
import { answerWord } from './words';
import { lineOf, type AnswerLine } from './lines';
import { ruleOf } from '../findings/groups';
import type { Finding } from '../findings/types';

export function comparisonMatrix(
  rows: readonly RunComparisonRow[],
  baselineTitle: string,
): AnswerMatrix {
  const benchmarks = BENCHMARK_IDS.filter((b) => rows.some((r) => r.benchmark === b));
  const targets = [...new Map(rows.map((r) => [r.target, r])).values()];
  const out = targets.map((t): AnswerMatrixRow => {
    const cells = benchmarks.map((b): AnswerCell => {
      const r = rows.find((x) => x.target === t.target && x.benchmark === b);
      const verdict = r ? r.verdict : 'missing';
      return {
        benchmark: b,
        relative: r?.relative ?? null,
        low: r?.relativeLow ?? null,
        high: r?.relativeHigh ?? null,
        verdict,
        moreRepetitions: r?.moreRepetitions ?? null,
        speed: r ? speedText(r.relative) : answerWord('missing'),
        interval: speedIntervalText(r?.relativeLow, r?.relativeHigh),
        word: answerWord(verdict),
      };
    });
    const speeds = cells.map((c) => c.relative).filter((x): x is number => x !== null);
    return {
      row: {
        key: t.target,
        kind: 'target',
        platform: t.platform,
        target: t.target,
        title: targetShort(t.platform, t.target),
        isReference: false,
      },
      cells,
      overall: geometricMean(speeds),
      overallCount: speeds.length,
    };
  });
  return { referenceTitle: baselineTitle, benchmarks, rows: out };
}

/**
 * One plain line per target of a comparison: "Native ran System call with 20.0% less time in the
 * candidate than in the baseline (1.23–1.28×)"; the same choice of cell as a run's lines.
 */
export function comparisonLines(m: AnswerMatrix): AnswerLine[] {
  return m.rows.flatMap((r) => {
    const text = lineOf(r, 'the baseline', { mechanism: false, where: ' in the candidate' });
    return text ? [{ key: r.row.key, text }] : [];
  });
}

/** The host-noise rules whose findings mean a run was measured on a loaded host. */
const HOST_LOAD_RULES = new Set(['other-load', 'cpu-steal']);

/**
 * The caveat a comparison carries when either run recorded host load: a difference between the
 * runs may then be the host's, not the change's. Null when neither did.
 */
export function hostLoadCaveat(
  baseline: readonly Finding[],
  candidate: readonly Finding[],
): string | null {
  const loaded = (fs: readonly Finding[]) => fs.filter((f) => HOST_LOAD_RULES.has(ruleOf(f)));
  const b = loaded(baseline);
  const c = loaded(candidate);
  if (b.length === 0 && c.length === 0) return null;
  const which =
    b.length > 0 && c.length > 0 ? 'Both runs' : b.length > 0 ? 'The baseline' : 'The candidate';
  const example = (b[0] ?? c[0]) as Finding;
  return (
    `${which} recorded load from other processes on the host (${example.title.replace(/\.$/, '')}): ` +
    'a "faster" or "slower" here may be the host\u2019s doing rather than the change\u2019s. ' +
    'Run both again on a quiet host (or interleaved) before trusting a small difference.'
  );
}
