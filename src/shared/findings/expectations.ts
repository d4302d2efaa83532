/** The user's own expectations (ExperimentConfig.expectations) checked against the data. */
import type { BenchmarkId } from '../catalogue';
import { subjectPlatform, type Expectation } from '../config';
import { targetOf } from '../targets';
import { describeExpectation, subjectTitle } from './expectationText';
import type { CellSummary, Summary } from '../stats/summaryTypes';
import { NO_INTERVAL_TEXT } from '../stats/logScale';
import { ratioInterval } from '../stats/ratio';
import type { Finding } from './types';
import { ALPHA, compareCells, pText, relText } from './compare';
import { mainCellOf, round } from './context';
import { verdictFor } from '../stats/verdict';
import { settleText } from '../answer/words';
export { describeExpectation, subjectTitle } from './expectationText';

const title = subjectTitle;

/**
 * The main cell an expectation's subject names: a target id names that target; a platform id
 * names the platform when it ran as one target; a platform that ran as several is ambiguous.
 */
function cellFor(s: Summary, subject: string, benchmark: BenchmarkId): Lookup {
  const exact = mainCellOf(s, subject, benchmark);
  if (exact) return { cell: exact };
  const p = subjectPlatform(subject);
  const targets =
    p === subject
      ? s.cells.filter((c) => c.platform === p && c.benchmark === benchmark && c.main)
      : [];
  if (targets.length > 1) return { ambiguous: targets.map((c) => targetOf(c)) };
  return { cell: undefined };
}

type Lookup = { cell: CellSummary | undefined } | { ambiguous: string[] };

/**
 * The main cells of an expectation's subjects, or a "cannot check" finding: a subject the run
 * lacks (or with fewer than two successful repetitions), or a platform that ran as several
 * targets (the expectation must name one).
 */
function cellsOf(
  e: Expectation,
  index: number,
  s: Summary,
  subjects: readonly string[],
): { cells: Record<string, CellSummary> } | { finding: Finding } {
  const cells: Record<string, CellSummary> = {};
  const absent: string[] = [];
  const ambiguous: string[] = [];
  const numbers: Finding['numbers'] = {};
  for (const subject of subjects) {
    const l = cellFor(s, subject, e.benchmark);
    if ('ambiguous' in l) {
      ambiguous.push(
        `${title(subject)} ran as ${l.ambiguous.length} targets (${l.ambiguous.join(', ')})`,
      );
      continue;
    }
    numbers[`${subject} n`] = l.cell ? l.cell.n : 0;
    if (!l.cell || l.cell.n < 2) absent.push(subject);
    else cells[subject] = l.cell;
  }
  if (absent.length === 0 && ambiguous.length === 0) return { cells };
  const why = [
    ...(ambiguous.length > 0
      ? [`${ambiguous.join('; ')}: name one target (its id) instead of the platform.`]
      : []),
    ...(absent.length > 0
      ? [
          `Needs at least two successful repetitions on ${absent.join(', ')} for ${e.benchmark}; the run does not have them.`,
        ]
      : []),
  ];
  return {
    finding: {
      id: `expectation:${index}`,
      severity: 'warn',
      kind: 'expectation',
      title: `Cannot check: ${describeExpectation(e)}`,
      explanation: why.join(' '),
      numbers,
    },
  };
}

/**
 * An expectation's outcome: held (true), not held (false: the data contradict it), or cannot
 * tell yet (undefined, with `settle`: what would decide it).
 */
function verdict(
  e: Expectation,
  index: number,
  held: boolean | undefined,
  explanation: string,
  numbers: Finding['numbers'],
  settle?: string,
): Finding {
  const head = held === undefined ? 'Cannot tell yet' : held ? 'Held' : 'Not held';
  return {
    id: `expectation:${index}`,
    severity: held === true ? 'info' : 'warn',
    kind: 'expectation',
    title: `${head}: ${describeExpectation(e)}`,
    explanation:
      held === undefined && settle ? `${explanation} ${settleSentence(settle)}` : explanation,
    numbers,
    ...(held === undefined ? { settle: settle ?? 'more repetitions would settle it' } : { held }),
  };
}

/** "About 12 more repetitions per side would settle it." */
function settleSentence(settle: string): string {
  return `${settle.charAt(0).toUpperCase()}${settle.slice(1)}.`;
}

/** What would settle A against B: the repetitions the verdict estimates (verdict.ts). */
function settleFor(a: CellSummary, b: CellSummary): string {
  return settleText(verdictFor(a.values, b.values, a.direction).moreRepetitions);
}

/**
 * approx: held when the whole 95% CI of mean(A)/mean(B) lies within ±X% (an
 * equivalence check: a close point estimate with a wide CI is "not shown").
 */
function approx(e: Extract<Expectation, { kind: 'approx' }>, i: number, s: Summary): Finding {
  const found = cellsOf(e, i, s, [e.a, e.b]);
  if ('finding' in found) return found.finding;
  const a = found.cells[e.a] as CellSummary;
  const b = found.cells[e.b] as CellSummary;
  const r = ratioInterval(a.values, b.values);
  const lo = 1 - e.withinPercent / 100;
  const hi = 1 + e.withinPercent / 100;
  const diff = r ? (r.ratio - 1) * 100 : null;
  const ciInside = r !== null && r.low !== null && r.high !== null && r.low >= lo && r.high <= hi;
  const pointInside = r !== null && r.ratio >= lo && r.ratio <= hi;
  const ciText =
    r && r.low !== null && r.high !== null
      ? `95% CI ${r.low.toFixed(3)}–${r.high.toFixed(3)}`
      : `no CI: ${NO_INTERVAL_TEXT}`;
  let why: string;
  if (ciInside)
    why = `mean ${title(e.a)} / mean ${title(e.b)} = ${r!.ratio.toFixed(3)} (${ciText}), entirely within ${lo.toFixed(3)}–${hi.toFixed(3)}.`;
  else if (pointInside)
    why = `the ratio ${r!.ratio.toFixed(3)} is within ±${e.withinPercent}%, but its ${ciText} reaches outside ${lo.toFixed(3)}–${hi.toFixed(3)}: the data cannot tell yet.`;
  else
    why = `mean ${title(e.a)} / mean ${title(e.b)} = ${r ? r.ratio.toFixed(3) : '—'} (${ciText}): a ${diff === null ? '—' : Math.abs(diff).toFixed(1)}% difference, outside ±${e.withinPercent}%.`;
  // Not held only when the whole interval lies outside the band; an interval that reaches into
  // it (or no interval yet) cannot tell.
  const ciOutside = r !== null && r.low !== null && r.high !== null && (r.low > hi || r.high < lo);
  const held = ciInside ? true : ciOutside ? false : undefined;
  return verdict(
    e,
    i,
    held,
    why.charAt(0).toUpperCase() + why.slice(1),
    {
      [`${e.a} mean`]: round(a.mean),
      [`${e.b} mean`]: round(b.mean),
      unit: a.unit,
      ratio: round(r?.ratio),
      'CI low': round(r?.low),
      'CI high': round(r?.high),
      'allowed ±%': e.withinPercent,
    },
    settleFor(a, b),
  );
}

/** "by at least X%" as a bound on the relative speed: faster ≥ 1 + X/100, slower ≤ 1 ÷ (1 + X/100). */
function marginBound(kind: 'faster' | 'slower', percent: number): number {
  return kind === 'faster' ? 1 + percent / 100 : 1 / (1 + percent / 100);
}

/**
 * faster / slower: without a margin, held when A is better (faster) or worse (slower) by the
 * means and Welch's test says the difference is real (p < 0.05). With "by at least X%" (extra
 * time for the same work), held when the whole 95% interval of A's relative speed lies beyond
 * the margin: a point estimate past it with an interval reaching back is "not shown".
 */
function directional(
  e: Extract<Expectation, { kind: 'faster' | 'slower' }>,
  i: number,
  s: Summary,
): Finding {
  const found = cellsOf(e, i, s, [e.a, e.b]);
  if ('finding' in found) return found.finding;
  const a = found.cells[e.a] as CellSummary;
  const b = found.cells[e.b] as CellSummary;
  const c = compareCells(a, b);
  const dir = a.direction === 'higher' ? 'higher is better' : 'lower is better';
  const numbers: Finding['numbers'] = {
    [`${e.a} mean`]: round(a.mean),
    [`${e.b} mean`]: round(b.mean),
    unit: a.unit,
    'relative speed': round(c.relative),
    'CI low': round(c.low),
    'CI high': round(c.high),
    'Welch p': round(c.p),
  };
  const faster = e.kind === 'faster';
  const rel = c.relative;
  const moreTime =
    rel === null
      ? ''
      : ` (${Math.abs((1 / rel - 1) * 100).toFixed(1)}% ${rel <= 1 ? 'more' : 'less'} time for the same work)`;
  const measured = `${title(e.a)} runs at ${relText(c)} of ${title(e.b)}'s speed${moreTime}, ${dir}`;
  if (e.byAtLeastPercent !== undefined) {
    const bound = marginBound(e.kind, e.byAtLeastPercent);
    numbers['margin %'] = e.byAtLeastPercent;
    numbers['relative speed bound'] = round(bound);
    const beyond = (x: number | null) => x !== null && (faster ? x >= bound : x <= bound);
    const far = faster ? c.low : c.high;
    const near = faster ? c.high : c.low;
    // Held: the whole interval beyond the margin; not held: none of it; otherwise cannot tell yet.
    const held = beyond(far) ? true : near !== null && !beyond(near) ? false : undefined;
    const why = held
      ? `${measured}: the whole 95% interval is beyond the ${e.byAtLeastPercent}% margin (relative speed ${faster ? '≥' : '≤'} ${bound.toFixed(3)}).`
      : far === null
        ? `${measured}: ${NO_INTERVAL_TEXT}, so the ${e.byAtLeastPercent}% margin cannot be shown.`
        : beyond(rel)
          ? `${measured}: the point estimate passes the ${e.byAtLeastPercent}% margin (relative speed ${faster ? '≥' : '≤'} ${bound.toFixed(3)}), but the interval reaches ${far.toFixed(3)}: not shown yet.`
          : held === false
            ? `${measured}: short of the ${e.byAtLeastPercent}% margin (relative speed ${faster ? '≥' : '≤'} ${bound.toFixed(3)}).`
            : `${measured}: the interval reaches the ${e.byAtLeastPercent}% margin (relative speed ${faster ? '≥' : '≤'} ${bound.toFixed(3)}) but does not lie beyond it: not shown yet.`;
    return verdict(e, i, held, why, numbers, settleFor(a, b));
  }
  const ahead = rel !== null && (faster ? rel > 1 : rel < 1);
  const significant = c.p !== null && c.p < ALPHA;
  // Held: ahead and Welch says the difference is real; not held: significantly the other way,
  // or the same within noise (verdict.ts); otherwise the data cannot tell yet.
  const same = c.verdict.verdict === 'same';
  const held = significant ? ahead : same ? false : undefined;
  const word = faster ? 'faster' : 'slower';
  const why = held
    ? `${measured}; Welch's test ${pText(c.p)}.`
    : ahead
      ? `${title(e.a)} is ${word} by the means (${relText(c)}), but Welch's test ${pText(c.p)} does not show a real difference.`
      : `${title(e.a)} is ${faster ? 'slower' : 'faster'} by the means: ${measured}; Welch's test ${pText(c.p)}.`;
  return verdict(e, i, held, why, numbers, settleFor(a, b));
}

/** ranking: held when the means are in the stated order (fastest first); pairs not significant are named. */
function ranking(e: Extract<Expectation, { kind: 'ranking' }>, i: number, s: Summary): Finding {
  const found = cellsOf(e, i, s, e.order);
  if ('finding' in found) return found.finding;
  const cells = found.cells;
  const problems: string[] = [];
  const weak: string[] = [];
  const numbers: Finding['numbers'] = {};
  for (const p of e.order) numbers[`${p} mean`] = round(cells[p]!.mean);
  for (let k = 0; k + 1 < e.order.length; k++) {
    const pa = e.order[k] as string;
    const pb = e.order[k + 1] as string;
    const c = compareCells(cells[pa]!, cells[pb]!);
    numbers[`${pa} vs ${pb}`] = round(c.relative);
    if (c.relative === null || c.relative <= 1)
      problems.push(`${title(pa)} is not faster than ${title(pb)} (${relText(c)})`);
    else if (c.p === null || c.p >= ALPHA)
      weak.push(`${title(pa)} vs ${title(pb)} (${pText(c.p)})`);
  }
  const held = problems.length === 0;
  const actual = [...e.order].sort((x, y) => {
    const cx = cells[x]!;
    const cy = cells[y]!;
    const sign = cx.direction === 'higher' ? -1 : 1;
    return sign * ((cx.mean ?? 0) - (cy.mean ?? 0));
  });
  let why = held
    ? `The means are in the stated order.`
    : `${problems.join('; ')}. Measured order: ${actual.map(title).join(' > ')}.`;
  if (weak.length > 0) why += ` Not statistically clear: ${weak.join(', ')}.`;
  return verdict(e, i, held, why, numbers);
}

export function checkExpectations(
  expectations: readonly Expectation[],
  summary: Summary,
): Finding[] {
  return expectations.map((e, i) => {
    switch (e.kind) {
      case 'approx':
        return approx(e, i, summary);
      case 'faster':
      case 'slower':
        return directional(e, i, summary);
      case 'ranking':
        return ranking(e, i, summary);
    }
  });
}
