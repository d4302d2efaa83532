/**
 * Paired and instance-level verdicts on CONSTRUCTED samples (issue 19 "Must show"): identical
 * systems plus a per-instance offset, or plus a drift over time, must not come out faster or
 * slower once the analysis follows how the values were taken; the pooled / unpaired analysis of
 * the same values does come out with an effect (that is the bug the design fixes).
 */
import { describe, expect, it } from 'vitest';
import {
  compareObservations,
  roundPairs,
  verdictFor,
  verdictOfObservations,
  verdictText,
  type Observation,
} from '../../src/shared/stats';
import { interleavedSlots, mulberry32, roundOrder } from '../../src/shared/roundOrder';

const BASE_SECONDS = 2;
/** Within-instance noise: ±0.2% (multiplicative), from a fixed generator. */
const NOISE = 0.002;

function noise(next: () => number): number {
  return 1 + (next() * 2 - 1) * NOISE;
}

const values = (o: readonly Observation[]) => o.map((x) => x.value);

describe('instance effects', () => {
  // Three boots per target; each boot lands a few percent off (where memory lands, cache
  // placement), the same for both targets' distribution. Ten repetitions per boot.
  const offsetsA = [1.04, 0.99, 1.03];
  const offsetsB = [0.98, 1.02, 0.97];
  const REPS = 10;

  function side(offsets: number[], seed: number, rounds: boolean): Observation[] {
    const next = mulberry32(seed);
    const out: Observation[] = [];
    offsets.forEach((off, k) =>
      Array.from({ length: REPS }, (_, r) =>
        out.push({
          value: BASE_SECONDS * off * noise(next),
          instance: k + 1,
          ...(rounds ? { round: k * REPS + r + 1 } : {}),
        }),
      ),
    );
    return out;
  }

  it('sequential: the pooled analysis says slower, the instance level does not', () => {
    const a = side(offsetsA, 1, false);
    const b = side(offsetsB, 2, false);
    expect(verdictFor(values(a), values(b), 'lower').verdict).toBe('slower');
    const v = verdictOfObservations(a, b, 'lower');
    expect(v.comparison?.design).toBe('instances');
    expect(v.comparison?.units).toBe(3);
    expect(['same', 'inconclusive']).toContain(v.verdict);
  });

  it('interleaved: paired by round within each instance, the instances are the units', () => {
    const a = side(offsetsA, 3, true);
    const b = side(offsetsB, 4, true);
    // Pairing every round as if it were its own unit still sees the boots' offsets as an effect.
    const roundsOnly = compareObservations(
      a.map((o) => ({ value: o.value, round: o.round! })),
      b.map((o) => ({ value: o.value, round: o.round! })),
    );
    expect(roundsOnly?.design).toBe('paired-rounds');
    expect(roundsOnly!.low! > 1 || roundsOnly!.high! < 1).toBe(true);
    const v = verdictOfObservations(a, b, 'lower');
    expect(v.comparison?.design).toBe('paired-instances');
    expect(v.comparison?.units).toBe(3);
    expect(['same', 'inconclusive']).toContain(v.verdict);
    if (v.verdict === 'inconclusive') expect(verdictText(v)).toMatch(/more instances? would/);
  });

  it('a real effect larger than the boots vary still shows at the instance level', () => {
    const a = side(offsetsA, 5, true).map((o) => ({ ...o, value: o.value * 1.5 }));
    const b = side(offsetsB, 6, true);
    expect(verdictOfObservations(a, b, 'lower').verdict).toBe('slower');
  });
});

describe('drift over time', () => {
  const ROUNDS = 10;
  const TARGETS = ['a', 'b'] as const;
  type Drift = (slot: number) => number;
  /** The host gets 1% slower per repetition slot. */
  const linear: Drift = (slot) => 1 + 0.01 * slot;
  /** The host gets 15% slower halfway through (a burner switched on). */
  const step: Drift = (slot) => (slot >= ROUNDS ? 1.15 : 1);

  /** Identical systems; the value of a repetition depends only on when it ran. */
  function valueAt(slot: number, drift: Drift, next: () => number): number {
    return BASE_SECONDS * drift(slot) * noise(next);
  }

  function interleaved(drift: Drift, seed: number): Record<string, Observation[]> {
    const next = mulberry32(seed);
    const out: Record<string, Observation[]> = { a: [], b: [] };
    interleavedSlots(seed, 'linpack', TARGETS, ROUNDS, 1).forEach((s, slot) =>
      out[s.target]!.push({ value: valueAt(slot, drift, next), round: s.round, instance: 1 }),
    );
    return out;
  }

  function sequential(drift: Drift, seed: number): Record<string, Observation[]> {
    const next = mulberry32(seed);
    const out: Record<string, Observation[]> = { a: [], b: [] };
    TARGETS.forEach((t, i) => {
      for (let r = 0; r < ROUNDS; r++)
        out[t]!.push({ value: valueAt(i * ROUNDS + r, drift, next) });
    });
    return out;
  }

  for (const [name, drift] of [
    ['linear', linear],
    ['step', step],
  ] as const) {
    it(`${name} drift: paired by round says same or inconclusive, sequential unpaired says slower`, () => {
      const seq = sequential(drift, 11);
      const unpaired = verdictOfObservations(seq.b!, seq.a!, 'lower');
      expect(unpaired.comparison?.design).toBe('pooled');
      expect(unpaired.verdict).toBe('slower');
      for (const seed of [11, 12, 13, 14, 15]) {
        const il = interleaved(drift, seed);
        const paired = verdictOfObservations(il.b!, il.a!, 'lower');
        expect(paired.comparison?.design).toBe('paired-rounds');
        expect(paired.comparison?.units).toBe(ROUNDS);
        expect(['same', 'inconclusive']).toContain(paired.verdict);
      }
    });
  }
});

describe('round and order bookkeeping', () => {
  const targets = ['native', 'qemu-tcg.512mib', 'qemu-tcg.513mib', 'docker'];

  it('every round runs every target exactly once, positions 1..n', () => {
    const slots = interleavedSlots(42, 'syscall', targets, 5, 3);
    expect(slots).toHaveLength(5 * 3 * targets.length);
    for (let round = 1; round <= 15; round++) {
      const inRound = slots.filter((s) => s.round === round);
      expect(inRound.map((s) => s.target).sort()).toEqual([...targets].sort());
      expect(inRound.map((s) => s.position)).toEqual([1, 2, 3, 4]);
      expect(new Set(inRound.map((s) => s.instance)).size).toBe(1);
    }
    expect(slots.filter((s) => s.instance === 2).map((s) => s.round)[0]).toBe(6);
  });

  it('the seed reproduces the order; adding rounds keeps the earlier ones; orders vary', () => {
    const five = interleavedSlots(7, 'linpack', targets, 5, 1);
    expect(interleavedSlots(7, 'linpack', targets, 5, 1)).toEqual(five);
    expect(interleavedSlots(7, 'linpack', targets, 8, 1).slice(0, five.length)).toEqual(five);
    const firsts = new Set(
      Array.from({ length: 40 }, (_, r) => roundOrder(7, 'linpack', r + 1, targets)[0]),
    );
    expect(firsts.size).toBe(targets.length);
    expect(roundOrder(8, 'linpack', 1, targets)).not.toEqual(roundOrder(9, 'linpack', 1, targets));
  });

  it('pairs values by instance and round, ignoring unmatched and unrecorded ones', () => {
    const a: Observation[] = [
      { value: 2, round: 1, instance: 1 },
      { value: 4, round: 2, instance: 1 },
      { value: 8, round: 1, instance: 2 },
      { value: 3 },
    ];
    const b: Observation[] = [
      { value: 1, round: 2, instance: 1 },
      { value: 2, round: 1, instance: 1 },
      { value: 8, round: 1, instance: 2 },
    ];
    const pairs = roundPairs(a, b);
    expect(pairs.map((p) => [p.instance, p.round, Math.exp(p.logDiff)])).toEqual([
      [1, 1, 1],
      [1, 2, 4],
      [2, 1, 1],
    ]);
  });

  it('values ≤ 0 and runs without rounds or instances keep the pooled analysis', () => {
    const plain = [1, 2, 3].map((value) => ({ value }));
    expect(compareObservations(plain, plain)?.design).toBe('pooled');
    const withZero = [0, 1, 2].map((value, i) => ({ value, round: i + 1 }));
    expect(compareObservations(withZero, withZero)?.design).toBe('pooled');
  });
});
