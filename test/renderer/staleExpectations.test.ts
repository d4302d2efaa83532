/** Expectations the wizard's experiment cannot check are named with the reason (review step). */
import { describe, expect, it } from 'vitest';
import { uncheckableReason } from '../../src/renderer/src/wizard/expectationDraft';

const run = {
  targets: ['native', 'qemu-tcg.raw', 'qemu-tcg.qcow2'],
  platforms: ['native', 'qemu-tcg'] as const,
  benchmarks: ['linpack', 'diskwrite'] as const,
};

describe('expectations this experiment cannot check', () => {
  it('accepts targets and platforms of the run on a selected benchmark', () => {
    expect(
      uncheckableReason(
        { kind: 'approx', benchmark: 'linpack', a: 'native', b: 'qemu-tcg.raw', withinPercent: 5 },
        run,
      ),
    ).toBeNull();
    expect(
      uncheckableReason(
        { kind: 'faster', benchmark: 'diskwrite', a: 'qemu-tcg', b: 'native' },
        run,
      ),
    ).toBeNull();
  });

  it('names a platform that left the run and a benchmark no longer selected', () => {
    expect(
      uncheckableReason(
        { kind: 'approx', benchmark: 'forksum', a: 'native', b: 'docker', withinPercent: 5 },
        run,
      ),
    ).toBe('Docker is not in this run; Fork sum is not selected');
    expect(
      uncheckableReason(
        { kind: 'ranking', benchmark: 'linpack', order: ['native', 'qemu-tcg.vmdk'] },
        run,
      ),
    ).toBe('qemu-tcg.vmdk is not in this run');
  });
});
