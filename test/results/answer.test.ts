/** The answer matrix, its plain lines and the emulation finding, on constructed samples. */
import { describe, expect, it } from 'vitest';
import {
  answerLines,
  answerMarkdown,
  answerMatrix,
  ANSWER_WORDS,
  comparisonMatrix,
  expectationWord,
  geometricMean,
} from '../../src/shared/answer';
import {
  computeFindings,
  findingGroup,
  qualityMatters,
  qualitySummary,
  type Finding,
} from '../../src/shared/findings';
import { compareRuns, summarize } from '../../src/shared/stats';
import { cellSamples } from './fixtures';

// LINPACK (KFLOPS, higher is better): TCG 33× slower than native; Docker within noise.
// Fork sum (seconds, lower is better): TCG 3× the time; the unikernel did not run it.
const seed = [
  ...cellSamples('native', 'linpack', 3_300_000, { spread: 0.3 }),
  ...cellSamples('docker', 'linpack', 3_300_000, { spread: 0.3 }),
  ...cellSamples('qemu-tcg', 'linpack', 100_000),
  ...cellSamples('native', 'forksum', 0.1, { spread: 0.3 }),
  ...cellSamples('docker', 'forksum', 0.1, { spread: 0.3 }),
  ...cellSamples('qemu-tcg', 'forksum', 0.3),
  ...cellSamples('unikernel-tcg', 'linpack', 110_000),
];
const skipped = [
  { platform: 'unikernel-tcg' as const, benchmark: 'forksum' as const, reason: 'no fork()' },
];

describe('answerMatrix', () => {
  const m = answerMatrix(summarize(seed), skipped);

  it('has a row per target, a column per benchmark, native as the reference', () => {
    expect(m.referenceTitle).toBe('Native');
    expect(m.benchmarks).toEqual(['linpack', 'forksum']);
    expect(m.rows.map((r) => r.row.key)).toEqual(['native', 'docker', 'qemu-tcg', 'unikernel-tcg']);
    expect(m.rows[0]!.row.isReference).toBe(true);
    expect(m.rows[0]!.cells.map((c) => c.word)).toEqual(['reference', 'reference']);
    expect(m.rows.every((r) => r.row.kind === 'target')).toBe(true);
  });

  it('gives TCG/native LINPACK as "33× slower" with its interval and verdict', () => {
    const tcg = m.rows.find((r) => r.row.key === 'qemu-tcg')!;
    const linpack = tcg.cells[0]!;
    expect(linpack.speed).toBe('33× slower');
    expect(linpack.interval).toMatch(/^\d+–\d+×$/);
    expect(linpack.verdict).toBe('slower');
    expect(linpack.word).toBe('slower');
    // Fork sum: 3× the time.
    expect(tcg.cells[1]!.speed).toBe('3.0× slower');
    // Overall: the geometric mean of 1/33 and 1/3.
    expect(tcg.overall).toBeCloseTo(Math.sqrt((1 / 33) * (1 / 3)), 3);
  });

  it('says "same" for Docker within noise and "not applicable" (with the reason) for a skipped cell', () => {
    const docker = m.rows.find((r) => r.row.key === 'docker')!;
    expect(docker.cells.map((c) => c.word)).toEqual(['same', 'same']);
    const uni = m.rows.find((r) => r.row.key === 'unikernel-tcg')!;
    expect(uni.cells[1]).toMatchObject({ verdict: 'not-applicable', reason: 'no fork()' });
    expect(uni.overallCount).toBe(1);
  });

  it('says "cannot tell yet" for an undecided cell, never "inconclusive"', () => {
    const noisy = [
      ...cellSamples('native', 'syscall', 100, { n: 3 }),
      ...cellSamples('docker', 'syscall', 103, { n: 3, spread: 8 }),
    ];
    const cell = answerMatrix(summarize(noisy)).rows[1]!.cells[0]!;
    expect(cell.verdict).toBe('inconclusive');
    expect(cell.word).toBe('cannot tell yet');
    expect(Object.values(ANSWER_WORDS)).not.toContain('inconclusive');
  });
});

describe('answerLines: one plain line per platform', () => {
  const lines = answerLines(answerMatrix(summarize(seed), skipped));
  it('names the biggest effect with its interval and mechanism', () => {
    const tcg = lines.find((l) => l.key === 'qemu-tcg')!;
    expect(tcg.text).toMatch(
      /^QEMU TCG ran LINPACK 33× slower than Native \(\d+–\d+×\): every guest instruction is translated by QEMU's TCG/,
    );
    const docker = lines.find((l) => l.key === 'docker')!;
    expect(docker.text).toMatch(
      /^Docker ran .* at the same speed as Native .*shares the host kernel/,
    );
    expect(lines.some((l) => l.key === 'native')).toBe(false);
  });
  it('says what would settle an undecided comparison', () => {
    const noisy = [
      ...cellSamples('native', 'syscall', 100, { n: 3 }),
      ...cellSamples('docker', 'syscall', 103, { n: 3, spread: 8 }),
    ];
    const [line] = answerLines(answerMatrix(summarize(noisy)));
    expect(line!.text).toMatch(/cannot tell yet.*more repetitions? per side would settle it/);
  });
  it('copies as a Markdown table with the same words', () => {
    const md = answerMarkdown(answerMatrix(summarize(seed), skipped), ['a line']);
    expect(md).toContain('| Target | LINPACK | Fork sum | Overall (geo. mean) |');
    expect(md).toMatch(/\| QEMU TCG \| 33× slower \(\d+–\d+×\); slower \| 3\.0× slower/);
    expect(md).toContain('not applicable');
    expect(md).toContain('- a line');
  });
});

describe('comparisonMatrix: run against run in the same words', () => {
  it('rows are targets, cells the candidate relative to the baseline', () => {
    const base = summarize(cellSamples('native', 'linpack', 1000));
    const cand = summarize(cellSamples('native', 'linpack', 500));
    const m = comparisonMatrix(compareRuns(base, cand), 'baseline');
    expect(m.referenceTitle).toBe('baseline');
    expect(m.rows[0]!.cells[0]).toMatchObject({ speed: '2.0× slower', word: 'slower' });
  });
});

describe('the emulation finding', () => {
  const findings = computeFindings({ samples: seed, summary: summarize(seed) });
  it('names TCG and binary translation with the LINPACK slowdown', () => {
    const f = findings.find((x) => x.id === 'emulation-cost:qemu-tcg')!;
    expect(f.title).toMatch(
      /^QEMU \(emulated, TCG\) ran LINPACK 33× slower than native \(\d+–\d+×\)/,
    );
    expect(f.title).toContain('TCG (binary translation)');
    expect(f.explanation).toContain('Tiny Code Generator');
    expect(f.numbers['LINPACK speed vs native']).toBeCloseTo(1 / 33, 3);
    expect(findingGroup(f)).toBe('why');
    // The unikernel under TCG pays it too.
    expect(findings.some((x) => x.id === 'emulation-cost:unikernel-tcg')).toBe(true);
  });
  it('does not fire for Docker or when TCG is not slower', () => {
    expect(findings.some((x) => x.id === 'emulation-cost:docker')).toBe(false);
    const close = [
      ...cellSamples('native', 'linpack', 1000),
      ...cellSamples('qemu-tcg', 'linpack', 1000),
    ];
    const none = computeFindings({ samples: close, summary: summarize(close) });
    expect(none.some((x) => x.id.startsWith('emulation-cost:'))).toBe(false);
  });
});

describe('measurement quality folded into one line', () => {
  const f = (id: string, title: string, severity: Finding['severity'] = 'warn'): Finding => ({
    id,
    severity,
    kind: 'diagnostic',
    title,
    explanation: '',
    numbers: {},
  });
  it('summarises host load, noise and warm-ups per rule', () => {
    const fs = [
      f('other-load:native', 'Other processes used 114% of a CPU'),
      f('other-load:docker', 'Other processes used 110% of a CPU'),
      f('high-cv:native:forksum', 'CV 14% on Fork sum'),
      f('kvm-inactive:qemu-kvm', 'The KVM guest was not accelerated', 'problem'),
    ];
    expect(fs.map(findingGroup)).toEqual(['quality', 'quality', 'quality', 'why']);
    expect(qualitySummary(fs)).toBe(
      'Measurement quality: Other processes used 114% of a CPU (and 1 more like it); CV 14% on Fork sum',
    );
    expect(qualitySummary([])).toMatch(/no host load, noise or warm-up effect detected/);
    expect(qualityMatters(fs, 0)).toBe(false);
    expect(qualityMatters(fs, 2)).toBe(true);
    expect(qualityMatters([f('cpu-steal', 'Steal', 'problem')], 0)).toBe(true);
  });
});

describe('verdict and expectation words', () => {
  it('are held / not held / cannot tell yet', () => {
    expect(expectationWord(true)).toBe('held');
    expect(expectationWord(false)).toBe('not held');
    expect(expectationWord(undefined)).toBe('cannot tell yet');
    expect(ANSWER_WORDS.inconclusive).toBe('cannot tell yet');
    expect(ANSWER_WORDS.same).toBe('same');
  });
  it('geometric mean ignores non-positive values', () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 9);
    expect(geometricMean([0, -1])).toBeNull();
  });
});
