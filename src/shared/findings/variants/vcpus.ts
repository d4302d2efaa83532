/**
 * vCPU count on the benchmarks that spread work over several CPUs (catalogue trait
 * `parallel`: fork sum, nginx): more vCPUs against fewer, on one platform.
 */
import { benchmarksWith, CATALOGUE, type BenchmarkId } from '../../catalogue';
import { PLATFORM_INFO } from '../../platforms';
import type { FindingsInput } from '../context';
import type { Finding } from '../types';
import { measured } from './diskBenchmarks';
import { variantEffect, type Mechanism } from './effect';
import { variantPairs, type VariantPair } from './pairs';

const PARALLEL: readonly BenchmarkId[] = benchmarksWith('parallel');

/** How more CPUs reach the workload: a guest's vCPU threads, or a container's CFS quota. */
function howCpus(pair: VariantPair): string {
  return PLATFORM_INFO[pair.a.platform].kind === 'container'
    ? 'A container’s CPU count is a CFS quota (--cpus, NanoCpus), not a CPU set: it gets that many CPUs’ worth of time per 100 ms period on any host CPU, and a burst of parallel work beyond it waits for the next period.'
    : 'Each vCPU is a host thread of QEMU (under TCG, one translating thread per vCPU), sharing the host’s CPUs with QEMU’s own I/O thread; a wake-up on another vCPU is an inter-processor interrupt, which in a guest leaves the guest (a VM exit, or a signal between TCG threads) before it arrives.';
}

/** What the benchmark does with several CPUs (by trait: kernel hand-offs or device serving). */
function howBenchmark(b: BenchmarkId): string {
  return CATALOGUE[b].traits.deviceBound
    ? `${CATALOGUE[b].title} serves requests from several worker processes, but in a QEMU guest every request also crosses the user-mode network in QEMU’s main loop, which more vCPUs do not widen.`
    : `${CATALOGUE[b].title} is a tree of processes that pass partial sums up through pipes: with one CPU each hand-off is a local context switch, with several the kernel runs children in parallel but wakes each partner on another CPU.`;
}

function mechanism(pair: VariantPair, b: BenchmarkId): Mechanism {
  return {
    better:
      'The work spread over the extra CPUs and the parallel part gained more than the cross-CPU wake-ups cost.',
    worse:
      'The cross-CPU wake-ups (and, with more vCPU threads than free host CPUs, the vCPUs waiting for each other) cost more than the parallel part gained: more CPUs made the hand-offs slower, not the work faster.',
    same: 'The work did not use the extra CPU in the timed part (too little parallel work at this size, or serialised elsewhere), and the hand-offs cost about the same.',
    how: `${howBenchmark(b)} ${howCpus(pair)}`,
  };
}

/** More vCPUs is the side described; fewer the baseline. */
const moreFirst = (x: string | number, y: string | number): boolean => Number(x) > Number(y);

export function vcpuEffects(input: FindingsInput): Finding[] {
  const benchmarks = measured(input.samples, PARALLEL);
  return variantPairs(input.samples, 'vcpus', moreFirst).flatMap((pair) =>
    benchmarks.flatMap((b) => variantEffect(input, pair, b, mechanism(pair, b))),
  );
}
