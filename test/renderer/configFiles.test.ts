/** The wizard loads a saved config (examples/ or a past run) and produces the same experiment. */
import { describe, expect, it } from 'vitest';
import type { BenchvisorApi } from '../../src/shared/api';
import {
  ExperimentConfigSchema,
  parseExperimentConfig,
  type ExperimentConfigInput,
} from '../../src/shared/config';
import { createWizardStore } from '../../src/renderer/src/stores/wizardStore';
import { configFileName } from '../../src/renderer/src/wizard/ConfigFiles';

import diskFormats from '../../examples/disk-formats.json';
import quickDocker from '../../examples/quick-docker.json';
import quickKvm from '../../examples/quick-kvm.json';
import quickNative from '../../examples/quick-native.json';
import quickQemu from '../../examples/quick-qemu.json';
import quickSeedStudy from '../../examples/quick-seed-study.json';
import standardNative from '../../examples/standard-native.json';

const EXAMPLES: [string, unknown][] = [
  ['disk-formats.json', diskFormats],
  ['quick-docker.json', quickDocker],
  ['quick-kvm.json', quickKvm],
  ['quick-native.json', quickNative],
  ['quick-qemu.json', quickQemu],
  ['quick-seed-study.json', quickSeedStudy],
  ['standard-native.json', standardNative],
];
const noApi = {} as BenchvisorApi;

describe('wizard: load a config', () => {
  it.each(EXAMPLES)('%s → wizard → the same resolved experiment', (_file, input) => {
    const wizard = createWizardStore(noApi);
    expect(wizard.getState().loadConfig(input)).toBeNull();
    expect(wizard.getState().step).toBe('review');
    const original = parseExperimentConfig(input);
    const roundTrip = parseExperimentConfig(wizard.getState().config());
    if (!original.ok || !roundTrip.ok) throw new Error('example or wizard config invalid');
    // Every field, guest and Docker options included (they are saved whatever the platforms),
    // and the lists of compared values exactly (disk-formats.json: raw/qcow2 × none/writeback).
    expect(roundTrip.config).toEqual(original.config);
  });

  it('disk-formats.json loads with its lists as compared fields, not their first values', () => {
    const wizard = createWizardStore(noApi);
    expect(wizard.getState().loadConfig(diskFormats)).toBeNull();
    expect(wizard.getState().compare).toEqual({
      diskFormat: ['raw', 'qcow2'],
      cacheMode: ['none', 'writeback'],
    });
    const saved = wizard.getState().config();
    expect(saved.guest).toMatchObject({
      diskFormat: ['raw', 'qcow2'],
      cacheMode: ['none', 'writeback'],
      preallocation: 'off',
    });
    const parsed = parseExperimentConfig(saved);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.config.variants).toEqual({
      diskFormat: ['raw', 'qcow2'],
      cacheMode: ['none', 'writeback'],
    });
  });

  it('a list in a non-natural order round-trips in its own order (the first is the shape)', () => {
    const input: ExperimentConfigInput = {
      platforms: ['docker', 'qemu-tcg'],
      benchmarks: ['diskwrite'],
      guest: { diskFormat: ['qcow2', 'raw'], vcpus: [2, 1] },
      docker: { diskOn: ['layer', 'scratch'] },
    };
    const original = parseExperimentConfig(input);
    if (!original.ok) throw new Error(original.message);
    const wizard = createWizardStore(noApi);
    expect(wizard.getState().loadConfig(input)).toBeNull();
    expect(wizard.getState().guest.diskFormat).toBe('qcow2');
    const roundTrip = parseExperimentConfig(wizard.getState().config());
    if (!roundTrip.ok) throw new Error(roundTrip.message);
    expect(roundTrip.config).toEqual(original.config);
  });

  it('"Run again…" keeps every field of a config that sets every field', () => {
    const everything: ExperimentConfigInput = {
      name: 'Every field',
      platforms: ['qemu-kvm', 'native', 'docker', 'qemu-tcg'],
      profile: 'standard',
      benchmarks: [
        'syscall',
        { id: 'linpack', params: { size: 300, seconds: 1.5 } },
        { id: 'forksum', params: { start: 5, end: 50 } },
        { id: 'nginx', params: { fileSize: 4096, requests: 50, connections: 2 } },
        { id: 'diskwrite', params: { sizeMiB: 8, blockKiB: 64 } },
        { id: 'memsweep', params: { size: 1048576 } },
      ],
      guest: {
        vcpus: 2,
        memoryMiB: 768,
        diskFormat: 'raw',
        diskSizeMiB: 128,
        cacheMode: 'writethrough',
        preallocation: 'falloc',
        kernelPath: '/boot/vmlinuz-test',
        modulesDir: '/lib/modules/test',
      },
      docker: { network: 'bridge', diskOn: 'layer' },
      repetitions: {
        count: 7,
        warmup: 2,
        adaptive: {
          enabled: true,
          minRepetitions: 4,
          maxRepetitions: 30,
          targetCiPercent: 2.5,
          minSeconds: 12,
        },
      },
      timeouts: { repetitionSeconds: 45 },
      skipUnavailable: true,
      allowOvercommit: true,
      expectations: [
        { kind: 'approx', benchmark: 'linpack', a: 'docker', b: 'native', withinPercent: 5 },
        { kind: 'faster', benchmark: 'syscall', a: 'qemu-kvm', b: 'qemu-tcg' },
        { kind: 'ranking', benchmark: 'forksum', order: ['native', 'docker', 'qemu-kvm'] },
      ],
    };
    // The config above sets every top-level field of the schema (a new field must join it).
    expect(Object.keys(everything).sort()).toEqual(
      Object.keys(ExperimentConfigSchema.shape).sort(),
    );
    const original = parseExperimentConfig(everything);
    if (!original.ok) throw new Error(original.message);
    const wizard = createWizardStore(noApi);
    expect(wizard.getState().loadConfig(everything)).toBeNull();
    // allowOvercommit was dropped by the wizard once (issue #21 bug 2).
    expect(wizard.getState().config().allowOvercommit).toBe(true);
    const saved = wizard.getState().config();
    const roundTrip = parseExperimentConfig(saved);
    if (!roundTrip.ok) throw new Error(roundTrip.message);
    expect(roundTrip.config).toEqual(original.config);
    // Saving what was loaded again changes nothing either (load → save is a fixed point).
    const again = createWizardStore(noApi);
    expect(again.getState().loadConfig(saved)).toBeNull();
    expect(again.getState().config()).toEqual(saved);
  });

  it('refuses an invalid config with the field named, leaving the wizard as it was', () => {
    const wizard = createWizardStore(noApi);
    const before = wizard.getState().config();
    const problem = wizard.getState().loadConfig({ platforms: ['native'], benchmarks: ['nope'] });
    expect(problem).toMatch(/benchmarks\.0/);
    expect(wizard.getState().config()).toEqual(before);
    expect(wizard.getState().step).toBe('platforms');
  });

  it('names the saved file after the experiment', () => {
    expect(configFileName('The seed study, re-asked!')).toBe('the-seed-study-re-asked.json');
    expect(configFileName('  ')).toBe('experiment.json');
  });
});
