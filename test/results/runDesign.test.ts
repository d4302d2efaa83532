/**
 * The run design in the config and the records (issue 19): order, instances, the A/A control
 * twin, the order facts in a sample's meta, and ratios that pair by round where samples carry
 * rounds while old records keep the pooled analysis. Constructed samples only.
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src/shared/config';
import {
  DEFAULT_COMPARED_INSTANCES,
  instancesFor,
  runOrderOf,
  runOrderOfRecord,
  runOrderText,
  sampleOrderOf,
  withRecordedOrder,
} from '../../src/shared/runDesign';
import { summarize } from '../../src/shared/stats';
import {
  controlledIdOf,
  expandTargets,
  targetLabelOf,
  targetShape,
} from '../../src/shared/targets';
import { valueSamples } from './fixtures';

const base = { platforms: ['native', 'qemu-tcg'], benchmarks: ['syscall'] };

function config(extra: Record<string, unknown> = {}) {
  const parsed = parseExperimentConfig({ ...base, ...extra });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

describe('config: order, instances, control', () => {
  it('parses the new fields and names a bad one', () => {
    const c = config({ repetitions: { order: 'interleaved', instances: 4, control: true } });
    expect(c.repetitions).toMatchObject({ order: 'interleaved', instances: 4, control: true });
    const bad = parseExperimentConfig({ ...base, repetitions: { order: 'random' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/repetitions\.order/);
    const zero = parseExperimentConfig({ ...base, repetitions: { instances: 0 } });
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.message).toMatch(/repetitions\.instances/);
  });

  it('an old config or experiment.json without an order reads as the sequential run it was', () => {
    expect(runOrderOf({ repetitions: { count: 5 } })).toBe('sequential');
    expect(runOrderOf(undefined)).toBe('sequential');
    expect(runOrderOf({ repetitions: { order: 'interleaved' } })).toBe('interleaved');
    const old = { ...base, repetitions: { count: 3 } };
    const read = withRecordedOrder(old);
    expect(read.repetitions).toEqual({ count: 3, order: 'sequential' });
    expect(old.repetitions).toEqual({ count: 3 });
    const parsed = parseExperimentConfig(withRecordedOrder(base));
    expect(parsed.ok && parsed.config.repetitions.order).toBe('sequential');
    const kept = { ...base, repetitions: { order: 'interleaved' } };
    expect(withRecordedOrder(kept)).toBe(kept);
  });

  it('instances: 3 where a guest or container is compared, else 1, the config wins', () => {
    const c = config();
    const targets = (ps: string[]) => ps.map((platform) => ({ platform }) as never);
    expect(instancesFor(c, targets(['native', 'qemu-tcg']))).toBe(DEFAULT_COMPARED_INSTANCES);
    expect(instancesFor(c, targets(['native', 'docker']))).toBe(3);
    expect(instancesFor(c, targets(['qemu-tcg']))).toBe(1);
    expect(instancesFor(c, targets(['native', 'unikernel-tcg']))).toBe(1);
    expect(
      instancesFor(config({ repetitions: { instances: 2 } }), targets(['native', 'docker'])),
    ).toBe(2);
  });

  it('the A/A control twins the reference target, labelled as the control', () => {
    const e = expandTargets(config({ repetitions: { control: true } }));
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    expect(e.targets.map((t) => t.id)).toEqual(['native', 'qemu-tcg', 'native.control']);
    const twin = e.targets[2]!;
    expect(twin).toMatchObject({
      platform: 'native',
      control: true,
      label: 'Native · A/A control',
    });
    expect(targetShape(twin)).toMatchObject({ target: 'native.control', control: true });
    expect(targetLabelOf('native', 'native.control')).toBe('Native · A/A control');
    expect(controlledIdOf('native.control')).toBe('native');
    expect(controlledIdOf('native')).toBeNull();
    // Without native, the first target is the reference and gets the twin.
    const variants = expandTargets(
      config({
        platforms: ['qemu-tcg'],
        guest: { memoryMiB: [512, 513] },
        repetitions: { control: true },
      }),
    );
    expect(variants.ok && variants.targets.map((t) => t.id)).toEqual([
      'qemu-tcg.512mib',
      'qemu-tcg.513mib',
      'qemu-tcg.512mib.control',
    ]);
    expect(targetLabelOf('qemu-tcg', 'qemu-tcg.512mib.control')).toBe(
      'QEMU TCG · 512 MiB · A/A control',
    );
  });
});

describe('the order a run used, in words (history, show, reports)', () => {
  it('names the design, its seed and instances; an old record is sequential', () => {
    expect(
      runOrderText({ design: { order: 'interleaved', instances: 3, seed: 42 }, config: {} }),
    ).toBe('interleaved rounds (seed 42, 3 instances per target); ratios paired by round');
    expect(runOrderText({ config: { repetitions: { count: 5 } } })).toBe(
      'sequential (one target after another); order and time are confounded',
    );
    expect(runOrderText({ design: { order: 'sequential', instances: 1 } })).toMatch(
      /^sequential \(one target after another\)/,
    );
  });

  it('names the interleave groups of a host without room for every target; the list order', () => {
    const grouped = {
      design: { order: 'interleaved', instances: 1, seed: 7, groups: [['a', 'b'], ['c']] },
    };
    expect(runOrderText(grouped)).toBe(
      'interleaved rounds in 2 groups that fit the host, one group after another (seed 7; a, b | c); ratios paired by round within a group',
    );
    // Malformed groups are left out, not trusted.
    expect(runOrderText({ design: { order: 'interleaved', seed: 7, groups: 'a|b' } })).toBe(
      'interleaved rounds (seed 7); ratios paired by round',
    );
    expect(runOrderOfRecord(grouped)).toBe('interleaved');
    expect(runOrderOfRecord({ config: { repetitions: { order: 'interleaved' } } })).toBe(
      'interleaved',
    );
    expect(runOrderOfRecord({ config: {} })).toBe('sequential');
    expect(runOrderOfRecord(null)).toBe('sequential');
  });
});

describe('sample order facts and paired ratios', () => {
  it('reads the order keys of a sample, leaving out malformed ones', () => {
    const meta = {
      order: 'interleaved',
      seed: 7,
      round: 2,
      position: 1,
      instance: 'x',
      pauseMs: 3,
    };
    expect(sampleOrderOf({ meta })).toEqual({
      order: 'interleaved',
      seed: 7,
      round: 2,
      position: 1,
      pauseMs: 3,
    });
    expect(sampleOrderOf({ meta: {} })).toEqual({});
  });

  it('samples with rounds give a ratio paired by round; old samples keep the pooled one', () => {
    // Native drifts 1% per round; the guest is 10% slower in every round.
    const nat = [1, 1.01, 1.02, 1.03, 1.04, 1.05];
    const tcg = nat.map((v) => v * 1.1);
    const withRounds = (platform: 'native' | 'qemu-tcg', values: number[]) =>
      valueSamples(platform, 'syscall', values).map((s, i) => ({
        ...s,
        meta: { order: 'interleaved', round: i + 1, instance: 1, position: 1 },
      }));
    const paired = summarize([...withRounds('native', nat), ...withRounds('qemu-tcg', tcg)]);
    const r = paired.ratios[0]!;
    expect(r.design).toBe('paired-rounds');
    expect(r.ratio).toBeCloseTo(1.1, 6);
    expect(r.ratioLow).toBeCloseTo(1.1, 6);
    expect(r.verdict).toBe('slower');
    expect(paired.cells[0]!.rounds).toEqual([1, 2, 3, 4, 5, 6]);

    const old = summarize([
      ...valueSamples('native', 'syscall', nat),
      ...valueSamples('qemu-tcg', 'syscall', tcg),
    ]);
    expect(old.ratios[0]!.design).toBeUndefined();
    expect(old.cells[0]!.rounds).toBeUndefined();
    expect(old.ratios[0]!.ratioLow!).toBeLessThan(1.1);
  });
});
