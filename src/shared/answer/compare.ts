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
