/**
 * Emulation's cost: a guest whose CPU is emulated (TCG) against native on compute-bound work.
 * This is usually the biggest result of a study ("QEMU TCG ran LINPACK 33× slower than
 * native"), and the one with the plainest mechanism: QEMU's Tiny Code Generator translates every
 * block of guest instructions into host code before it runs (binary translation), and every
 * guest memory access goes through a software TLB. The finding names it with the numbers, so the
 * biggest effect is never left unexplained.
 */
import { BENCHMARK_IDS, CATALOGUE, type BenchmarkId } from '../catalogue';
import { speedIntervalText, speedText, speedWithInterval } from '../format';
import { PLATFORM_IDS, PLATFORM_INFO, REFERENCE_PLATFORM } from '../platforms';
import { compareCells } from './compare';
import { mainCellOf, round, targetsOf } from './context';
import type { FindingsInput, RunTarget } from './context';
import type { Finding } from './types';

/** Compute-bound benchmarks: neither a device nor the kernel dominates their timed part. */
export const COMPUTE_BOUND: readonly BenchmarkId[] = BENCHMARK_IDS.filter(
  (b) => !CATALOGUE[b].traits.deviceBound && !CATALOGUE[b].traits.kernelBound,
);
/** Platforms whose CPU is emulated: virtual machines on the TCG accelerator. */
const EMULATED = PLATFORM_IDS.filter(
  (p) => PLATFORM_INFO[p].kind === 'vm' && PLATFORM_INFO[p].accelerator === 'tcg',
);

export const EMULATION_FINDING_PREFIX = 'emulation-cost:';

interface Slowdown {
  benchmark: BenchmarkId;
  relative: number;
  /** "33× slower (30–36×)" and the interval alone ("30–36×"). */
  text: string;
  interval: string;
}

function slowdowns(input: FindingsInput, t: RunTarget, nativeId: string): Slowdown[] {
  const out: Slowdown[] = [];
  for (const b of COMPUTE_BOUND) {
    const e = mainCellOf(input.summary, t.id, b);
    const n = mainCellOf(input.summary, nativeId, b);
    if (!e || !n || e.n < 1 || n.n < 1) continue;
    const c = compareCells(e, n);
    if (c.relative === null || c.verdict.verdict !== 'slower') continue;
    out.push({
      benchmark: b,
      relative: c.relative,
      text: speedWithInterval(c.relative, c.low, c.high),
      interval: speedIntervalText(c.low, c.high),
    });
  }
  return out.sort((a, b) => a.relative - b.relative);
}

function findingFor(t: RunTarget, found: Slowdown[]): Finding {
  const worst = found[0] as Slowdown;
  const list = found.map((s) => `${CATALOGUE[s.benchmark].title} ${s.text}`).join('; ');
  const numbers: Finding['numbers'] = {};
  for (const s of found)
    numbers[`${CATALOGUE[s.benchmark].title} speed vs native`] = round(s.relative);
  return {
    id: `${EMULATION_FINDING_PREFIX}${t.id}`,
    severity: 'info',
    kind: 'diagnostic',
    title: `${t.title} ran ${CATALOGUE[worst.benchmark].title} ${speedText(worst.relative)} than native${worst.interval ? ` (${worst.interval})` : ''}: every guest instruction is translated by TCG (binary translation)`,
    explanation:
      `Compute-bound work under emulation: ${list}. QEMU's Tiny Code Generator (TCG) runs no guest instruction on the CPU as it is: ` +
      'it translates each block of guest code into host code first (binary translation), keeps the guest registers in memory, ' +
      'and sends every guest memory access through a software TLB, so each guest instruction costs several host instructions. ' +
      'This is the cost of emulation, not of virtualization: with KVM the guest code runs directly on the CPU and compute-bound work runs close to native speed.',
    numbers,
  };
}

export function emulationCost(input: FindingsInput): Finding[] {
  const native = targetsOf(input.samples, REFERENCE_PLATFORM)[0];
  if (!native) return [];
  return EMULATED.flatMap((p) =>
    targetsOf(input.samples, p).flatMap((t) => {
      const found = slowdowns(input, t, native.id);
      return found.length > 0 ? [findingFor(t, found)] : [];
    }),
  );
}
