/** The user's own expectations (ExperimentConfig.expectations) checked against the data. */
import { CATALOGUE } from '../catalogue';
import type { Expectation } from '../config';
import { PLATFORM_INFO } from '../platforms';
import type { PlatformId } from '../platforms';
import type { CellSummary, Summary } from '../stats/summary';
import { NO_INTERVAL_TEXT } from '../stats/logScale';
import { ratioInterval } from '../stats/ratio';
import type { Finding } from './types';
import { ALPHA, compareCells, pText, relText } from './compare';
import { mainCellOf, round } from './context';

const title = (p: PlatformId) => PLATFORM_INFO[p].title;

function describeExpectation(e: Expectation): string {
  const bench = CATALOGUE[e.benchmark].title;
  switch (e.kind) {
    case 'approx':
      return `${title(e.a)} ≈ ${title(e.b)} within ${e.withinPercent}% on ${bench}`;
    case 'faster':
      return `${title(e.a)} faster than ${title(e.b)} on ${bench}`;
    case 'ranking':
      return `${bench}: ${e.order.map(title).join(' > ')} (fastest first)`;
  }
}

function missing(
  e: Expectation,
  index: number,
  cells: Record<string, CellSummary | undefined>,
): Finding | null {
  const absent = Object.entries(cells)
    .filter(([, c]) => !c || c.n < 2)
    .map(([p]) => p);
  if (absent.length === 0) return null;
  return {
    id: `expectation:${index}`,
    severity: 'warn',
    kind: 'expectation',
    title: `Cannot check: ${describeExpectation(e)}`,
    explanation: `Needs at least two successful repetitions on ${absent.join(', ')} for ${e.benchmark}; the run does not have them.`,
    numbers: Object.fromEntries(Object.entries(cells).map(([p, c]) => [`${p} n`, c ? c.n : 0])),
  };
}

function verdict(
  e: Expectation,
  index: number,
  held: boolean,
  explanation: string,
  numbers: Finding['numbers'],
): Finding {
  return {
    id: `expectation:${index}`,
    severity: held ? 'info' : 'warn',
    kind: 'expectation',
    title: `${held ? 'Held' : 'Not held'}: ${describeExpectation(e)}`,
    explanation,
    numbers,
    held,
  };
}

/**
 * approx: held when the whole 95% CI of mean(A)/mean(B) lies within ±X% (an
 * equivalence check: a close point estimate with a wide CI is "not shown").
 */
function approx(e: Extract<Expectation, { kind: 'approx' }>, i: number, s: Summary): Finding {
  const a = mainCellOf(s, e.a, e.benchmark);
  const b = mainCellOf(s, e.b, e.benchmark);
  const m = missing(e, i, { [e.a]: a, [e.b]: b });
  if (m || !a || !b) return m as Finding;
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
    why = `the ratio ${r!.ratio.toFixed(3)} is within ±${e.withinPercent}%, but its ${ciText} reaches outside ${lo.toFixed(3)}–${hi.toFixed(3)}: the data are too noisy to show it (more repetitions would tell).`;
  else
    why = `mean ${title(e.a)} / mean ${title(e.b)} = ${r ? r.ratio.toFixed(3) : '—'} (${ciText}): a ${diff === null ? '—' : Math.abs(diff).toFixed(1)}% difference, outside ±${e.withinPercent}%.`;
  return verdict(e, i, ciInside, why.charAt(0).toUpperCase() + why.slice(1), {
    [`${e.a} mean`]: round(a.mean),
    [`${e.b} mean`]: round(b.mean),
    unit: a.unit,
    ratio: round(r?.ratio),
    'CI low': round(r?.low),
    'CI high': round(r?.high),
    'allowed ±%': e.withinPercent,
  });
}

/** faster: held when A is better (direction-aware) and Welch's test says the difference is real (p < 0.05). */
function faster(e: Extract<Expectation, { kind: 'faster' }>, i: number, s: Summary): Finding {
  const a = mainCellOf(s, e.a, e.benchmark);
  const b = mainCellOf(s, e.b, e.benchmark);
  const m = missing(e, i, { [e.a]: a, [e.b]: b });
  if (m || !a || !b) return m as Finding;
  const c = compareCells(a, b);
  const better = c.relative !== null && c.relative > 1;
  const significant = c.p !== null && c.p < ALPHA;
  const held = better && significant;
  const dir = a.direction === 'higher' ? 'higher is better' : 'lower is better';
  const why = held
    ? `${title(e.a)} runs at ${relText(c)} of ${title(e.b)}'s speed (${dir}); Welch's test ${pText(c.p)}.`
    : better
      ? `${title(e.a)} is ahead by the means (${relText(c)}), but Welch's test ${pText(c.p)} does not show a real difference.`
      : `${title(e.a)} is slower: it runs at ${relText(c)} of ${title(e.b)}'s speed (${dir}); Welch's test ${pText(c.p)}.`;
  return verdict(e, i, held, why, {
    [`${e.a} mean`]: round(a.mean),
    [`${e.b} mean`]: round(b.mean),
    unit: a.unit,
    'relative speed': round(c.relative),
    'Welch p': round(c.p),
  });
}

/** ranking: held when the means are in the stated order (fastest first); pairs not significant are named. */
function ranking(e: Extract<Expectation, { kind: 'ranking' }>, i: number, s: Summary): Finding {
  const cells: Record<string, CellSummary | undefined> = {};
  for (const p of e.order) cells[p] = mainCellOf(s, p, e.benchmark);
  const m = missing(e, i, cells);
  if (m) return m;
  const problems: string[] = [];
  const weak: string[] = [];
  const numbers: Finding['numbers'] = {};
  for (const p of e.order) numbers[`${p} mean`] = round(cells[p]!.mean);
  for (let k = 0; k + 1 < e.order.length; k++) {
    const pa = e.order[k] as PlatformId;
    const pb = e.order[k + 1] as PlatformId;
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
        return faster(e, i, summary);
      case 'ranking':
        return ranking(e, i, summary);
    }
  });
}
