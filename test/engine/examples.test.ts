import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { expandTargets } from '../../src/shared/targets';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

describe('examples/', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('has the documented examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'quick-native.json',
        'standard-native.json',
        'quick-docker.json',
        'quick-qemu.json',
        'quick-kvm.json',
        'quick-seed-study.json',
        'disk-formats.json',
      ]),
    );
  });

  it.each(files)('%s is a valid experiment config', (file) => {
    const parsed = parseExperimentConfig(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
    expect(parsed.config.benchmarks.length).toBeGreaterThan(0);
  });

  it('disk-formats.json answers the disk question: four QEMU TCG targets, raw/qcow2 × none/writeback', () => {
    const parsed = parseExperimentConfig(
      JSON.parse(readFileSync(join(EXAMPLES, 'disk-formats.json'), 'utf8')),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const targets = expandTargets(parsed.config);
    expect(targets.ok && targets.targets.map((t) => t.label)).toEqual([
      'QEMU TCG · raw · none',
      'QEMU TCG · raw · writeback',
      'QEMU TCG · qcow2 · none',
      'QEMU TCG · qcow2 · writeback',
    ]);
    expect(parsed.config.profile).toBe('quick');
    expect(parsed.config.benchmarks.map((b) => b.id)).toEqual(['diskwrite', 'memsweep']);
  });
});
