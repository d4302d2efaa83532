/** The end-of-run lines of `benchvisor run`: one per target × benchmark, never pooling targets. */
import { describe, expect, it } from 'vitest';
import { runSummaryLines } from '../../src/main/cli/runSummary';
import { cellSamples } from './fixtures';
import { targetCell } from './variantFixtures';

describe('benchvisor run summary', () => {
  it('prints one line per target with its label in a variants run', () => {
    const samples = [
      ...targetCell('qemu-tcg', 'qemu-tcg.raw', 'diskwrite', 150, { diskFormat: 'raw' }),
      ...targetCell('qemu-tcg', 'qemu-tcg.qcow2', 'diskwrite', 600, { diskFormat: 'qcow2' }),
    ];
    // Two failures on raw: counted on raw's line only.
    samples[0] = { ...samples[0]!, value: null, error: 'crashed' };
    samples[1] = { ...samples[1]!, value: null, error: 'crashed' };
    const raw = samples.slice(2, 5).map((s) => s.value as number);
    const qcow = samples.slice(5).map((s) => s.value as number);
    const mean = (x: number[]) => (x.reduce((a, b) => a + b, 0) / x.length).toPrecision(5);
    const lines = runSummaryLines(samples).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`  QEMU TCG · raw   diskwrite  mean ${mean(raw)} MB/s (n=3, 2 failed)`);
    expect(lines[1]).toBe(`  QEMU TCG · qcow2 diskwrite  mean ${mean(qcow)} MB/s (n=5)`);
    // Not the pooled mean of both targets.
    expect(lines.join('\n')).not.toContain(mean([...raw, ...qcow]));
  });

  it('prints platform ids exactly as before in a run without variants', () => {
    const native = cellSamples('native', 'linpack', 1000);
    const docker = cellSamples('docker', 'linpack', 980);
    const uni = cellSamples('unikernel-tcg', 'linpack', 50);
    const mean = (x: typeof native) =>
      (x.reduce((a, s) => a + (s.value as number), 0) / x.length).toPrecision(5);
    // The platform column keeps its old width of 9; a longer id overflows it as it always did.
    expect(runSummaryLines([...native, ...docker, ...uni])).toBe(
      [
        `  native    linpack    mean ${mean(native)} KFLOPS (n=5)`,
        `  docker    linpack    mean ${mean(docker)} KFLOPS (n=5)`,
        `  unikernel-tcg linpack    mean ${mean(uni)} KFLOPS (n=5)`,
      ].join('\n'),
    );
  });
});
