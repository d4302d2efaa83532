/**
 * The A/A control finding on constructed samples (issue 19): the twin of the reference that
 * comes out faster or slower makes a problem finding with the size of the false effect, shown
 * before every other finding; a twin within the noise is an information finding; the comparison
 * says whether it was paired by round.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings, CONTROL_FINDING_PREFIX } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { valueSamples } from './fixtures';

/** Samples of one target in interleaved rounds (round i + 1, instance 1). */
function inRounds(target: string, values: number[]): Sample[] {
  return valueSamples('native', 'syscall', values).map((s, i) => ({
    ...s,
    target,
    meta: { order: 'interleaved', round: i + 1, position: 1, instance: 1, target },
  }));
}

function findingsOf(samples: Sample[]) {
  return computeFindings({ samples, summary: summarize(samples) });
}

// The host drifts by 1% per round; both targets see it.
const drift = [100, 101, 102, 103, 104, 105, 106, 107];

describe('A/A control finding', () => {
  it('a twin 10% slower in every round: a problem, first, with the false effect', () => {
    const f = findingsOf([
      ...inRounds('native', drift),
      ...inRounds(
        'native.control',
        drift.map((v) => v * 1.1),
      ),
    ]);
    expect(f[0]!.id).toBe(`${CONTROL_FINDING_PREFIX}syscall`);
    expect(f[0]!.severity).toBe('problem');
    expect(f[0]!.title).toMatch(/cannot be trusted on this host right now/);
    expect(f[0]!.explanation).toMatch(/false effect of 10\.0% more time for the same work/);
    expect(f[0]!.explanation).toMatch(/paired by round/);
    expect(f[0]!.numbers.verdict).toBe('slower');
  });

  it('a twin within the noise: information, still first', () => {
    const jitter = [1.001, 0.999, 1.0005, 0.9995, 1.001, 0.999, 1, 1];
    const f = findingsOf([
      ...inRounds('native', drift),
      ...inRounds(
        'native.control',
        drift.map((v, i) => v * jitter[i]!),
      ),
    ]);
    expect(f[0]!.id).toBe(`${CONTROL_FINDING_PREFIX}syscall`);
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.numbers.verdict).toBe('same');
    expect(f[0]!.numbers.comparison).toBe('paired by round');
  });

  it('no control target: no control finding', () => {
    const f = findingsOf(inRounds('native', drift));
    expect(f.some((x) => x.id.startsWith(CONTROL_FINDING_PREFIX))).toBe(false);
  });
});
