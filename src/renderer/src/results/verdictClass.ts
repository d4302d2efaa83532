import type { Verdict } from '../../../shared/stats';

/** Badge class per verdict (the colours of the findings' badges). */
export const VERDICT_CLASS: Record<Verdict, string> = {
  faster: 'ok',
  slower: 'bad',
  same: 'muted',
  inconclusive: 'warn',
  'too-few': 'muted',
};
