/**
 * The adaptive rule of an interleaved run (issue 19 item 7): repetitions come in whole rounds
 * (every target of the benchmark measured once per round), and the rounds go on until every
 * paired comparison of the benchmark is as tight as the rule's target, then every cell of the
 * benchmark stops together. The comparisons are the ones the results make (each target against
 * the reference target, and the A/A control against the target it twins), computed the same way
 * (stats/paired.ts compareObservations: per-round log ratios), so drift that hits both sides of
 * a round — which widens each cell's own interval and would keep the sequential rule going —
 * does not keep the rounds going.
 *
 * The rule, after every complete round, in this order:
 *  1. at maxRepetitions rounds: stop ("cap reached") — the cap always wins;
 *  2. while a target has fewer than minRepetitions values (a failed repetition is no value, as
 *     in the sequential rule): continue;
 *  3. before minSeconds of measured time: continue;
 *  4. when the widest comparison's 95% interval half-width (in % of the ratio, on the log scale)
 *     ≤ targetCiPercent: stop;
 *  5. otherwise continue.
 * A benchmark with one target only has nothing to compare: its cell's own interval decides
 * (the sequential rule's measure, adaptive.ts), so a lone cell is not held to the cap.
 */
import { controlledIdOf } from '../targets';
import { REFERENCE_PLATFORM, type PlatformId } from '../platforms';
import type { AdaptiveRule, StopDecision } from './adaptive';
import { confidenceInterval } from './descriptive';
import { compareObservations, type Observation } from './paired';

/** Words every reason of this rule starts with (the cell records say how they stopped). */
export const PAIRED_RULE_WORDS = 'paired by round';

/** One comparison the rule settles: `target` against `reference` (target ids). */
export interface RoundPair {
  target: string;
  reference: string;
}

/** What a target of the benchmark is, for choosing the pairs. */
export interface PairedTarget {
  id: string;
  platform: PlatformId;
  control?: boolean;
}

/**
 * The comparisons the results show for these targets: each target against the reference
 * (native when it runs, else the first target that is not a control: the default reference of
 * stats/reference.ts and the target a control twins), and the A/A control against its twin.
 */
export function comparedPairs(targets: readonly PairedTarget[]): RoundPair[] {
  const reference =
    targets.find((t) => t.platform === REFERENCE_PLATFORM && !t.control) ??
    targets.find((t) => !t.control);
  if (!reference) return [];
  const pairs: RoundPair[] = [];
  for (const t of targets) {
    if (t.id === reference.id) continue;
    const twin = t.control ? controlledIdOf(t.id) : null;
    const other = twin !== null && targets.some((x) => x.id === twin) ? twin : reference.id;
    pairs.push({ target: t.id, reference: other });
  }
  return pairs;
}

/** Half-width of a ratio's interval in % of the ratio, on the log scale (Infinity: none yet). */
function ratioHalfWidthPercent(low: number | null, high: number | null): number {
  if (low === null || high === null || !(low > 0)) return Infinity;
  return (Math.sqrt(high / low) - 1) * 100;
}

/** The widest interval among the comparisons (or the lone cells' own), with what it is. */
function widest(
  observations: ReadonlyMap<string, readonly Observation[]>,
  pairs: readonly RoundPair[],
): { percent: number; what: string } {
  let worst = { percent: -Infinity, what: '' };
  const live = pairs.filter((p) => observations.has(p.target) && observations.has(p.reference));
  if (live.length > 0) {
    for (const p of live) {
      const c = compareObservations(
        observations.get(p.target) ?? [],
        observations.get(p.reference) ?? [],
      );
      const percent = c ? ratioHalfWidthPercent(c.low, c.high) : Infinity;
      if (percent > worst.percent) worst = { percent, what: `${p.target} vs ${p.reference}` };
    }
    return worst;
  }
  for (const [id, obs] of observations) {
    const ci = confidenceInterval(obs.map((o) => o.value));
    const percent = ci ? ci.halfWidthPercent : Infinity;
    if (percent > worst.percent) worst = { percent, what: id };
  }
  return worst.percent === -Infinity ? { percent: Infinity, what: 'no value' } : worst;
}

function fmtPercent(p: number): string {
  return Number.isFinite(p) ? `${p.toFixed(1)}%` : 'not yet defined';
}

function fmtNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export interface RoundStopInput {
  /** Each live target's values of the benchmark in the rounds so far, with round and instance. */
  observations: ReadonlyMap<string, readonly Observation[]>;
  /** The comparisons to settle (comparedPairs); a pair whose side has no values is left out. */
  pairs: readonly RoundPair[];
  /** Complete rounds so far. */
  rounds: number;
  /** Measured seconds so far (the least of the benchmark's cells). */
  elapsedSeconds: number;
}

/**
 * Whether a benchmark's rounds stop (see the file comment). `rule`'s min and max count rounds
 * here; the decision holds for every cell of the benchmark at once.
 */
export function decideRoundStop(input: RoundStopInput, rule: AdaptiveRule): StopDecision {
  const { rounds } = input;
  const w = widest(input.observations, input.pairs);
  const ciPercent = Number.isFinite(w.percent) ? w.percent : null;
  const target = `${fmtNumber(rule.targetCiPercent)}%`;
  const ci = `widest interval ±${fmtPercent(w.percent)} (${w.what})`;
  const say = (text: string) => `${PAIRED_RULE_WORDS}: ${text}`;
  if (rounds >= rule.maxRepetitions) {
    const reached = ciPercent !== null && ciPercent <= rule.targetCiPercent;
    return {
      stop: true,
      reason: say(
        `cap of ${rule.maxRepetitions} rounds reached (${ci} ${reached ? '≤' : '>'} ${target})`,
      ),
      ciPercent,
    };
  }
  const values = Math.min(...[...input.observations.values()].map((o) => o.length));
  if (values < rule.minRepetitions)
    return {
      stop: false,
      reason: say(`${values} of at least ${rule.minRepetitions} values per target`),
      ciPercent,
    };
  if (input.elapsedSeconds < rule.minSeconds)
    return {
      stop: false,
      reason: say(
        `${fmtNumber(input.elapsedSeconds)} s of at least ${fmtNumber(rule.minSeconds)} s measured`,
      ),
      ciPercent,
    };
  if (ciPercent !== null && ciPercent <= rule.targetCiPercent)
    return { stop: true, reason: say(`${ci} ≤ ${target} after ${rounds} rounds`), ciPercent };
  return { stop: false, reason: say(`${ci} > ${target} after ${rounds} rounds`), ciPercent };
}
