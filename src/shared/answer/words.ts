/**
 * The verdict words of the answer: one word per verdict, the same on the results page, the compare
 * page, the CLI and the reports, and the expectation words (held / not held / cannot tell yet).
 * "Cannot tell yet" replaces "inconclusive" and a "not held" the data cannot decide: an
 * expectation is only "not held" when the data contradict it.
 */
import type { Verdict } from '../stats/verdict';
import { VERDICT_WORDS, verdictText } from '../stats/verdict';

/** A matrix cell's verdict: a statistical verdict, or why there is none. */
export type AnswerVerdict = Verdict | 'reference' | 'not-applicable' | 'missing';

export const ANSWER_WORDS: Record<AnswerVerdict, string> = {
  faster: 'faster',
  slower: 'slower',
  same: 'same',
  inconclusive: VERDICT_WORDS.inconclusive,
  'too-few': 'too few repetitions',
  reference: 'reference',
  'not-applicable': 'not applicable',
  missing: 'no data',
};

export function answerWord(v: AnswerVerdict): string {
  return ANSWER_WORDS[v];
}

/**
 * What would settle an undecided comparison: "about 12 more repetitions per side would settle
 * it" (verdictText's words, with its unit for paired or instance-level comparisons).
 */
export function settleText(moreRepetitions: number | null, moreUnit?: string): string {
  if (moreRepetitions === null) return 'more repetitions would settle it';
  const full = verdictText({
    verdict: 'inconclusive',
    moreRepetitions,
    ...(moreUnit !== undefined ? { moreUnit } : {}),
  });
  return full.slice(full.indexOf(': ') + 2);
}

/** The words for an expectation checked against the data. */
export const EXPECTATION_WORDS = {
  held: 'held',
  notHeld: 'not held',
  cannotTell: 'cannot tell yet',
} as const;

/** held: true → "held", false → "not held", undefined → "cannot tell yet". */
export function expectationWord(held: boolean | undefined): string {
  if (held === undefined) return EXPECTATION_WORDS.cannotTell;
  return held ? EXPECTATION_WORDS.held : EXPECTATION_WORDS.notHeld;
}
