/** Words for a run comparison's verdicts, shared by the UI table and `benchvisor compare`. */
import type { ComparisonVerdict } from './compareRuns';

export const VERDICT_TEXT: Record<ComparisonVerdict, string> = {
  faster: 'better',
  slower: 'worse',
  same: 'same within noise',
  unknown: 'too few repetitions',
};
