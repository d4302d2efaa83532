/**
 * The wizard's "compare several values" draft → config: which values a field offers (from the
 * schema), ticking and unticking, the sections written, the live target count and the
 * refusal above the cap (the engine's own message). Pure functions, no DOM.
 */
import { describe, expect, it } from 'vitest';
import type { BenchvisorApi } from '../../src/shared/api';
import {
  DEFAULT_DOCKER,
  DEFAULT_GUEST,
  parseExperimentConfig,
  CacheMode,
  DiskFormat,
} from '../../src/shared/config';
import { expandTargets } from '../../src/shared/targets';
import { MAX_TARGETS, MAX_VALUES_PER_FIELD, VARIANT_FIELDS } from '../../src/shared/variants';
import { createWizardStore } from '../../src/renderer/src/stores/wizardStore';
import {
  configSections,
  draftTargets,
  fieldChoices,
  fieldUsed,
  setComparing,
  toggleValue,
  valueProblem,
  variantsOf,
  type ShapeDraft,
} from '../../src/renderer/src/wizard/variantDraft';

const base = (): ShapeDraft => ({
  guest: { ...DEFAULT_GUEST },
  docker: { ...DEFAULT_DOCKER },
  compare: {},
});

describe('variant draft: the values a field offers', () => {
  it('reads names and number ranges from the schema for every variant field', () => {
    expect(fieldChoices('diskFormat')).toEqual({ kind: 'enum', values: DiskFormat.options });
    expect(fieldChoices('cacheMode')).toEqual({ kind: 'enum', values: CacheMode.options });
    expect(fieldChoices('network')).toMatchObject({ kind: 'enum', values: ['host', 'bridge'] });
    expect(fieldChoices('vcpus')).toEqual({ kind: 'number', min: 1, max: 64, integer: true });
    expect(fieldChoices('memoryMiB')).toMatchObject({ kind: 'number', min: 64 });
    // Every field the engine can vary has choices the wizard can show.
    for (const { field } of VARIANT_FIELDS) expect(() => fieldChoices(field)).not.toThrow();
  });

  it('checks a typed value with the schema', () => {
    expect(valueProblem('vcpus', 2)).toBeNull();
    expect(valueProblem('vcpus', 0)).not.toBeNull();
    expect(valueProblem('vcpus', 1.5)).not.toBeNull();
    expect(valueProblem('diskFormat', 'vmdk')).not.toBeNull();
  });
});

describe('variant draft: ticking values', () => {
  it('starts from the current value, adds in the natural order, the first is the shape', () => {
    let d = setComparing(base(), 'diskFormat', true);
    expect(d.compare.diskFormat).toEqual(['qcow2']);
    d = toggleValue(d, 'diskFormat', 'raw', true);
    expect(d.compare.diskFormat).toEqual(['raw', 'qcow2']);
    expect(d.guest.diskFormat).toBe('raw');
    // Numbers ascend.
    d = setComparing(d, 'vcpus', true);
    d = toggleValue(d, 'vcpus', 4, true);
    d = toggleValue(d, 'vcpus', 2, true);
    expect(d.compare.vcpus).toEqual([1, 2, 4]);
  });

  it('keeps the last value, refuses bad values and more than the per-field limit', () => {
    let d = setComparing(base(), 'cacheMode', true);
    expect(toggleValue(d, 'cacheMode', 'none', false)).toBe(d);
    expect(toggleValue(d, 'cacheMode', 'bogus', true)).toBe(d);
    d = setComparing(d, 'memoryMiB', true);
    for (let i = 1; i <= MAX_VALUES_PER_FIELD + 2; i++)
      d = toggleValue(d, 'memoryMiB', 64 * i, true);
    expect(d.compare.memoryMiB).toHaveLength(MAX_VALUES_PER_FIELD);
    expect(toggleValue(d, 'memoryMiB', 8, true)).toBe(d); // below the schema's minimum
  });

  it('switching off keeps the first ticked value as the single one', () => {
    let d = setComparing(base(), 'cacheMode', true);
    d = toggleValue(d, 'cacheMode', 'writeback', true);
    d = toggleValue(d, 'cacheMode', 'none', false);
    d = setComparing(d, 'cacheMode', false);
    expect(d.compare).toEqual({});
    expect(d.guest.cacheMode).toBe('writeback');
  });
});

describe('variant draft → config', () => {
  it('writes a list only where two or more values are ticked', () => {
    let d = setComparing(base(), 'diskFormat', true);
    d = setComparing(d, 'network', true);
    expect(variantsOf(d.compare)).toEqual({});
    expect(configSections(d).guest).toMatchObject({ diskFormat: 'qcow2' });
    d = toggleValue(d, 'diskFormat', 'raw', true);
    d = toggleValue(d, 'network', 'bridge', true);
    const sections = configSections(d);
    expect(sections.guest).toMatchObject({ diskFormat: ['raw', 'qcow2'], cacheMode: 'none' });
    expect(sections.docker).toEqual({ network: ['host', 'bridge'], diskOn: 'scratch' });
  });

  it('the wizard config parses to the targets the draft shows (labels, ids, order)', () => {
    const wizard = createWizardStore({} as BenchvisorApi);
    const w = wizard.getState();
    w.togglePlatform('native', false);
    w.togglePlatform('qemu-tcg', true);
    w.setComparing('diskFormat', true);
    wizard.getState().toggleCompareValue('diskFormat', 'raw', true);
    const s = wizard.getState();
    const shown = draftTargets(s.platforms, s);
    if (!shown.ok) throw new Error(shown.message);
    expect(shown.targets.map((t) => [t.id, t.label])).toEqual([
      ['qemu-tcg.raw', 'QEMU TCG · raw'],
      ['qemu-tcg.qcow2', 'QEMU TCG · qcow2'],
    ]);
    const parsed = parseExperimentConfig(s.config());
    if (!parsed.ok) throw new Error(parsed.message);
    const run = expandTargets(parsed.config);
    if (!run.ok) throw new Error(run.message);
    expect(run.targets).toEqual(shown.targets);
  });

  it('counts only the fields that apply to each platform', () => {
    let d = setComparing(base(), 'diskFormat', true);
    d = toggleValue(d, 'diskFormat', 'raw', true);
    d = setComparing(d, 'vcpus', true);
    d = toggleValue(d, 'vcpus', 2, true);
    // native ×1, docker × vCPUs (2), TCG × format × vCPUs (4).
    const e = draftTargets(['native', 'docker', 'qemu-tcg'], d);
    expect(e.ok && e.targets.length).toBe(7);
    expect(fieldUsed(['native', 'docker'], 'diskFormat')).toBe(false);
    expect(fieldUsed(['docker'], 'vcpus')).toBe(true);
  });

  it('above the cap: refused with the engine’s message, naming the fields and counts', () => {
    let d = base();
    for (const [field, values] of [
      ['diskFormat', ['raw']],
      ['cacheMode', ['writeback', 'unsafe']],
      ['preallocation', ['full']],
    ] as const) {
      d = setComparing(d, field, true);
      for (const v of values) d = toggleValue(d, field, v, true);
    }
    // 2 × 3 × 2 = 12 per VM platform: fine on one, 24 > MAX_TARGETS on two.
    const one = draftTargets(['qemu-tcg'], d);
    expect(one.ok && one.targets.length).toBe(12);
    const two = draftTargets(['qemu-tcg', 'qemu-kvm'], d);
    expect(two.ok).toBe(false);
    if (two.ok) return;
    expect(two.message).toContain(`too many targets: 24 (at most ${MAX_TARGETS})`);
    expect(two.message).toContain('guest.cacheMode (3)');
    // The engine refuses the wizard's config with the very same message.
    const parsed = parseExperimentConfig({
      platforms: ['qemu-tcg', 'qemu-kvm'],
      benchmarks: ['diskwrite'],
      ...configSections(d),
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toBe(two.message);
  });
});
