import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import { PRESETS } from '../../src/shared/presets';
import { expandTargets } from '../../src/shared/targets';

describe('built-in presets', () => {
  it('are the seed study, native vs Docker, raw vs qcow2 and the unikernel', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'seed-study',
      'native-docker',
      'raw-qcow2',
      'unikernel',
    ]);
  });
  it.each(PRESETS.map((p) => [p.id, p] as const))('%s is a valid experiment', (_id, p) => {
    const parsed = parseExperimentConfig(p.config);
    if (!parsed.ok) throw new Error(`${p.id}: ${parsed.message}`);
    expect(parsed.config.name).toBe(p.config.name);
    expect(expandTargets(parsed.config).ok).toBe(true);
  });
  it('raw vs qcow2 gives two QEMU TCG targets', () => {
    const p = PRESETS.find((x) => x.id === 'raw-qcow2')!;
    const parsed = parseExperimentConfig(p.config);
    if (!parsed.ok) throw new Error(parsed.message);
    const t = expandTargets(parsed.config);
    expect(t.ok && t.targets.map((x) => x.label)).toEqual(['QEMU TCG · raw', 'QEMU TCG · qcow2']);
  });
});
