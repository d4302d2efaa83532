/** The console-input finding on constructed samples (never on live typing). */
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/shared/findings';
import { consoleInput } from '../../src/shared/findings/consoleInput';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats/summary';
import { cellSamples } from './fixtures';

const typed = (bytes: number, firstAtMs: number, lastAtMs = firstAtMs) => ({
  consoleInput: { bytes, writes: bytes, firstAtMs, lastAtMs },
});

function withInput(samples: Sample[], byRep: Record<number, Record<string, unknown>>): Sample[] {
  return samples.map((s) => (byRep[s.rep] ? { ...s, meta: { ...s.meta, ...byRep[s.rep] } } : s));
}

function findingsOf(samples: Sample[]) {
  return computeFindings({ samples, summary: summarize(samples) }).filter((f) =>
    f.id.startsWith('console-input:'),
  );
}

describe('console input during measured repetitions', () => {
  it('names the one affected repetition, its cell and when the keys were typed', () => {
    const samples = [
      ...cellSamples('native', 'linpack', 1_000_000),
      ...withInput(cellSamples('qemu-tcg', 'linpack', 30_000), { 3: typed(2, 1200, 1500) }),
    ];
    const [f, ...rest] = findingsOf(samples);
    expect(rest).toEqual([]);
    expect(f!.title).toBe(
      'LINPACK on QEMU TCG repetition 3 had console input: its time may include it',
    );
    expect(f!.severity).toBe('warn');
    expect(f!.explanation).toMatch(/repetition 3: 2 bytes 1\.2 s–1\.5 s after it started/);
    expect(f!.numbers).toEqual({ 'repetitions with input': '3', 'bytes typed': 2 });
  });

  it('groups the repetitions of one cell and keeps cells apart', () => {
    const samples = [
      ...withInput(cellSamples('docker', 'syscall', 50), { 4: typed(1, 10), 2: typed(3, 0) }),
      ...withInput(cellSamples('native', 'syscall', 45), { 1: typed(1, 5) }),
    ];
    const found = findingsOf(samples);
    expect(found.map((f) => f.id).sort()).toEqual([
      'console-input:docker:syscall',
      'console-input:native:syscall',
    ]);
    const docker = found.find((f) => f.id === 'console-input:docker:syscall')!;
    expect(docker.title).toMatch(
      /repetitions 2 and 4 had console input: their times may include it/,
    );
    expect(docker.numbers['bytes typed']).toBe(4);
  });

  it('says nothing without input, and ignores a malformed record', () => {
    const samples = withInput(cellSamples('native', 'linpack', 1000), {
      1: { consoleInput: { bytes: 'lots' } },
      2: { consoleInput: null },
    });
    expect(consoleInput({ samples, summary: summarize(samples) })).toEqual([]);
  });
});
