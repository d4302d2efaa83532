/**
 * The review's time estimate counts every target: each is started (boot, container) and
 * measured in turn, so two disk formats cost two start-ups and twice the repetitions.
 */
import { describe, expect, it } from 'vitest';
import { estimateSeconds } from '../../src/main/engine/estimate';
import { parseExperimentConfig, type ExperimentConfigInput } from '../../src/shared/config';
import { PLATFORM_INFO } from '../../src/shared/platforms';

function config(input: ExperimentConfigInput) {
  const parsed = parseExperimentConfig(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('estimate over targets', () => {
  const base: ExperimentConfigInput = {
    platforms: ['native', 'qemu-tcg'],
    benchmarks: ['diskwrite', 'memsweep'],
    repetitions: { count: 3, warmup: 1 },
  };

  it('a VM compared over two disk formats costs two start-ups and twice its repetitions', () => {
    const one = estimateSeconds(config(base));
    const two = estimateSeconds(config({ ...base, guest: { diskFormat: ['raw', 'qcow2'] } }));
    const nativeOnly = estimateSeconds(config({ ...base, platforms: ['native'] }));
    const tcgOnce = one.seconds - nativeOnly.seconds;
    expect(tcgOnce).toBeGreaterThan(PLATFORM_INFO['qemu-tcg'].startupSeconds);
    // native runs once whatever the disk format; the TCG guest twice.
    expect(two.seconds).toBeCloseTo(nativeOnly.seconds + 2 * tcgOnce, 0);
    expect(one.repetitions).toBe(2 * 2 * 4);
    expect(two.repetitions).toBe(3 * 2 * 4);
  });

  it('a field that does not apply to a platform adds nothing (Docker takes no disk format)', () => {
    const docker = { ...base, platforms: ['docker' as const] };
    expect(estimateSeconds(config({ ...docker, guest: { diskFormat: ['raw', 'qcow2'] } }))).toEqual(
      estimateSeconds(config(docker)),
    );
    const twoCpus = estimateSeconds(config({ ...docker, guest: { vcpus: [1, 2] } }));
    expect(twoCpus.repetitions).toBe(2 * estimateSeconds(config(docker)).repetitions);
  });
});
