/**
 * The schedule the Review step shows (issue 19 item 8): rounds × targets (× instances) per
 * benchmark, the boots the instances cost and the pauses of an interleaved run, and the
 * estimate that includes both.
 */
import { describe, expect, it } from 'vitest';
import { estimateSeconds } from '../../src/main/engine/estimate';
import { parseExperimentConfig, type ExperimentConfigInput } from '../../src/shared/config';
import { PLATFORM_INFO } from '../../src/shared/platforms';
import { PAUSE_RESUME_SECONDS, scheduleSummary, scheduleText } from '../../src/shared/runSchedule';
import { expandTargets } from '../../src/shared/targets';

function config(input: ExperimentConfigInput) {
  const parsed = parseExperimentConfig(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

function summary(input: ExperimentConfigInput) {
  const c = config(input);
  const x = expandTargets(c);
  if (!x.ok) throw new Error(x.message);
  return scheduleSummary(c, x.targets);
}

describe('the schedule in the review', () => {
  const base: ExperimentConfigInput = {
    platforms: ['native', 'qemu-tcg'],
    benchmarks: ['syscall', 'linpack'],
    repetitions: { count: 10, warmup: 1 },
  };

  it('interleaved (default): rounds × targets × instances, boots per instance, pauses of the guest', () => {
    const s = summary(base);
    expect(s).toEqual({
      order: 'interleaved',
      targets: 2,
      benchmarks: 2,
      instances: 3,
      rounds: 10,
      starts: 6,
      // The guest pauses after each of its 2 × (10 + 1) repetitions; native has nothing to pause.
      pausePairs: 22,
      pauseSeconds: 22 * PAUSE_RESUME_SECONDS.vm,
    });
    expect(scheduleText(s)).toBe(
      'Interleaved: per benchmark 10 rounds × 2 targets × 3 instances (each round measures every target once, in a random order; the rounds are shared out over the instances); 6 boots or starts; 22 pauses and resumes of idle targets',
    );
  });

  it('sequential, one instance: no pauses; the control twin is a target too; adaptive counts the cap', () => {
    const seq = summary({ ...base, repetitions: { count: 5, order: 'sequential', instances: 1 } });
    expect(seq).toMatchObject({ order: 'sequential', instances: 1, starts: 2, pausePairs: 0 });
    expect(scheduleText(seq)).toMatch(/^Sequential: each target runs its 5 repetitions/);
    const aa = summary({ ...base, repetitions: { control: true } });
    expect(aa.targets).toBe(3);
    const adaptive = summary({
      ...base,
      repetitions: { adaptive: { enabled: true, maxRepetitions: 12 } },
    });
    expect(adaptive.rounds).toBe(12);
    expect(scheduleText(adaptive)).toMatch(
      /^Interleaved: per benchmark up to 12 rounds \(adaptive: whole rounds until every paired interval reaches the target\) × 2 targets/,
    );
    // More instances than repetitions: no instance without a repetition.
    expect(summary({ ...base, repetitions: { count: 2, instances: 5 } }).instances).toBe(2);
  });

  it('the estimate includes a start-up per instance and the pauses', () => {
    const three = estimateSeconds(config(base));
    const one = estimateSeconds(
      config({ ...base, repetitions: { count: 10, warmup: 1, instances: 1 } }),
    );
    const boot = PLATFORM_INFO['qemu-tcg'].startupSeconds + PLATFORM_INFO.native.startupSeconds;
    expect(three.bootSeconds).toBeCloseTo(3 * boot, 1);
    expect(one.bootSeconds).toBeCloseTo(boot, 1);
    expect(three.seconds - one.seconds).toBeCloseTo(2 * boot, 1);
    expect(three.pauseSeconds).toBeCloseTo(22 * PAUSE_RESUME_SECONDS.vm, 1); // in tenths
    // A container's pause (the cgroup freezer) costs more than a guest's (QMP stop / cont).
    const docker = summary({ ...base, platforms: ['native', 'docker'] });
    expect(docker.pauseSeconds).toBeCloseTo(22 * PAUSE_RESUME_SECONDS.container, 5);
    expect(PAUSE_RESUME_SECONDS.container).toBeGreaterThan(PAUSE_RESUME_SECONDS.vm);
    const seq = estimateSeconds(config({ ...base, repetitions: { order: 'sequential' } }));
    expect(seq.pauseSeconds).toBe(0);
  });
});
