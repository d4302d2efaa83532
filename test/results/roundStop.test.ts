/**
 * The paired adaptive rule of interleaved runs (stats/roundStop.ts) on constructed samples:
 * drifting-but-paired data stops at the minimum while each cell's own interval would go on,
 * noisy pairs go on to the cap, the A/A control's pair counts like any other, and the pairs are
 * the results' (each target against the reference, the control against its twin).
 */
import { describe, expect, it } from 'vitest';
import {
  comparedPairs,
  decideRoundStop,
  decideStop,
  type AdaptiveRule,
  type Observation,
} from '../../src/shared/stats';

const rule: AdaptiveRule = {
  minRepetitions: 3,
  maxRepetitions: 8,
  targetCiPercent: 5,
  minSeconds: 0,
};

/** A target's observations, one per round (1, 2, …), in instance 1. */
const obs = (values: readonly number[]): Observation[] =>
  values.map((value, i) => ({ value, round: i + 1, instance: 1 }));

/** The host slows by 15% per round: both sides of each round feel it alike. */
const drift = (rounds: number, factor: number, wobble: readonly number[]) =>
  Array.from({ length: rounds }, (_, r) => 100 * (1 + 0.15 * r) * factor * (wobble[r] ?? 1));

const SMALL_WOBBLE = [1.002, 0.998, 1.001, 0.999, 1.0, 1.002];
const BIG_WOBBLE = [1.3, 0.75, 1.25, 0.8, 1.3, 0.7, 1.2, 0.8];

const pairs = [{ target: 'docker', reference: 'native' }];

describe('decideRoundStop', () => {
  it('drifting but paired: stops at the minimum while the unpaired rule would go on', () => {
    const native = drift(3, 1, []);
    const docker = drift(3, 1.1, SMALL_WOBBLE);
    const d = decideRoundStop(
      {
        observations: new Map([
          ['native', obs(native)],
          ['docker', obs(docker)],
        ]),
        pairs,
        rounds: 3,
        elapsedSeconds: 1,
      },
      rule,
    );
    expect(d.stop).toBe(true);
    expect(d.reason).toMatch(
      /^paired by round: widest interval ±0\.\d% \(docker vs native\) ≤ 5% after 3 rounds$/,
    );
    // Each cell on its own: the drift makes its interval far wider than 5%.
    expect(decideStop(docker, 1, rule).stop).toBe(false);
    expect(decideStop(native, 1, rule).stop).toBe(false);
  });

  it('noisy pairs go on, and stop at the cap', () => {
    const input = (rounds: number) => ({
      observations: new Map([
        ['native', obs(drift(rounds, 1, []))],
        ['docker', obs(drift(rounds, 1.1, BIG_WOBBLE))],
      ]),
      pairs,
      rounds,
      elapsedSeconds: 10,
    });
    for (let rounds = 3; rounds < 8; rounds++) {
      const d = decideRoundStop(input(rounds), rule);
      expect(d.stop).toBe(false);
      expect(d.reason).toMatch(/> 5% after \d rounds$/);
    }
    const capped = decideRoundStop(input(8), rule);
    expect(capped.stop).toBe(true);
    expect(capped.reason).toMatch(
      /^paired by round: cap of 8 rounds reached \(widest interval ±\d+\.\d% \(docker vs native\) > 5%\)$/,
    );
  });

  it('the minimum count and minimum time hold tight pairs back', () => {
    const tight = (rounds: number, elapsedSeconds: number) => ({
      observations: new Map([
        ['native', obs(drift(rounds, 1, []))],
        ['docker', obs(drift(rounds, 1.1, SMALL_WOBBLE))],
      ]),
      pairs,
      rounds,
      elapsedSeconds,
    });
    expect(decideRoundStop(tight(2, 10), rule)).toMatchObject({
      stop: false,
      reason: 'paired by round: 2 of at least 3 values per target',
    });
    expect(decideRoundStop(tight(4, 1), { ...rule, minSeconds: 3 })).toMatchObject({
      stop: false,
      reason: 'paired by round: 1 s of at least 3 s measured',
    });
    expect(decideRoundStop(tight(4, 3), { ...rule, minSeconds: 3 }).stop).toBe(true);
  });

  it('a failed repetition is no value: the minimum counts values per target, the cap rounds', () => {
    const docker = obs(drift(4, 1.1, SMALL_WOBBLE)).filter((o) => o.round !== 2);
    const input = (rounds: number) => ({
      observations: new Map([
        ['native', obs(drift(rounds, 1, []))],
        ['docker', docker.filter((o) => (o.round as number) <= rounds)],
      ]),
      pairs,
      rounds,
      elapsedSeconds: 1,
    });
    expect(decideRoundStop(input(3), rule).reason).toBe(
      'paired by round: 2 of at least 3 values per target',
    );
    expect(decideRoundStop(input(4), rule).stop).toBe(true);
    expect(decideRoundStop(input(3), { ...rule, maxRepetitions: 3 }).reason).toMatch(
      /cap of 3 rounds/,
    );
  });

  it('every comparison must be tight: a noisy A/A control keeps the rounds going', () => {
    const d = decideRoundStop(
      {
        observations: new Map([
          ['native', obs(drift(5, 1, []))],
          ['docker', obs(drift(5, 1.1, SMALL_WOBBLE))],
          ['native.control', obs(drift(5, 1, BIG_WOBBLE))],
        ]),
        pairs: [...pairs, { target: 'native.control', reference: 'native' }],
        rounds: 5,
        elapsedSeconds: 10,
      },
      rule,
    );
    expect(d.stop).toBe(false);
    expect(d.reason).toMatch(/\(native\.control vs native\) > 5%/);
  });

  it('a target that is gone (its cell ended) leaves its pair out', () => {
    const d = decideRoundStop(
      {
        observations: new Map([
          ['native', obs(drift(3, 1, []))],
          ['docker', obs(drift(3, 1.1, SMALL_WOBBLE))],
        ]),
        pairs: [...pairs, { target: 'qemu-tcg', reference: 'native' }],
        rounds: 3,
        elapsedSeconds: 1,
      },
      rule,
    );
    expect(d.stop).toBe(true);
  });

  it('one target alone: its own interval decides, as the sequential rule', () => {
    const lone = (values: number[]) =>
      decideRoundStop(
        {
          observations: new Map([['native', obs(values)]]),
          pairs: [],
          rounds: values.length,
          elapsedSeconds: 1,
        },
        rule,
      );
    expect(lone([100, 101, 99]).stop).toBe(true);
    expect(lone([10, 12, 11, 13, 9]).stop).toBe(false);
  });
});

describe('comparedPairs', () => {
  const t = (id: string, platform: 'native' | 'docker' | 'qemu-tcg', control = false) => ({
    id,
    platform,
    ...(control ? { control } : {}),
  });

  it('each target against native, the control against its twin', () => {
    expect(
      comparedPairs([
        t('native', 'native'),
        t('docker', 'docker'),
        t('native.control', 'native', true),
      ]),
    ).toEqual([
      { target: 'docker', reference: 'native' },
      { target: 'native.control', reference: 'native' },
    ]);
  });

  it('without native: the first target is the reference, and the control twins it', () => {
    expect(
      comparedPairs([
        t('qemu-tcg.512mib', 'qemu-tcg'),
        t('qemu-tcg.513mib', 'qemu-tcg'),
        t('qemu-tcg.512mib.control', 'qemu-tcg', true),
      ]),
    ).toEqual([
      { target: 'qemu-tcg.513mib', reference: 'qemu-tcg.512mib' },
      { target: 'qemu-tcg.512mib.control', reference: 'qemu-tcg.512mib' },
    ]);
  });

  it('a group without the reference: its own first target; one target: nothing to compare', () => {
    expect(comparedPairs([t('docker', 'docker'), t('qemu-tcg', 'qemu-tcg')])).toEqual([
      { target: 'qemu-tcg', reference: 'docker' },
    ]);
    expect(comparedPairs([t('native', 'native')])).toEqual([]);
  });
});
