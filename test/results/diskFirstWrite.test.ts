/**
 * The disk benchmark's first-write choice on constructed samples: the switch becomes --no-fill
 * (and nothing when off), the answer line says what was timed, and the qcow2 / preallocation
 * findings speak of allocation in the timed part only when the first write was timed.
 */
import { describe, expect, it } from 'vitest';
import {
  answerLines,
  answerMatrix,
  TIMED_FIRST_WRITE,
  TIMED_OVERWRITE,
  timedNotes,
} from '../../src/shared/answer';
import { paramsSchema, resolveParams } from '../../src/shared/catalogue';
import { computeFindings } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { defaultReference, summarize } from '../../src/shared/stats';
import { BINARY_SPECS, buildArgs } from '../../src/main/benchmarks/binary';
import type { PlatformSession } from '../../src/main/session/types';
import { cellSamples } from './fixtures';

const session = { diskTarget: '/dev/vdb' } as unknown as PlatformSession;

describe('the first-write switch', () => {
  it('is --no-fill when on, nothing when off or absent, refused otherwise', () => {
    const base = { sizeMiB: 16, blockKiB: 256 };
    const fill = ['--file', '/dev/vdb', '--size-mib', '16', '--block-kib', '256'];
    expect(buildArgs(BINARY_SPECS.diskwrite, base, session)).toEqual({ args: fill });
    expect(buildArgs(BINARY_SPECS.diskwrite, { ...base, firstWrite: 0 }, session)).toEqual({
      args: fill,
    });
    expect(buildArgs(BINARY_SPECS.diskwrite, { ...base, firstWrite: 1 }, session)).toEqual({
      args: [...fill, '--no-fill'],
    });
    expect(buildArgs(BINARY_SPECS.diskwrite, { ...base, firstWrite: 2 }, session)).toEqual({
      error: 'diskwrite: parameter "firstWrite" is a switch (0 or 1)',
    });
    expect(resolveParams('diskwrite', 'quick').firstWrite).toBe(0);
    expect(paramsSchema('diskwrite').safeParse({ firstWrite: 1 }).success).toBe(true);
    expect(paramsSchema('diskwrite').safeParse({ firstWrite: 2 }).success).toBe(false);
  });
});

/** raw vs qcow2 disk writes, qcow2 30% slower; `firstWrite` as the run's switch. */
function formats(firstWrite: 0 | 1): Sample[] {
  const meta = (diskFormat: string) => ({
    targetLabel: `QEMU TCG · ${diskFormat}`,
    diskFormat,
    preallocation: 'off',
    params: { sizeMiB: 16, blockKiB: 256, firstWrite },
  });
  const cell = (target: string, value: number, format: string) =>
    cellSamples('qemu-tcg', 'diskwrite', value, { spread: 0.2, meta: meta(format) }).map(
      (s): Sample => ({ ...s, target }),
    );
  return [...cell('qemu-tcg.raw', 100, 'raw'), ...cell('qemu-tcg.qcow2', 70, 'qcow2')];
}

const formatFinding = (samples: Sample[]) =>
  computeFindings({ samples, summary: summarize(samples), environment: {} }).find((f) =>
    f.id.startsWith('variant-diskFormat:'),
  )!;

/** The answer lines of a run, against its default reference (raw, its first target). */
function linesOf(samples: Sample[]) {
  const reference = defaultReference(samples);
  const summary = summarize(samples, reference ? { reference } : {});
  return answerLines(answerMatrix(summary, []), timedNotes(samples));
}

describe('what the disk answer says was timed', () => {
  it('the overwrite after an untimed fill: no talk of allocation in the timed part', () => {
    const samples = formats(0);
    expect(timedNotes(samples)).toEqual({ diskwrite: TIMED_OVERWRITE });
    const line = linesOf(samples)[0]!;
    expect(line.text).toMatch(/Disk write .*\(timed: the overwrite after an untimed fill/);
    const f = formatFinding(samples);
    expect(f.explanation).toContain('fills its target once, untimed');
    expect(f.explanation).toContain('“Time the first write” on');
    expect(f.explanation).not.toMatch(/cost is qcow2’s allocation/);
  });

  it('the first write: allocation named as part of the cost', () => {
    const samples = formats(1);
    expect(timedNotes(samples)).toEqual({ diskwrite: TIMED_FIRST_WRITE });
    const line = linesOf(samples)[0]!;
    expect(line.text).toContain('(timed: the first write to the target, allocation included)');
    const f = formatFinding(samples);
    expect(f.explanation).toMatch(/cost is qcow2’s allocation on first write/);
    expect(f.explanation).toContain('ran without its untimed fill');
    expect(f.explanation).not.toContain('fills its target once, untimed');
  });

  it('says nothing for benchmarks that do not write to the disk', () => {
    expect(timedNotes(cellSamples('native', 'linpack', 1000))).toEqual({});
  });
});
