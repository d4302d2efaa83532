/**
 * The compare page's caveat and its Markdown, on constructed runs: when either run recorded load
 * from other processes (or steal) during its repetitions, the comparison says so and names which
 * run; when neither did, no caveat. "Copy as Markdown" of the comparison names baseline and
 * candidate in its heading and carries the matrix's words.
 */
import { describe, expect, it } from 'vitest';
import {
  answerMarkdown,
  comparisonLines,
  comparisonMatrix,
  hostLoadCaveat,
} from '../../src/shared/answer';
import { computeFindings } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { compareRuns, summarize } from '../../src/shared/stats';
import { hostCpuMeta } from '../support/hostCpuMeta';
import { cellSamples } from './fixtures';

function withOthers(samples: Sample[], othersCpuPercent: number): Sample[] {
  const cpu = hostCpuMeta({ othersCpuPercent });
  return samples.map((s) => ({ ...s, meta: { ...s.meta, hostCpu: cpu } }));
}

const run = (runId: string, forksumSeconds: number, others: number): Sample[] =>
  withOthers(
    [
      ...cellSamples('native', 'forksum', forksumSeconds, { runId }),
      ...cellSamples('docker', 'forksum', forksumSeconds * 1.1, { runId }),
    ],
    others,
  );

const findingsOf = (samples: Sample[]) =>
  computeFindings({ samples, summary: summarize(samples), environment: {} });

describe('the host-load caveat of a comparison', () => {
  it('names the run that recorded load, or both', () => {
    const quiet = findingsOf(run('a', 0.1, 2));
    const loaded = findingsOf(run('b', 0.16, 114));
    expect(hostLoadCaveat(quiet, quiet)).toBeNull();
    expect(hostLoadCaveat(loaded, quiet)).toMatch(
      /^The baseline recorded load from other processes/,
    );
    expect(hostLoadCaveat(quiet, loaded)).toMatch(/^The candidate recorded load/);
    const both = hostLoadCaveat(loaded, loaded)!;
    expect(both).toMatch(/^Both runs recorded load/);
    expect(both).toContain('114% of a CPU');
    expect(both).toMatch(/may be the host.s doing rather than the change.s/);
  });
});

describe('Copy as Markdown of a comparison', () => {
  it('names baseline and candidate and keeps the words of the matrix', () => {
    const base = summarize(run('a', 0.1, 0));
    const cand = summarize(run('b', 0.16, 0));
    const m = comparisonMatrix(compareRuns(base, cand), 'the baseline');
    const md = answerMarkdown(
      m,
      comparisonLines(m).map((l) => l.text),
      'Candidate "after" relative to baseline "before"',
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      'Candidate "after" relative to baseline "before" (95% interval; verdict)',
    );
    expect(lines[2]).toBe('| Target | Fork sum | Overall (geo. mean) |');
    expect(md).toMatch(/\| Native \| 0\.6\d× — 60\.0% more time.*; slower \|/);
    expect(md).toMatch(/^- Native ran Fork sum .* in the candidate/m);
  });
});
