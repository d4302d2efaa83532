import { describe, expect, it } from 'vitest';
import {
  configForFile,
  parseExperimentConfig,
  type ExperimentConfig,
} from '../../src/shared/config';
import { expandTargets, targetConfig, targetOf } from '../../src/shared/targets';
import { MAX_TARGETS } from '../../src/shared/variants';

function parse(input: Record<string, unknown>): ExperimentConfig {
  const r = parseExperimentConfig({ benchmarks: ['diskwrite'], ...input });
  if (!r.ok) throw new Error(r.message);
  return r.config;
}

function targets(input: Record<string, unknown>) {
  const e = expandTargets(parse(input));
  if (!e.ok) throw new Error(e.message);
  return e.targets;
}

describe('variant config', () => {
  it('parses an old one-shape config unchanged: no variants, one target per platform with the platform id', () => {
    const c = parse({
      platforms: ['native', 'docker', 'qemu-tcg'],
      guest: { diskFormat: 'raw', vcpus: 2 },
    });
    expect(c.variants).toBeUndefined();
    expect(c.guest.diskFormat).toBe('raw');
    expect(c.guest.vcpus).toBe(2);
    const t = targets({ platforms: ['native', 'docker', 'qemu-tcg'] });
    expect(t.map((x) => x.id)).toEqual(['native', 'docker', 'qemu-tcg']);
    expect(t.map((x) => x.label)).toEqual(['Native', 'Docker', 'QEMU TCG']);
  });

  it('a list of one value is that value; lists keep their first value as the base shape', () => {
    const c = parse({
      platforms: ['qemu-tcg'],
      guest: { diskFormat: ['raw'], cacheMode: ['writeback', 'none'] },
    });
    expect(c.guest.diskFormat).toBe('raw');
    expect(c.guest.cacheMode).toBe('writeback');
    expect(c.variants).toEqual({ cacheMode: ['writeback', 'none'] });
  });

  it('multiplies each platform only by the fields its traits take', () => {
    const t = targets({
      platforms: ['native', 'docker', 'qemu-tcg'],
      guest: { diskFormat: ['raw', 'qcow2'], vcpus: [1, 2] },
      docker: { diskOn: ['volume', 'layer'] },
    });
    const ids = t.map((x) => x.id);
    // native: once; docker: vcpus × diskOn (not disk format); qemu: diskFormat × vcpus (not diskOn)
    expect(ids).toEqual([
      'native',
      'docker.1cpu.disk-volume',
      'docker.1cpu.disk-layer',
      'docker.2cpu.disk-volume',
      'docker.2cpu.disk-layer',
      'qemu-tcg.raw.1cpu',
      'qemu-tcg.raw.2cpu',
      'qemu-tcg.qcow2.1cpu',
      'qemu-tcg.qcow2.2cpu',
    ]);
    const q = t.find((x) => x.id === 'qemu-tcg.qcow2.2cpu');
    expect(q?.guest.diskFormat).toBe('qcow2');
    expect(q?.guest.vcpus).toBe(2);
    expect(q?.varied).toEqual({ diskFormat: 'qcow2', vcpus: 2 });
    const d = t.find((x) => x.id === 'docker.2cpu.disk-layer');
    expect(d?.docker.diskOn).toBe('layer');
    expect(d?.guest.vcpus).toBe(2);
    expect(d?.label).toBe('Docker · 2 vCPUs · disk on layer');
  });

  it('labels read as the wizard shows them', () => {
    const t = targets({
      platforms: ['qemu-tcg'],
      guest: { diskFormat: ['raw', 'qcow2'], cacheMode: ['none', 'writeback'] },
    });
    expect(t.map((x) => x.label)).toEqual([
      'QEMU TCG · raw · none',
      'QEMU TCG · raw · writeback',
      'QEMU TCG · qcow2 · none',
      'QEMU TCG · qcow2 · writeback',
    ]);
    expect(t.map((x) => x.id)).toContain('qemu-tcg.qcow2.cache-writeback');
    for (const x of t) expect(x.id).toMatch(/^[a-z0-9.-]+$/);
  });

  it('ids are stable: the order of values or of keys in the file does not change a target id', () => {
    const a = targets({
      platforms: ['qemu-tcg'],
      guest: { cacheMode: ['none', 'writeback'], diskFormat: ['raw', 'qcow2'] },
    });
    const b = targets({
      platforms: ['qemu-tcg'],
      guest: { diskFormat: ['qcow2', 'raw'], cacheMode: ['writeback', 'none'] },
    });
    expect(new Set(a.map((x) => x.id))).toEqual(new Set(b.map((x) => x.id)));
    // and a target's shape does not depend on the order either
    const pick = (list: typeof a) =>
      list.find((x) => x.id === 'qemu-tcg.raw.cache-writeback')?.guest;
    expect(pick(a)).toEqual(pick(b));
  });

  it('a field that applies to no chosen platform multiplies nothing', () => {
    const t = targets({ platforms: ['native', 'docker'], guest: { diskFormat: ['raw', 'qcow2'] } });
    expect(t.map((x) => x.id)).toEqual(['native', 'docker']);
  });

  it('refuses more targets than the cap, naming the fields and counts', () => {
    const r = parseExperimentConfig({
      platforms: ['qemu-tcg', 'qemu-kvm'],
      benchmarks: ['diskwrite'],
      guest: {
        diskFormat: ['raw', 'qcow2'],
        cacheMode: ['none', 'writeback', 'unsafe'],
        vcpus: [1, 2],
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain(`too many targets: 24 (at most ${MAX_TARGETS})`);
    expect(r.message).toContain(
      'qemu-tcg: guest.diskFormat (2) × guest.cacheMode (3) × guest.vcpus (2) = 12',
    );
  });

  it('names the field of a bad list: duplicates, empty, too long, a bad value', () => {
    const bad = (guest: Record<string, unknown>): string => {
      const r = parseExperimentConfig({
        platforms: ['qemu-tcg'],
        benchmarks: ['diskwrite'],
        guest,
      });
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.message;
    };
    expect(bad({ diskFormat: ['raw', 'raw'] })).toMatch(/guest\.diskFormat.*listed twice/s);
    expect(bad({ vcpus: [] })).toMatch(/guest\.vcpus/);
    expect(bad({ vcpus: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toMatch(/guest\.vcpus/);
    expect(bad({ cacheMode: ['none', 'fast'] })).toMatch(/guest\.cacheMode/);
    expect(bad({ memoryMiB: [512, 1] })).toMatch(/guest\.memoryMiB/);
  });

  it('a config file round trip keeps the lists', () => {
    const c = parse({
      platforms: ['docker', 'qemu-tcg'],
      guest: { vcpus: [1, 2] },
      docker: { network: ['host', 'bridge'] },
    });
    const file = JSON.parse(JSON.stringify(configForFile(c))) as Record<string, unknown>;
    expect((file.guest as Record<string, unknown>).vcpus).toEqual([1, 2]);
    expect(file.variants).toBeUndefined();
    expect(parse(file)).toEqual(c);
  });

  it('a target config carries only its own shape', () => {
    const c = parse({ platforms: ['qemu-tcg'], guest: { diskFormat: ['raw', 'qcow2'] } });
    const [, qcow] = targets({ platforms: ['qemu-tcg'], guest: { diskFormat: ['raw', 'qcow2'] } });
    const tc = targetConfig(c, qcow!);
    expect(tc.guest.diskFormat).toBe('qcow2');
    expect(tc.variants).toBeUndefined();
  });

  it('an old sample without a target belongs to its platform', () => {
    expect(targetOf({ platform: 'docker' })).toBe('docker');
    expect(targetOf({ platform: 'docker', target: 'docker.2cpu' })).toBe('docker.2cpu');
  });
});
