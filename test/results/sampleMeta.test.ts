import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HostCpuSplit } from '../../src/shared/host/procStat';
import { SampleSchema } from '../../src/shared/sample';
import {
  SAMPLE_META,
  SAMPLE_META_GROUPS,
  isMetaKey,
  metaOf,
  metaProblems,
  unregisteredKeys,
  type SampleMetaValue,
} from '../../src/shared/sampleMeta/registry';
import { expandTargets, targetShape } from '../../src/shared/targets';
import { VARIANT_FIELDS } from '../../src/shared/variants';
import { parseExperimentConfig } from '../../src/shared/config';
import { sampleOrderOf } from '../../src/shared/runDesign';
import { hostCpuMeta } from '../support/hostCpuMeta';

describe('sample meta registry', () => {
  it('registers each key once, with a one-line description and its writers', () => {
    const grouped = Object.values(SAMPLE_META_GROUPS).flatMap((g) => Object.keys(g));
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(Object.keys(SAMPLE_META).sort()).toEqual([...grouped].sort());
    for (const [key, def] of Object.entries(SAMPLE_META)) {
      expect(def.about, key).toMatch(/^\S.*\S$/);
      expect(def.about, key).not.toContain('\n');
      expect(def.writers.length, key).toBeGreaterThan(0);
    }
  });

  it('registers every variant field (targets record their shape under the field names)', () => {
    for (const { field } of VARIANT_FIELDS) expect(isMetaKey(field), field).toBe(true);
  });

  it('reads a registered key only when it has the registered shape', () => {
    const meta = { vcpus: 2, kvmEnabled: 'yes', hostCpu: { seconds: 1 }, accel: 'kvm' };
    expect(metaOf(meta, 'vcpus')).toBe(2);
    expect(metaOf(meta, 'accel')).toBe('kvm');
    expect(metaOf(meta, 'kvmEnabled')).toBeUndefined();
    expect(metaOf(meta, 'hostCpu')).toBeUndefined();
    expect(metaOf(meta, 'memoryMiB')).toBeUndefined();
    expect(metaProblems(meta).map((p) => p.split(':')[0])).toEqual(['kvmEnabled', 'hostCpu']);
    expectTypeOf(metaOf(meta, 'vcpus')).toEqualTypeOf<number | null | undefined>();
  });

  it("loads an old bundle's sample with keys no one registers, keeps them, and types only the registered", () => {
    const parsed = SampleSchema.parse({
      runId: 'r',
      platform: 'qemu-tcg',
      benchmark: 'linpack',
      rep: 1,
      metric: 'kflops',
      value: 1,
      unit: 'KFLOPS',
      metrics: { kflops: 1 },
      startedAt: '2024-01-01T00:00:00Z',
      durationMs: 1,
      exitCode: 0,
      meta: { legacyBootNote: 'from 0.1', vcpus: 'two', round: 3, order: 'interleaved' },
    });
    expect(parsed.meta.legacyBootNote).toBe('from 0.1');
    expect(unregisteredKeys(parsed.meta)).toEqual(['legacyBootNote']);
    expect(metaOf(parsed.meta, 'vcpus')).toBeUndefined();
    expect(sampleOrderOf(parsed)).toEqual({ round: 3, order: 'interleaved' });
  });

  it("the engine's target shape is written in registered keys and shapes", () => {
    const parsed = parseExperimentConfig({
      platforms: ['native', 'qemu-kvm', 'docker'],
      benchmarks: ['linpack'],
      guest: { diskFormat: ['raw', 'qcow2'] },
      docker: { network: ['bridge', 'host'] },
      repetitions: { control: true },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const expansion = expandTargets(parsed.config);
    if (!expansion.ok) throw new Error(expansion.message);
    const { targets } = expansion;
    expect(targets.length).toBeGreaterThan(4);
    for (const t of targets) {
      const shape = targetShape(t);
      expect(unregisteredKeys(shape), t.id).toEqual([]);
      expect(metaProblems(shape), t.id).toEqual([]);
    }
  });

  it("the host's CPU split has one shape for the sampler and the registry", () => {
    const split = hostCpuMeta({
      othersCpuPercent: 3,
      topOthers: [{ pid: 1, comm: 'init', cpuPercent: 3 }],
    });
    expect(metaOf({ hostCpu: split }, 'hostCpu')).toEqual(split);
    expectTypeOf<Exclude<SampleMetaValue<'hostCpu'>, 'unknown'>>().toEqualTypeOf<HostCpuSplit>();
    expect(metaOf({ hostCpu: 'unknown' }, 'hostCpu')).toBe('unknown');
  });
});
