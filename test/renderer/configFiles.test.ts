/** The wizard loads a saved config (examples/ or a past run) and produces the same experiment. */
import { describe, expect, it } from 'vitest';
import type { BenchvisorApi } from '../../src/shared/api';
import { parseExperimentConfig } from '../../src/shared/config';
import { createWizardStore } from '../../src/renderer/src/stores/wizardStore';
import { configFileName } from '../../src/renderer/src/wizard/ConfigFiles';

import quickDocker from '../../examples/quick-docker.json';
import quickKvm from '../../examples/quick-kvm.json';
import quickNative from '../../examples/quick-native.json';
import quickQemu from '../../examples/quick-qemu.json';
import quickSeedStudy from '../../examples/quick-seed-study.json';
import standardNative from '../../examples/standard-native.json';

const EXAMPLES: [string, unknown][] = [
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
    const { guest: g1, docker: d1, ...rest1 } = original.config;
    const { guest: g2, docker: d2, ...rest2 } = roundTrip.config;
    expect(rest2).toEqual(rest1);
    // Guest and Docker options only travel when such a platform is chosen.
    if (original.config.platforms.some((p) => p !== 'native')) expect(g2).toEqual(g1);
    if (original.config.platforms.includes('docker')) expect(d2).toEqual(d1);
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
