import { describe, expect, it } from 'vitest';
import { decideStop } from '../../src/shared/stats';
import type { AdaptiveRule } from '../../src/shared/stats';

const rule: AdaptiveRule = {
  minRepetitions: 3,
  maxRepetitions: 6,
  targetCiPercent: 5,
  minSeconds: 2,
};
/** CI half-width of [10,12,11,13,9] is ±1.963 = 17.8% of 11. */
const noisy = [10, 12, 11, 13, 9];
/** CI half-width of [100,101,99] is ±2.48 = 2.5% of 100. */
const tight = [100, 101, 99];

describe('decideStop', () => {
  it.each<[string, number[], number, AdaptiveRule, boolean, RegExp]>([
    ['below the minimum count', [100, 100], 10, rule, false, /2 of at least 3 repetitions/],
    ['no values yet', [], 10, rule, false, /0 of at least 3/],
    ['tight CI but before minSeconds', tight, 1.5, rule, false, /1\.5 s of at least 2 s/],
    ['tight CI after minSeconds', tight, 2, rule, true, /CI ±2\.5% ≤ 5% after 3 repetitions/],
    ['wide CI after the minimum', noisy, 10, rule, false, /CI ±17\.8% > 5% after 5 repetitions/],
    [
      'wide CI at the cap',
      [...noisy, 11],
      10,
      rule,
      true,
      /cap of 6 repetitions reached \(CI ±\d+\.\d% > 5%\)/,
    ],
    ['cap wins over minSeconds', [...noisy, 11], 0, rule, true, /cap of 6/],
    [
      'cap equal to minimum',
      [1, 2],
      0,
      { ...rule, minRepetitions: 2, maxRepetitions: 2 },
      true,
      /cap of 2/,
    ],
    ['identical values: CI 0', [7, 7, 7], 5, rule, true, /CI ±0\.0% ≤ 5%/],
    ['target exactly met (boundary ≤)', tight, 5, { ...rule, targetCiPercent: 2.4842 }, true, /≤/],
    ['target just missed', tight, 5, { ...rule, targetCiPercent: 2.484 }, false, />/],
  ])('%s', (_name, values, elapsed, r, stop, reason) => {
    const d = decideStop(values, elapsed, r);
    expect(d.stop).toBe(stop);
    expect(d.reason).toMatch(reason);
  });

  it('reports the CI percentage it decided on', () => {
    expect(decideStop(tight, 5, rule).ciPercent).toBeCloseTo(2.4841, 3);
    expect(decideStop([1], 5, rule).ciPercent).toBeNull();
  });
});
