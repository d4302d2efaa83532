/** The wizard's expectation draft with targets and a margin ("qcow2 ≥ 10% slower than raw"). */
import { describe, expect, it } from 'vitest';
import { draftToExpectation } from '../../src/renderer/src/wizard/expectationDraft';

const RAW = 'qemu-tcg.raw';
const QCOW = 'qemu-tcg.qcow2';

describe('the wizard draft', () => {
  it('targets and a margin become a valid expectation', () => {
    const d = draftToExpectation({
      kind: 'slower',
      benchmark: 'diskwrite',
      a: QCOW,
      b: RAW,
      withinPercent: 5,
      marginPercent: 10,
      order: [],
    });
    expect(d.ok && d.expectation).toEqual({
      kind: 'slower',
      benchmark: 'diskwrite',
      a: QCOW,
      b: RAW,
      byAtLeastPercent: 10,
    });
    const bad = draftToExpectation({
      kind: 'faster',
      benchmark: 'diskwrite',
      a: 'vmware',
      b: RAW,
      withinPercent: 5,
      marginPercent: null,
      order: [],
    });
    expect(bad.ok ? '' : bad.message).toContain('not a platform or a target');
  });
});
