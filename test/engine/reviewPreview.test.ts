/**
 * The review's preview with the engine's real platforms: the repetitions it promises are the
 * ones the run measures (cells a platform cannot run are left out and named), and every target
 * of the shipped seed study describes its commands (nginx on native included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBenchmarkRunners } from '../../src/main/benchmarks/registry';
import { createPlatforms } from '../../src/main/composition';
import { localEngine, type RunnerPort } from '../../src/main/engine/localEngine';
import { ProcessTracker } from '../../src/main/process/tracker';
import { defaultAppPaths } from '../../src/main/util/appPaths';
import { createHostProbe } from '../../src/main/host/hostProbe';
import { parseExperimentConfig, type ExperimentConfigInput } from '../../src/shared/config';

const idleRunner: RunnerPort = {
  start: () => Promise.reject(new Error('not in this test')),
  extend: () => Promise.reject(new Error('not in this test')),
  cancel: () => false,
  write: () => false,
  on: () => () => {},
};

function config(input: unknown) {
  const parsed = parseExperimentConfig(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('review preview with the real platforms', () => {
  const paths = defaultAppPaths();
  const tracker = new ProcessTracker();
  const runners = createBenchmarkRunners({ paths, tracker });
  const platforms = createPlatforms({
    paths,
    tracker,
    runners,
    env: process.env,
    host: createHostProbe(),
  });
  const engine = localEngine({
    runner: idleRunner,
    platforms,
    doctor: () => Promise.reject(new Error('not in this test')),
  });

  it('promises the repetitions the run does: fork sum on the unikernel is left out, and said', async () => {
    const study: ExperimentConfigInput = {
      platforms: ['native', 'docker', 'qemu-tcg', 'unikernel-tcg'],
      benchmarks: ['linpack', 'syscall', 'diskwrite', 'forksum'],
      repetitions: { count: 3, warmup: 0 },
    };
    const preview = await engine.preview(config(study));
    expect(preview.repetitionsTotal).toBe(4 * 4 * 3 - 3);
    expect(preview.notes.join('\n')).toMatch(
      /Fork sum on Unikernel .* will not run \(not applicable/,
    );
  });

  it('describes every target of the shipped seed study, nginx on native included', async () => {
    const study = JSON.parse(readFileSync(join('examples', 'quick-seed-study.json'), 'utf8'));
    const preview = await engine.preview(config(study));
    expect(preview.notes.filter((n) => /cannot describe/.test(n))).toEqual([]);
    expect(preview.commands.some((c) => c.platform === 'native' && /nginx/.test(c.title))).toBe(
      true,
    );
  });
});
