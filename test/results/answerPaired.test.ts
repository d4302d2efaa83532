/**
 * "Cannot tell yet" in the answer matrix says what would settle it in the unit the comparison
 * counts: rounds for an interleaved (paired) run, repetitions per side for a pooled one. On
 * constructed samples: the same values, once with round numbers and once without.
 */
import { describe, expect, it } from 'vitest';
import { answerLines, answerMatrix, settleText } from '../../src/shared/answer';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

/** Each repetition its own round of an interleaved run (one instance). */
const inRounds = (samples: Sample[]): Sample[] =>
  samples.map((s, i) => ({
    ...s,
    meta: { ...s.meta, order: 'interleaved', seed: 1, round: i + 1, instance: 1 },
  }));

// Docker within a few percent of native, too noisy for 4 repetitions to decide.
const native = cellSamples('native', 'linpack', 1000, { n: 4, spread: 3 });
const docker = cellSamples('docker', 'linpack', 1030, { n: 4, spread: -3 });

function dockerCell(samples: Sample[]) {
  const m = answerMatrix(summarize(samples), []);
  return { m, cell: m.rows.find((r) => r.row.key === 'docker')!.cells[0]! };
}

describe('what would settle an undecided cell', () => {
  it('counts rounds for an interleaved run', () => {
    const { m, cell } = dockerCell([...inRounds(native), ...inRounds(docker)]);
    expect(cell.verdict).toBe('inconclusive');
    expect(cell.moreUnit).toBe('round');
    expect(settleText(cell.moreRepetitions, cell.moreUnit)).toMatch(
      /^about \d+ more rounds would settle it$/,
    );
    const line = answerLines(m).find((l) => l.text.includes('cannot tell yet'));
    expect(line?.text).toMatch(/about \d+ more rounds would settle it/);
    expect(line?.text).not.toMatch(/per side/);
  });

  it('counts repetitions per side for a pooled run', () => {
    const { cell } = dockerCell([...native, ...docker]);
    expect(cell.verdict).toBe('inconclusive');
    expect(cell.moreUnit).toBeUndefined();
    expect(settleText(cell.moreRepetitions, cell.moreUnit)).toMatch(
      /^about \d+ more repetitions per side would settle it$/,
    );
  });
});
